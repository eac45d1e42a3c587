/**
 * What each network says of one drawn digit (issue 16): ten probabilities per network as bars in
 * a table, one column a network, its top digit named in words above its bars. Every bar carries
 * its number in text, so nothing is told by colour or length alone. A dumb view.
 */
import { memo } from 'react';
import { topDigit, topInWords } from '../digits/scores';

export interface NetworkProbabilities {
  key: string;
  label: string;
  color: string;
  /** The 10 softmax outputs, digit 0 first. */
  probabilities: ArrayLike<number>;
}

const pct = (p: number) => `${(p * 100).toFixed(1)}%`;

function ProbabilityBarsView({
  networks,
  caption,
}: {
  networks: readonly NetworkProbabilities[];
  caption: string;
}) {
  return (
    <table className="probability-bars" data-testid="probability-bars">
      <caption className="caption">{caption}</caption>
      <thead>
        <tr>
          <th scope="col">digit</th>
          {networks.map((n) => (
            <th scope="col" key={n.key} data-testid={`probabilities-${n.key}`}>
              <span className="swatch" style={{ background: n.color }} aria-hidden="true" />{' '}
              {n.label}
            </th>
          ))}
        </tr>
        <tr>
          <th scope="row">says</th>
          {networks.map((n) => (
            <td key={n.key} data-testid={`top-${n.key}`}>
              {topInWords(n.probabilities)}
            </td>
          ))}
        </tr>
      </thead>
      <tbody>
        {Array.from({ length: 10 }, (_, d) => (
          <tr key={d}>
            <th scope="row">{d}</th>
            {networks.map((n) => {
              const p = n.probabilities[d] ?? 0;
              const top = topDigit(n.probabilities).digit === d;
              return (
                <td
                  key={n.key}
                  className={top ? 'top' : undefined}
                  data-testid={top ? `bars-${n.key}` : undefined}
                >
                  <span className="bar-cell">
                    <span className="bar-track" aria-hidden="true">
                      <span
                        className="bar"
                        style={{ width: `${Math.max(1, p * 100)}%`, background: n.color }}
                      />
                    </span>
                    <span className={top ? 'bar-value top' : 'bar-value'}>{pct(p)}</span>
                  </span>
                </td>
              );
            })}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export const ProbabilityBars = memo(ProbabilityBarsView);
