/**
 * The numbers behind a streaming line chart as a table (issue 15: every chart has a text
 * alternative a screen reader can walk): one row per x, one column per line. Folded away, and
 * built only while open, so the charts that update several times a second pay nothing for it.
 */
import { useState } from 'react';
import { type ReadoutSeries, readoutXs } from './readout';
import './readouts.css';

export function StreamTable({
  series,
  xName,
  xFormat,
  valueFormat,
}: {
  series: readonly ReadoutSeries[];
  xName: string;
  xFormat: (v: number) => string;
  valueFormat: (v: number) => string;
}) {
  const [open, setOpen] = useState(false);
  const shown = series.filter((s) => s.points.length > 0);
  return (
    <details
      className="chart-data"
      data-testid="stream-table"
      onToggle={(e) => setOpen(e.currentTarget.open)}
    >
      <summary>
        Data: {shown.length} {shown.length === 1 ? 'line' : 'lines'} as a table
      </summary>
      {open && (
        <div className="chart-data-scroll">
          <table>
            <thead>
              <tr>
                <th scope="col">{xName}</th>
                {shown.map((s, i) => (
                  <th key={i} scope="col">
                    {s.label}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {readoutXs(shown).map((x) => (
                <tr key={x}>
                  <th scope="row">{xFormat(x)}</th>
                  {shown.map((s, i) => {
                    const p = s.points.find((q) => q.x === x);
                    return <td key={i}>{p ? valueFormat(p.y) : ''}</td>;
                  })}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </details>
  );
}
