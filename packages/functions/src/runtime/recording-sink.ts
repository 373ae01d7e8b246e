import { type MetricPoint, type MetricSink, type PublishResult, validatePoints } from "@slo/aws";

function fmt(v: number): string {
  return Number.isInteger(v) ? String(v) : Number(v.toPrecision(6)).toString();
}

/**
 * One line per namespace, dimension set (without `Window`) and timestamp:
 * `Custom/SLO Service=a SLO=b @2026-10-31T12:00:00.000Z  SLI=0.9995 BurnRate[1h]=0.4`.
 *
 * @example
 * formatPoints(points).join("\n");
 */
export function formatPoints(points: readonly MetricPoint[]): string[] {
  const groups = new Map<string, string[]>();
  for (const p of points) {
    const { Window: window, ...rest } = p.dimensions;
    const dims = Object.entries(rest)
      .map(([k, v]) => `${k}=${v}`)
      .join(" ");
    const key = `${p.namespace} ${dims} @${new Date(p.timestampMs).toISOString()}`;
    const metric = window === undefined ? p.name : `${p.name}[${window}]`;
    const list = groups.get(key) ?? [];
    list.push(`${metric}=${fmt(p.value)}`);
    groups.set(key, list);
  }
  return [...groups].map(([key, metrics]) => `${key}  ${metrics.join(" ")}`);
}

/**
 * A sink that publishes nothing: it keeps the points (tests) and prints what it would
 * publish (`slo invoke --local`, `--aws --dry-run`). It applies the same validation as
 * the real sinks, so a point the EMF sink would reject is rejected here too.
 *
 * @example
 * const sink = new RecordingSink((line) => process.stdout.write(line));
 * await sink.publish(points);
 * sink.points.length; // points.length
 */
export class RecordingSink implements MetricSink {
  readonly name = "recording";
  readonly points: MetricPoint[] = [];
  readonly #print: ((text: string) => void) | undefined;

  constructor(print?: (text: string) => void) {
    this.#print = print;
  }

  async publish(points: readonly MetricPoint[]): Promise<PublishResult> {
    validatePoints(points);
    this.points.push(...points);
    if (this.#print)
      for (const line of formatPoints(points)) this.#print(`would publish ${line}\n`);
    return { published: points.length, requests: 0 };
  }
}
