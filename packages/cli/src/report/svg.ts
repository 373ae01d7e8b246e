/** Minimal SVG chart primitives for the self-contained HTML report (no scripts, no assets). */

const W = 320;
const H = 140;
const PAD = { left: 44, right: 8, top: 10, bottom: 22 };

export function escapeXml(text: string): string {
  return text
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;");
}

interface Scale {
  readonly x: (v: number) => number;
  readonly y: (v: number) => number;
}

function scale(xMin: number, xMax: number, yMin: number, yMax: number): Scale {
  const xs = xMax > xMin ? xMax - xMin : 1;
  const ys = yMax > yMin ? yMax - yMin : 1;
  return {
    x: (v) => PAD.left + ((v - xMin) / xs) * (W - PAD.left - PAD.right),
    y: (v) => H - PAD.bottom - ((v - yMin) / ys) * (H - PAD.top - PAD.bottom),
  };
}

function frame(title: string, body: string, yLabels: Array<[number, string]>, s: Scale): string {
  const ticks = yLabels
    .map(
      ([v, label]) =>
        `<line x1="${PAD.left}" x2="${W - PAD.right}" y1="${s.y(v).toFixed(1)}" y2="${s.y(v).toFixed(1)}" class="grid"/>` +
        `<text x="${PAD.left - 4}" y="${(s.y(v) + 3).toFixed(1)}" class="tick" text-anchor="end">${escapeXml(label)}</text>`,
    )
    .join("");
  return `<svg viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="${escapeXml(title)}"><title>${escapeXml(title)}</title>${ticks}${body}</svg>`;
}

/**
 * A line chart of `(x, y)` points; `null` values break the line (no data is shown as a
 * gap, never as zero). `reference` draws a dashed horizontal line (objective, zero budget).
 */
export function lineChart(
  title: string,
  points: ReadonlyArray<readonly [number, number | null]>,
  options: {
    readonly reference?: number;
    readonly format: (v: number) => string;
    readonly yMin?: number;
    readonly yMax?: number;
  },
): string {
  const values = points.flatMap(([, y]) => (y === null || !Number.isFinite(y) ? [] : [y]));
  if (options.reference !== undefined) values.push(options.reference);
  const xMin = points[0]?.[0] ?? 0;
  const xMax = points[points.length - 1]?.[0] ?? 1;
  const yMin = options.yMin ?? (values.length ? Math.min(...values) : 0);
  const yMax = options.yMax ?? (values.length ? Math.max(...values) : 1);
  const s = scale(xMin, xMax, yMin, yMax === yMin ? yMin + 1 : yMax);
  const segments: string[] = [];
  let current: string[] = [];
  for (const [x, y] of points) {
    if (y === null || !Number.isFinite(y)) {
      if (current.length) segments.push(current.join(" "));
      current = [];
      continue;
    }
    current.push(`${s.x(x).toFixed(1)},${s.y(y).toFixed(1)}`);
  }
  if (current.length) segments.push(current.join(" "));
  const lines = segments
    .map((pts) =>
      pts.includes(" ")
        ? `<polyline points="${pts}" class="series"/>`
        : `<circle cx="${pts.split(",")[0]}" cy="${pts.split(",")[1]}" r="1.5" class="dot"/>`,
    )
    .join("");
  const ref =
    options.reference === undefined
      ? ""
      : `<line x1="${PAD.left}" x2="${W - PAD.right}" y1="${s.y(options.reference).toFixed(1)}" y2="${s.y(options.reference).toFixed(1)}" class="ref"/>`;
  const labels: Array<[number, string]> = [
    [yMin, options.format(yMin)],
    [yMax, options.format(yMax)],
  ];
  return frame(title, ref + lines, labels, s);
}

/** Vertical bars with a per-bar threshold tick (burn rate per window vs the tier threshold). */
export function barChart(
  title: string,
  bars: ReadonlyArray<{ label: string; value: number | null; threshold?: number; alert?: boolean }>,
  format: (v: number) => string,
): string {
  const values = bars.flatMap((b) => [b.value ?? 0, b.threshold ?? 0]);
  const yMax = Math.max(1, ...values);
  const s = scale(0, bars.length, 0, yMax);
  const slot = (W - PAD.left - PAD.right) / Math.max(1, bars.length);
  const body = bars
    .map((b, i) => {
      const x = PAD.left + i * slot + slot * 0.15;
      const w = slot * 0.7;
      const v = b.value ?? 0;
      const rect =
        b.value === null
          ? `<text x="${(x + w / 2).toFixed(1)}" y="${(s.y(0) - 4).toFixed(1)}" class="tick" text-anchor="middle">n/a</text>`
          : `<rect x="${x.toFixed(1)}" y="${s.y(v).toFixed(1)}" width="${w.toFixed(1)}" height="${(s.y(0) - s.y(v)).toFixed(1)}" class="${b.alert ? "bar alert" : "bar"}"/>`;
      const thr =
        b.threshold === undefined
          ? ""
          : `<line x1="${x.toFixed(1)}" x2="${(x + w).toFixed(1)}" y1="${s.y(b.threshold).toFixed(1)}" y2="${s.y(b.threshold).toFixed(1)}" class="ref"/>`;
      const label = `<text x="${(x + w / 2).toFixed(1)}" y="${H - 8}" class="tick" text-anchor="middle">${escapeXml(b.label)}</text>`;
      return rect + thr + label;
    })
    .join("");
  return frame(
    title,
    body,
    [
      [0, format(0)],
      [yMax, format(yMax)],
    ],
    s,
  );
}
