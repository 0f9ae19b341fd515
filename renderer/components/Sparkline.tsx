// A small packets-per-second line, like the traffic sparklines on Wireshark's welcome page.
// With `points` the x axis holds that many values and the line grows in from the right edge,
// so a young history is not stretched over the whole width.
import type { ReactElement } from 'react';

export function Sparkline({ values, points, width = 120, height = 22, label }: { values: readonly number[]; points?: number; width?: number; height?: number; label: string }): ReactElement {
  const max = Math.max(1, ...values);
  const n = values.length;
  const slots = Math.max(points ?? n, n);
  const step = slots > 1 ? width / (slots - 1) : width;
  const x0 = width - (n - 1) * step;
  const pts = values.map((v, i) => `${(x0 + i * step).toFixed(1)},${(height - 1 - (v / max) * (height - 3)).toFixed(1)}`).join(' ');
  const last = values[n - 1] ?? 0;
  return (
    <svg className="sparkline" width={width} height={height} viewBox={`0 0 ${width} ${height}`} role="img" aria-label={`${label}: ${Math.round(last)} packets/s`}>
      <line x1="0" y1={height - 1} x2={width} y2={height - 1} className="sparkline-base" />
      {n > 1 && <polyline points={pts} className="sparkline-line" />}
    </svg>
  );
}
