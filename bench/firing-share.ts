/**
 * How often the `minimal` profile's one metric per service, `AlertState` without `SLO`,
 * is published: only while a tier of the service fires, and CloudWatch bills a custom
 * metric for each hour it receives a datapoint. bench:cost and bench:metrics both price
 * it from this one measurement.
 *
 * Measured, not assumed: the real burn-rate evaluator handler (minimal profile, local
 * deps) runs on the embedded fleet (10 services, 41 SLOs; its month holds a 3-day slow
 * burn, an 8-hour latency regression and a 40-minute outage, all at its end) once an hour
 * over its last `hours`; the hour between two runs is billed for a service when either
 * run published its state (an episode that starts or ends inside the hour pays for it).
 * An episode shorter than an hour that starts and ends between two runs is missed.
 */
import { EMBEDDED_FLEET_END_MS } from "../packages/core/src/embedded/index.ts";
import { SLO_METRICS, SLO_NAMESPACE } from "../packages/core/src/monitoring/index.ts";
import { createBurnRateEvaluator } from "../packages/functions/src/jobs/burn-rate-evaluator.ts";
import { fakeLambdaContext } from "../packages/functions/src/runtime/lambda-context.ts";
import { localDeps } from "../packages/functions/src/runtime/local-deps.ts";

const HOUR_MS = 3_600_000;

export interface FiringShare {
  /** Billed service-hours over all service-hours of the window. */
  readonly share: number;
  readonly metricHours: number;
  readonly hours: number;
  readonly services: number;
  readonly byService: Readonly<Record<string, number>>;
  /** Services published at the window's end, with their state. */
  readonly last: ReadonlyMap<string, number>;
  readonly runs: number;
  readonly seconds: number;
}

/**
 * @example
 * const { share } = await measureFiringShare({ cwd: ROOT }); // 0.0107 for the embedded month
 */
export async function measureFiringShare(opts: {
  readonly cwd: string;
  readonly stage?: string;
  readonly hours?: number;
}): Promise<FiringShare> {
  const hours = opts.hours ?? 30 * 24;
  const started = performance.now();
  const deps = localDeps("burn-rate-evaluator", {
    cwd: opts.cwd,
    metricsProfile: "minimal",
    ...(opts.stage ? { stage: opts.stage } : {}),
  });
  const handler = createBurnRateEvaluator(deps);
  const services = [...new Set((await deps.loadSlos()).slos.map((d) => d.service))].sort();
  const published: Array<Map<string, number>> = [];
  const write = process.stdout.write.bind(process.stdout);
  // The handler prints its own EMF job metrics to stdout, as Lambda expects; not ours to show.
  process.stdout.write = (() => true) as typeof process.stdout.write;
  try {
    for (let k = hours; k >= 0; k--) {
      const from = deps.recorder.points.length;
      await handler(
        { time: new Date(EMBEDDED_FLEET_END_MS - k * HOUR_MS).toISOString() },
        fakeLambdaContext("burn-rate-evaluator", { timeoutMs: 900_000 }),
      );
      published.push(
        new Map(
          deps.recorder.points
            .slice(from)
            .filter(
              (p) =>
                p.namespace === SLO_NAMESPACE &&
                p.name === SLO_METRICS.alertState &&
                p.dimensions.SLO === undefined,
            )
            .map((p) => [String(p.dimensions.Service), p.value]),
        ),
      );
    }
  } finally {
    process.stdout.write = write;
  }
  const byService: Record<string, number> = {};
  for (let i = 0; i < hours; i++) {
    for (const service of services) {
      if (published[i]?.has(service) || published[i + 1]?.has(service)) {
        byService[service] = (byService[service] ?? 0) + 1;
      }
    }
  }
  const metricHours = Object.values(byService).reduce((a, b) => a + b, 0);
  return {
    share: metricHours / (hours * services.length),
    metricHours,
    hours,
    services: services.length,
    byService,
    last: published.at(-1) ?? new Map(),
    runs: published.length,
    seconds: (performance.now() - started) / 1000,
  };
}
