/**
 * A streaming chart's frame (StreamLines): the grid, the tick labels, the axes' titles and any
 * labelled reference line (chance level, issue 16), drawn under the data.
 */

export interface AxesBox {
  width: number;
  height: number;
  top: number;
  right: number;
  bottom: number;
  left: number;
}

export function StreamAxes({
  x,
  y,
  box,
  xTicks,
  yTicks,
  xFormat,
  yFormat,
  xLabel,
  yLabel,
  yGuides,
}: {
  x: (v: number) => number;
  y: (v: number) => number;
  box: AxesBox;
  xTicks: readonly number[];
  /** The y ticks that fit (spacedTicks). */
  yTicks: readonly number[];
  xFormat: (v: number) => string;
  yFormat: (v: number) => string;
  xLabel: string;
  yLabel?: string;
  yGuides: readonly { y: number; label: string }[];
}) {
  return (
    <>
      <g className="grid" stroke="#d8dce4" strokeDasharray="3 3">
        {yTicks.map((t) => (
          <line key={`y${t}`} x1={box.left} x2={box.width - box.right} y1={y(t)} y2={y(t)} />
        ))}
        {xTicks.map((t) => (
          <line key={`x${t}`} x1={x(t)} x2={x(t)} y1={box.top} y2={box.height - box.bottom} />
        ))}
      </g>
      <g className="axis" fontSize={12} fill="#596172">
        {yTicks.map((t) => (
          <text key={`yl${t}`} x={box.left - 6} y={y(t)} textAnchor="end" dominantBaseline="middle">
            {yFormat(t)}
          </text>
        ))}
        {xTicks.map((t) => (
          <text key={`xl${t}`} x={x(t)} y={box.height - box.bottom + 18} textAnchor="middle">
            {xFormat(t)}
          </text>
        ))}
        <text x={(box.left + box.width - box.right) / 2} y={box.height - 6} textAnchor="middle">
          {xLabel}
        </text>
        {yLabel && (
          <text x={4} y={15} data-testid="y-title">
            ↑ {yLabel}
          </text>
        )}
      </g>
      {yGuides.map((g) => (
        <g key={`g${g.y}`} className="guide" data-testid="y-guide" fill="#596172" fontSize={12}>
          <line
            x1={box.left}
            x2={box.width - box.right}
            y1={y(g.y)}
            y2={y(g.y)}
            stroke="#596172"
            strokeDasharray="1 3"
          />
          <text x={box.width - box.right - 4} y={y(g.y) - 4} textAnchor="end">
            {g.label}
          </text>
        </g>
      ))}
    </>
  );
}
