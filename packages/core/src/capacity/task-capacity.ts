import { CapacityError } from "./errors.ts";

/** One observation of the service: total load, running tasks and (optionally) average CPU. */
export interface UtilisationSample {
  /** Requests per minute across the service. */
  readonly requestsPerMinute: number;
  readonly tasks: number;
  /** Average CPU utilisation in percent (0-100), when known. */
  readonly cpuPercent?: number;
}

/** The estimated per-task capacity and how it was obtained. */
export interface TaskCapacity {
  /** Requests per minute one task serves at the target utilisation. */
  readonly requestsPerTaskPerMinute: number;
  readonly method: "cpu-regression" | "observed-peak";
  /** Fit quality of the CPU regression (R^2), NaN for observed-peak. */
  readonly r2: number;
}

/**
 * Estimates requests per minute per task at the target CPU utilisation from history.
 * With CPU data it fits CPU% = a + b * (load per task) and solves for the target;
 * without CPU it takes the 95th percentile of the load per task, i.e. assumes the fleet
 * ran at its target when it was busiest.
 *
 * This is how a team *chooses* a service's `requestsPerTarget` in `stacks/fleet.ts`; it is
 * not a second runtime source. Every deployed policy (request-count tracking, AWS
 * predictive, forecast tracking) and the simulator use that one declared number, so a
 * measured estimate never silently disagrees with what the policies enforce.
 *
 * @throws CapacityError when fewer than 10 usable samples exist or CPU does not grow with load.
 * @example
 * estimateTaskCapacity(samples, 70).requestsPerTaskPerMinute; // e.g. 1180
 */
export function estimateTaskCapacity(
  samples: readonly UtilisationSample[],
  targetCpuPercent = 70,
): TaskCapacity {
  if (!(targetCpuPercent > 0 && targetCpuPercent <= 100)) {
    throw new CapacityError(
      `targetCpuPercent is ${targetCpuPercent}: write a percentage between 1 and 100, e.g. 70`,
    );
  }
  const usable = samples.filter(
    (s) => s.tasks > 0 && Number.isFinite(s.requestsPerMinute) && s.requestsPerMinute >= 0,
  );
  if (usable.length < 10) {
    throw new CapacityError(
      `only ${usable.length} samples have a load and a task count above zero: give at least 10 (e.g. a day of hourly points)`,
    );
  }
  const withCpu = usable.filter((s) => s.cpuPercent !== undefined && Number.isFinite(s.cpuPercent));
  if (withCpu.length >= 10) {
    const xs = withCpu.map((s) => s.requestsPerMinute / s.tasks);
    const ys = withCpu.map((s) => s.cpuPercent as number);
    const mx = xs.reduce((a, b) => a + b, 0) / xs.length;
    const my = ys.reduce((a, b) => a + b, 0) / ys.length;
    let sxy = 0;
    let sxx = 0;
    let syy = 0;
    xs.forEach((x, i) => {
      const dy = (ys[i] as number) - my;
      sxy += (x - mx) * dy;
      sxx += (x - mx) ** 2;
      syy += dy * dy;
    });
    const b = sxx === 0 ? 0 : sxy / sxx;
    if (!(b > 0)) {
      throw new CapacityError(
        "cpuPercent does not rise with requests per task in these samples: give samples that span low and high load, or omit cpuPercent",
      );
    }
    const a = my - b * mx;
    const capacity = (targetCpuPercent - a) / b;
    if (!(capacity > 0))
      throw new CapacityError(
        `the idle CPU (${a.toFixed(1)} %) is above the target ${targetCpuPercent} %: raise targetCpuPercent`,
      );
    return {
      requestsPerTaskPerMinute: capacity,
      method: "cpu-regression",
      r2: syy === 0 ? 1 : (sxy * sxy) / (sxx * syy),
    };
  }
  const perTask = usable.map((s) => s.requestsPerMinute / s.tasks).sort((x, y) => x - y);
  const idx = Math.min(perTask.length - 1, Math.floor(0.95 * (perTask.length - 1)));
  const capacity = perTask[idx] as number;
  if (!(capacity > 0))
    throw new CapacityError("every sample has zero load: give samples from a period with traffic");
  return { requestsPerTaskPerMinute: capacity, method: "observed-peak", r2: Number.NaN };
}
