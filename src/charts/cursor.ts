/**
 * Keyboard moves over a chart's grid of values (issue 15: what a mouse hovers, a key reaches): the
 * arrows step a cursor, Home and End jump to the ends of its row. Pure, so it is tested alone.
 */
export interface Cursor {
  /** Column (x): a round, a bin, a pixel column. */
  col: number;
  /** Row (y): a layer, a panel, a pixel row. */
  row: number;
}

/** The cursor after `key` on a cols × rows grid, or null for a key the grid does not take. */
export function moveCursor(
  key: string,
  at: Cursor | null,
  cols: number,
  rows: number,
  /** Where the first arrow press puts the cursor. */
  start: Cursor = { col: 0, row: 0 },
): Cursor | null {
  if (cols <= 0 || rows <= 0) return null;
  const c = at ?? start;
  const clampCol = (v: number) => Math.min(cols - 1, Math.max(0, v));
  const clampRow = (v: number) => Math.min(rows - 1, Math.max(0, v));
  // The first press shows where the cursor starts rather than moving it past the first value.
  if (!at && ['ArrowLeft', 'ArrowRight', 'ArrowUp', 'ArrowDown'].includes(key)) return c;
  switch (key) {
    case 'ArrowLeft':
      return { ...c, col: clampCol(c.col - 1) };
    case 'ArrowRight':
      return { ...c, col: clampCol(c.col + 1) };
    case 'ArrowUp':
      return { ...c, row: clampRow(c.row - 1) };
    case 'ArrowDown':
      return { ...c, row: clampRow(c.row + 1) };
    case 'Home':
      return { ...c, col: 0 };
    case 'End':
      return { ...c, col: cols - 1 };
    default:
      return null;
  }
}
