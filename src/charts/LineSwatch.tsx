/**
 * A legend's sample of a line (solid or dashed) or an area, drawn in the series' colour beside
 * text in the page's ink: coloured text fails WCAG's 4.5:1 contrast for most chart colours
 * (issue 15, axe), a drawn sample does not need to. `data-color` lets a figure's export colour
 * the legend's words as the page's swatch does (export.ts).
 */
export function LineSwatch({
  color,
  dashed = false,
  kind = 'line',
}: {
  color: string;
  dashed?: boolean;
  kind?: 'line' | 'box';
}) {
  return (
    <svg
      className="line-swatch"
      width={kind === 'box' ? 11 : 22}
      height={11}
      aria-hidden="true"
      data-color={color}
      focusable="false"
    >
      {kind === 'box' ? (
        <rect x={0.5} y={0.5} width={10} height={10} rx={2} fill={color} />
      ) : (
        <line
          x1={1}
          x2={21}
          y1={5.5}
          y2={5.5}
          stroke={color}
          strokeWidth={3}
          strokeDasharray={dashed ? '5 3' : undefined}
        />
      )}
    </svg>
  );
}
