/** Small formatting helpers shared by the terminal and HTML renderers. */

export function formatPercent(value: number | null, digits = 3): string {
  if (value === null || !Number.isFinite(value)) return "—";
  return `${(value * 100).toFixed(digits)}%`;
}

export function formatBurnRate(value: number | null): string {
  if (value === null || !Number.isFinite(value)) return "—";
  // Prefix-sum differences can leave -1e-17 where nothing burned; that is zero.
  if (Math.abs(value) < 0.005) return "0.00x";
  if (value >= 100) return `${value.toFixed(0)}x`;
  if (value >= 10) return `${value.toFixed(1)}x`;
  return `${value.toFixed(2)}x`;
}

/** `43m`, `6h 12m`, `3d 4h`; `—` for null (not burning). */
export function formatDurationShort(ms: number | null): string {
  if (ms === null || !Number.isFinite(ms)) return "—";
  if (ms <= 0) return "exhausted";
  // Beyond a year the figure says "not a concern", not a date anyone plans around.
  if (ms > 365 * 86_400_000) return "> 1y";
  const minutes = Math.round(ms / 60_000);
  if (minutes < 60) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours}h ${minutes % 60}m`;
  return `${Math.floor(hours / 24)}d ${hours % 24}h`;
}

/**
 * `1h`, `30m`, `3d`, or compound for windows scaled to other periods (`5h36m` for a
 * 7-day SLO's 6 h tier, not `336m`): the label used in tables and charts.
 */
export function formatWindow(ms: number): string {
  const units: Array<[string, number]> = [
    ["d", 86_400_000],
    ["h", 3_600_000],
    ["m", 60_000],
    ["s", 1_000],
  ];
  let rest = Math.round(ms / 1000) * 1000;
  const parts: string[] = [];
  for (const [unit, size] of units) {
    if (rest >= size) {
      parts.push(`${Math.floor(rest / size)}${unit}`);
      rest %= size;
    }
  }
  return parts.length ? parts.join("") : "0s";
}

const OP_SYMBOL: Record<string, string> = { lt: "<", lte: "≤", gt: ">", gte: "≥" };

/** `95.0% ≤ 0.25` for threshold objectives, `99.90%` for ratio objectives. */
export function formatObjective(target: number, op?: string, value?: number): string {
  if (op === undefined || value === undefined) return formatPercent(target, 2);
  return `${formatPercent(target, 1)} ${OP_SYMBOL[op] ?? op} ${value}`;
}
