/** Small hand-drawn SVG charts: enough for a sales page, a few hundred bytes instead of a chart kit. */

export interface BarPoint {
  label: string;
  value: number;
}

interface BarChartProps {
  title: string;
  points: BarPoint[];
  format?: (value: number) => string;
  height?: number;
}

/** Vertical bars over time; the numbers are also offered as a table for screen readers and copying. */
export function BarChart({ title, points, format = String, height = 120 }: BarChartProps) {
  const width = 600;
  const max = Math.max(1, ...points.map((point) => point.value));
  const slot = points.length > 0 ? width / points.length : width;
  const barWidth = Math.max(1, slot * 0.7);
  const total = points.reduce((sum, point) => sum + point.value, 0);
  const first = points[0]?.label;
  const last = points[points.length - 1]?.label;
  return (
    <figure className="chart">
      <figcaption>
        {title} <span className="hint">(total {format(total)})</span>
      </figcaption>
      <div className="chart-scale" aria-hidden="true">
        {format(max)}
      </div>
      {/* Stretched to the card's width; text stays in HTML so it is never distorted. */}
      <svg
        viewBox={`0 0 ${width} ${height}`}
        preserveAspectRatio="none"
        role="img"
        aria-label={`${title}: total ${format(total)}`}
        style={{ height: `${height / 16}rem` }}
      >
        <line x1="0" x2={width} y1={height} y2={height} className="axis" />
        {points.map((point, index) => {
          const barHeight = (point.value / max) * height;
          return (
            <rect
              key={point.label}
              x={index * slot + (slot - barWidth) / 2}
              y={height - barHeight}
              width={barWidth}
              height={barHeight}
              className="bar"
            >
              <title>{`${point.label}: ${format(point.value)}`}</title>
            </rect>
          );
        })}
      </svg>
      <div className="chart-range" aria-hidden="true">
        <span>{first}</span>
        {last !== first && <span>{last}</span>}
      </div>
      <details>
        <summary>Show the numbers</summary>
        <table>
          <thead>
            <tr>
              <th scope="col">Time</th>
              <th scope="col">Value</th>
            </tr>
          </thead>
          <tbody>
            {points
              .filter((point) => point.value !== 0)
              .map((point) => (
                <tr key={point.label}>
                  <td>{point.label}</td>
                  <td>{format(point.value)}</td>
                </tr>
              ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}

/** Horizontal bars that compare a few named things (sales per ticket type). */
export function ShareBars({
  title,
  items,
  format = String,
}: {
  title: string;
  items: BarPoint[];
  format?: (value: number) => string;
}) {
  const max = Math.max(1, ...items.map((item) => item.value));
  return (
    <figure className="chart">
      <figcaption>{title}</figcaption>
      {items.length === 0 ? (
        <p className="hint">Nothing yet.</p>
      ) : (
        <ul className="share-bars">
          {items.map((item) => (
            <li key={item.label}>
              <span className="share-label">{item.label}</span>
              <svg viewBox="0 0 100 10" preserveAspectRatio="none" aria-hidden="true" className="share-track">
                <rect x="0" y="0" width={(item.value / max) * 100} height="10" className="bar" />
              </svg>
              <span className="share-value">{format(item.value)}</span>
            </li>
          ))}
        </ul>
      )}
    </figure>
  );
}
