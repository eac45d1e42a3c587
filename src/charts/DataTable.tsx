/**
 * The numbers behind a chart as a table a screen reader can walk, folded away under a summary so
 * it costs sighted readers one line (issue 15: every chart has a text alternative).
 */
import './readouts.css';

export function DataTable({
  summary,
  columns,
  rows,
  testId,
}: {
  /** The one line shown while folded, e.g. "Data: weights remaining per layer". */
  summary: string;
  /** Column headers; the first column heads each row. */
  columns: readonly string[];
  rows: readonly (readonly (string | number)[])[];
  testId?: string;
}) {
  return (
    <details className="chart-data" data-testid={testId}>
      <summary>{summary}</summary>
      <div className="chart-data-scroll">
        <table>
          <thead>
            <tr>
              {columns.map((c) => (
                <th key={c} scope="col">
                  {c}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((row, r) => (
              <tr key={r}>
                {row.map((cell, i) =>
                  i === 0 ? (
                    <th key={i} scope="row">
                      {cell}
                    </th>
                  ) : (
                    <td key={i}>{cell}</td>
                  ),
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </details>
  );
}
