/** Small formatting helpers shared by the terminal and HTML renderers. */

export function formatPercent(value: number | null, digits = 3): string {
  if (value === null || !Number.isFinite(value)) return "—";
  return `${(value * 100).toFixed(digits)}%`;
}

export function formatBurnRate(value: number | null): string {
  if (value === null || !Number.isFinite(value)) return "—";
  if (value >= 100) return `${value.toFixed(0)}x`;
  if (value >= 10) return `${value.toFixed(1)}x`;
  return `${value.toFixed(2)}x`;
}

/** `43m`, `6h 12m`, `3d 4h`; `—` for null (not burning). */
export function formatDurationShort(ms: number | null): string {
  if (ms === null || !Number.isFinite(ms)) return "—";
  if (ms <= 0) return "exhausted";
  const minutes = Math.round(ms / 60_000);
  if (minutes < 60) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours}h ${minutes % 60}m`;
  return `${Math.floor(hours / 24)}d ${hours % 24}h`;
}

/** `1h`, `30m`, `3d`: the compact window label used in tables and metric dimensions. */
export function formatWindow(ms: number): string {
  const units: Array<[string, number]> = [
    ["d", 86_400_000],
    ["h", 3_600_000],
    ["m", 60_000],
  ];
  for (const [unit, size] of units) if (ms >= size && ms % size === 0) return `${ms / size}${unit}`;
  return `${Math.round(ms / 1000)}s`;
}
