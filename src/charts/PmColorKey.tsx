/**
 * The key to colour-by-P_m (chart 1): a strip from the dense net's dark blue to the sparsest
 * ticket's bright colour, with the P_m of the lines on screen marked under it.
 */
import { colorForRemaining } from './colors';

const pct = (r: number) => `${(r * 100).toFixed(r < 0.1 ? 1 : 0)}%`;

export function PmColorKey({ remaining }: { remaining: readonly number[] }) {
  const shown = [...new Set(remaining)].sort((a, b) => b - a);
  if (shown.length === 0) return null;
  return (
    <span className="pm-key" data-testid="pm-key">
      ━ ticket by weights remaining:{' '}
      {shown.map((r) => (
        <span key={r} className="pm-swatch">
          <i aria-hidden="true" style={{ background: colorForRemaining(r) }} />
          {pct(r)}
        </span>
      ))}
    </span>
  );
}
