import { staleness } from "../stage-report/gate.ts";
import type { CheckResult, DoctorCheck, StageDeclaration, StageObservation } from "./model.ts";

const pass = (check: string, subject: string, message: string): CheckResult => ({
  check,
  status: "pass",
  subject,
  message,
});
const fail = (check: string, subject: string, message: string, fix: string): CheckResult => ({
  check,
  status: "fail",
  subject,
  message,
  fix,
});
const warn = (check: string, subject: string, message: string, fix: string): CheckResult => ({
  check,
  status: "warn",
  subject,
  message,
  fix,
});

const ago = (nowMs: number, atMs: number) => {
  const s = Math.max(0, Math.round((nowMs - atMs) / 1000));
  return s < 120
    ? `${s} s ago`
    : s < 7200
      ? `${Math.round(s / 60)} min ago`
      : `${Math.round(s / 3600)} h ago`;
};

/**
 * Every service ACTIVE, running == desired, tasks in as many zones as the desired count
 * and the stage's zones allow, and the last deployment COMPLETED.
 */
export const checkServices: DoctorCheck = (d, o) =>
  d.services.flatMap((spec) => {
    const s = o.services.find((x) => x.name === spec.name);
    const C = "services";
    if (!s || o.missingServices.includes(spec.name)) {
      return [
        fail(
          C,
          spec.name,
          `not found in cluster ${d.cluster}`,
          `deploy the stage (sst deploy --stage ${d.stage}) or check --cluster`,
        ),
      ];
    }
    const out: CheckResult[] = [];
    if (s.status !== "ACTIVE") {
      out.push(
        fail(
          C,
          spec.name,
          `status ${s.status}`,
          "the service is being deleted or was deleted: redeploy the stage",
        ),
      );
    }
    if (s.running !== s.desired) {
      out.push(
        fail(
          C,
          spec.name,
          `${s.running} of ${s.desired} tasks running`,
          `look at the service's events and stopped tasks (aws ecs describe-services --cluster ${d.cluster} --services ${spec.name})`,
        ),
      );
    }
    const zones = Object.values(s.tasksByZone).filter((n) => n > 0).length;
    const wantZones = Math.min(d.azs, s.desired);
    if (zones < wantZones) {
      out.push(
        fail(
          C,
          spec.name,
          `tasks in ${zones} zone(s), ${wantZones} expected (${JSON.stringify(s.tasksByZone)})`,
          "a zone lost its tasks: check subnets/capacity there; AZ rebalancing moves tasks back once it can",
        ),
      );
    }
    if (s.rolloutState !== "COMPLETED") {
      out.push(
        fail(
          C,
          spec.name,
          `last deployment ${s.rolloutState ?? "has no rollout state"}${s.rolloutReason ? ` (${s.rolloutReason})` : ""}`,
          s.rolloutState === "IN_PROGRESS"
            ? "wait for it, or roll back: slo rollback"
            : `roll back: slo rollback --service ${spec.name} --cluster ${d.cluster}`,
        ),
      );
    }
    if (out.length === 0) {
      out.push(
        pass(
          C,
          spec.name,
          `ACTIVE, ${s.running}/${s.desired} running in ${zones} zone(s), deployment COMPLETED`,
        ),
      );
    }
    return out;
  });

/** Target groups: every registered target healthy, the health check path as declared. */
export const checkTargetGroups: DoctorCheck = (d, o) =>
  d.services.flatMap((spec) => {
    const C = "target-groups";
    const s = o.services.find((x) => x.name === spec.name);
    if (!s) return [];
    if (s.targetGroupArns.length === 0) {
      return [
        fail(
          C,
          spec.name,
          "no target group attached",
          "the service is not behind the ALB: redeploy the stage",
        ),
      ];
    }
    return s.targetGroupArns.flatMap((arn) => {
      const tg = o.targetGroups.find((t) => t.arn === arn);
      const name = arn.split(":").pop() ?? arn;
      if (!tg) return [fail(C, spec.name, `target group ${name} not found`, "redeploy the stage")];
      const out: CheckResult[] = [];
      if (tg.healthCheckPath !== spec.healthPath) {
        out.push(
          fail(
            C,
            spec.name,
            `health check path ${tg.healthCheckPath ?? "(none)"}, declared ${spec.healthPath}`,
            "someone changed it outside the IaC: redeploy the stage to restore it",
          ),
        );
      }
      const bad = tg.targets.filter((t) => t.state !== "healthy");
      if (tg.targets.length === 0) {
        out.push(
          fail(
            C,
            spec.name,
            "no registered targets",
            "no task is registered: check the service's tasks and events",
          ),
        );
      } else if (bad.length > 0) {
        out.push(
          fail(
            C,
            spec.name,
            `${bad.length} of ${tg.targets.length} targets not healthy: ${bad.map((t) => `${t.id} ${t.state}${t.reason ? ` (${t.reason})` : ""}`).join(", ")}`,
            `check ${spec.healthPath} on those tasks and their logs`,
          ),
        );
      }
      if (out.length === 0)
        out.push(
          pass(
            C,
            spec.name,
            `${tg.targets.length} targets healthy, health check ${tg.healthCheckPath}`,
          ),
        );
      return out;
    });
  });

/**
 * Scaling: min/max as declared, every policy attached, nothing suspended, recent
 * activities (failed ones warn), and forecasts present for the predictive policy.
 */
export const checkScaling: DoctorCheck = (d, o) =>
  d.services.flatMap((spec) => {
    const C = "scaling";
    const sc = o.scaling.find((x) => x.service === spec.name);
    if (!sc) {
      return [
        fail(
          C,
          spec.name,
          "no scalable target",
          "redeploy the stage (the scalable target was deregistered)",
        ),
      ];
    }
    const out: CheckResult[] = [];
    if (sc.min !== spec.minTasks || sc.max !== spec.maxTasks) {
      out.push(
        fail(
          C,
          spec.name,
          `min/max ${sc.min}/${sc.max}, declared ${spec.minTasks}/${spec.maxTasks}`,
          "changed outside the IaC: redeploy the stage to restore the declared bounds",
        ),
      );
    }
    const tracking = sc.policies.filter((p) => p.type === "TargetTrackingScaling").length;
    if (tracking < spec.targetTrackingPolicies) {
      out.push(
        fail(
          C,
          spec.name,
          `${tracking} target-tracking policies, ${spec.targetTrackingPolicies} declared`,
          "redeploy the stage to re-create the missing policies",
        ),
      );
    }
    if (
      !sc.policies.some((p) => p.name === spec.predictivePolicy && p.type === "PredictiveScaling")
    ) {
      out.push(
        fail(
          C,
          spec.name,
          `predictive policy ${spec.predictivePolicy} missing`,
          "redeploy the stage",
        ),
      );
    } else if (sc.forecastPoints === 0) {
      out.push(
        warn(
          C,
          spec.name,
          "the predictive policy has no forecast yet",
          "forecasts need 24 h of load history: expected on a new stage, otherwise check the PredictedLoad job",
        ),
      );
    }
    const suspended = Object.entries(sc.suspended)
      .filter(([, v]) => v)
      .map(([k]) => k);
    if (suspended.length > 0) {
      const last = sc.activities[0];
      out.push(
        fail(
          C,
          spec.name,
          `suspended: ${suspended.join(", ")} (AWS keeps no suspension time; last scaling activity ${last ? ago(o.nowMs, last.startMs) : "none"})`,
          `resume when the incident is over: slo scaling resume --service ${spec.name} --cluster ${d.cluster}`,
        ),
      );
    }
    const failed = sc.activities.filter((a) => a.status === "Failed");
    if (failed.length > 0) {
      const f = failed[0] as (typeof failed)[number];
      out.push(
        warn(
          C,
          spec.name,
          `${failed.length} failed scaling activit${failed.length === 1 ? "y" : "ies"}, latest ${ago(o.nowMs, f.startMs)}: ${f.description} (${f.cause})`,
          "read the activity's StatusMessage (aws application-autoscaling describe-scaling-activities)",
        ),
      );
    }
    if (out.length === 0) {
      const recent = sc.activities
        .slice(0, 2)
        .map((a) => `${ago(o.nowMs, a.startMs)}: ${a.description}`);
      out.push(
        pass(
          C,
          spec.name,
          `min/max ${sc.min}/${sc.max}, ${sc.policies.length} policies${sc.forecastPoints ? `, forecast ${sc.forecastPoints} h ahead` : ""}${recent.length ? `; recent: ${recent.join("; ")}` : "; no recent activity"}`,
        ),
      );
    }
    return out;
  });

/** Jobs: ran on schedule and published (heartbeat age), no `JobErrors`, dead-letter queue empty. */
export const checkJobs: DoctorCheck = (d, o) => {
  const C = "jobs";
  const out = d.jobs.flatMap((job) => {
    const units = o.metrics[job.unitsMetricId] ?? [];
    const errors = o.metrics[job.errorsMetricId] ?? [];
    const latest = units[0];
    const res: CheckResult[] = [];
    // Two periods plus EMF's ingestion lag before a missing run counts as a miss.
    const allowedMs = (2 * job.periodSeconds + 120) * 1000;
    if (!latest) {
      res.push(
        fail(
          C,
          job.job,
          "published nothing in the lookback",
          `check the function's logs and its schedule (slo-${d.stage} dead-letter queue)`,
        ),
      );
    } else if (o.nowMs - latest.atMs > allowedMs) {
      res.push(
        fail(
          C,
          job.job,
          `last published ${ago(o.nowMs, latest.atMs)}, runs every ${job.periodSeconds / 60} min`,
          "the schedule stopped or the job fails before publishing: check its logs",
        ),
      );
    }
    const errorSum = errors.reduce((s, p) => s + p.value, 0);
    if (errorSum > 0) {
      res.push(
        fail(
          C,
          job.job,
          `JobErrors ${errorSum} in the lookback`,
          `its logs name each failed unit: filter the function's log group for "unit failed"`,
        ),
      );
    }
    if (res.length === 0)
      res.push(
        pass(C, job.job, `published ${latest ? ago(o.nowMs, latest.atMs) : "-"}, no JobErrors`),
      );
    return res;
  });
  const dlq = o.metrics[d.deadLetterMetricId]?.[0];
  if (dlq && dlq.value > 0) {
    out.push(
      fail(
        C,
        "dead-letter queue",
        `${dlq.value} failed job run(s) waiting`,
        `read them (aws sqs receive-message, queue slo-${d.stage}-jobs-dead-letter), fix the cause, then purge the queue`,
      ),
    );
  } else {
    out.push(
      pass(C, "dead-letter queue", dlq ? "empty" : "empty (no datapoint: nothing was ever sent)"),
    );
  }
  return out;
};

/** Alarms: every declared alarm exists, none stuck in INSUFFICIENT_DATA, actions routed as the profile says. */
export const checkAlarms: DoctorCheck = (d, o) => {
  const C = "alarms";
  const byName = new Map(o.alarms.map((a) => [a.name, a]));
  const out: CheckResult[] = [];
  const missing = d.alarms.filter((a) => !byName.has(a.name));
  if (missing.length > 0) {
    out.push(
      fail(
        C,
        `${missing.length} alarm(s)`,
        `declared but missing: ${missing
          .slice(0, 5)
          .map((a) => a.name)
          .join(", ")}${missing.length > 5 ? ", ..." : ""}`,
        "redeploy the stage (deleted outside the IaC)",
      ),
    );
  }
  for (const decl of d.alarms) {
    const a = byName.get(decl.name);
    if (!a) continue;
    if (
      a.state === "INSUFFICIENT_DATA" &&
      o.nowMs - a.stateSinceMs > decl.maxInsufficientSeconds * 1000
    ) {
      out.push(
        fail(
          C,
          decl.name,
          `INSUFFICIENT_DATA since ${ago(o.nowMs, a.stateSinceMs)}, longer than its ${decl.maxInsufficientSeconds / 60} min evaluation range`,
          "the metric it reads is not published: check the job or canary that publishes it, and the Stage dimension",
        ),
      );
    }
    if (a.actionsEnabled !== decl.actionsEnabled) {
      out.push(
        fail(
          C,
          decl.name,
          `actions ${a.actionsEnabled ? "enabled" : "disabled"}, declared ${decl.actionsEnabled ? "enabled" : "disabled"}`,
          decl.actionsEnabled
            ? `re-enable: aws cloudwatch enable-alarm-actions --alarm-names ${decl.name}`
            : "redeploy the stage: this alarm must not notify (the evaluator pages)",
        ),
      );
    }
    if (decl.topic) {
      const prefix = d.topicNamePrefix[decl.topic];
      const topics = a.alarmActions.map((arn) => arn.split(":").pop() ?? "");
      if (!topics.some((t) => t.startsWith(prefix))) {
        out.push(
          fail(
            C,
            decl.name,
            `notifies ${topics.join(", ") || "nothing"}, the profile routes it to the ${decl.topic} topic (${prefix}-*)`,
            "redeploy the stage to restore the route",
          ),
        );
      }
    }
  }
  const firing = o.alarms.filter(
    (a) => a.state === "ALARM" && d.alarms.some((x) => x.name === a.name),
  );
  for (const a of firing) {
    out.push(
      warn(
        C,
        a.name,
        `in ALARM since ${ago(o.nowMs, a.stateSinceMs)}`,
        "work the alert (its description says what fired)",
      ),
    );
  }
  if (out.length === 0)
    out.push(
      pass(
        C,
        `${d.alarms.length} alarms`,
        "all exist, none stuck without data, actions routed as the profile says",
      ),
    );
  return out;
};

/** Canaries: running (a recent datapoint), last run passed, success rate over the last hour. */
export const checkCanaries: DoctorCheck = (d, o) =>
  Object.entries(d.canaryMetricIds).map(([service, id]) => {
    const C = "canaries";
    const points = o.metrics[id] ?? [];
    const last = points[0];
    if (!last || o.nowMs - last.atMs > (2 * d.canaryPeriodSeconds + 120) * 1000) {
      return fail(
        C,
        service,
        last ? `last run ${ago(o.nowMs, last.atMs)}` : "no run in the lookback",
        "the canary is stopped or failing to start: check it in the Synthetics console and start it",
      );
    }
    const hour = points.filter((p) => o.nowMs - p.atMs <= 3_600_000);
    const rate = hour.reduce((s, p) => s + p.value, 0) / hour.length;
    if (last.value < 100) {
      return fail(
        C,
        service,
        `last run ${last.value}% successful (${Math.round(rate)}% over the last hour)`,
        "open the run's screenshots/HAR; check the service's health and API path",
      );
    }
    return pass(
      C,
      service,
      `last run passed ${ago(o.nowMs, last.atMs)}, ${Math.round(rate)}% over the last hour`,
    );
  });

/** Whose SLO a stage report failure names (an SLO's name, or `scope:name` for a run). */
function failureService(d: StageDeclaration, name: string): string | undefined {
  return d.budgets.find((b) => b.slo === name)?.service;
}

/**
 * Stage report: the burn-rate evaluator's report exists, is this stage's and fresh (at
 * most two steps old: an older one means the evaluator is not running), and names no
 * SLO it could not evaluate. `slo gate --aws` decides from this object and blocks on
 * each of these failures, so each is a ✗.
 */
export const checkStageReport: DoctorCheck = (d, o) => {
  const C = "stage-report";
  const seen = o.stageReport;
  const evaluator = d.jobs.find((j) => j.job === "burn-rate-evaluator");
  const every = evaluator ? ` (every ${evaluator.periodSeconds / 60} min)` : "";
  if (seen === undefined) {
    return [
      fail(
        C,
        "stage report",
        "not read",
        "pass --bucket (the stage's rollupBucket output) so doctor reads what the gate reads",
      ),
    ];
  }
  if (seen.status === "missing") {
    return [
      fail(
        C,
        seen.location,
        "no stage report: the burn-rate evaluator has not written one",
        `deploy the stage and wait one evaluator run${every}; if it stays missing, see the jobs check and the burn-rate-evaluator's logs (slo gate --aws blocks every deploy meanwhile)`,
      ),
    ];
  }
  if (seen.status === "unreadable") {
    return [
      fail(
        C,
        seen.location,
        seen.reason,
        "slo gate --aws cannot read it either and exits 1 for every service: fix the cause the message names",
      ),
    ];
  }
  const { report } = seen;
  const stale = staleness(report, d.stage, o.nowMs);
  if (stale !== null) {
    return [
      fail(
        C,
        seen.location,
        stale,
        `the evaluator has stopped writing it${every}: see the jobs check (heartbeat, JobErrors), its schedule and logs; slo gate --aws blocks every deploy meanwhile`,
      ),
    ];
  }
  const at = new Date(report.evaluatedAtMs).toISOString();
  const out: CheckResult[] = [
    pass(
      C,
      seen.location,
      `evaluated ${ago(o.nowMs, report.evaluatedAtMs)} (${at}), ${report.objectives.length} objectives`,
    ),
  ];
  for (const f of report.failed) {
    const service = failureService(d, f.name);
    out.push(
      fail(
        C,
        f.name,
        `the evaluator could not evaluate it at ${at}: ${f.reason}`,
        `${service ? `slo gate --aws blocks deploys of ${service} until it can` : "the gate blocks the SLOs it covers until it can"}: the burn-rate-evaluator's logs name the failed unit`,
      ),
    );
  }
  return out;
};

const list = (names: readonly string[]) =>
  `${names.slice(0, 5).join(", ")}${names.length > 5 ? ", ..." : ""}`;

/**
 * Budgets: every SLO objective whose error budget in the stage report is below the
 * gate's reserve. Judged only from a fresh report of this stage (the stage-report check
 * says why not otherwise).
 */
export const checkBudgets: DoctorCheck = (d, o) => {
  const C = "budgets";
  const seen = o.stageReport;
  if (seen?.status !== "found" || staleness(seen.report, d.stage, o.nowMs) !== null) {
    return [
      warn(
        C,
        `${d.budgets.length} objectives`,
        "not judged: no fresh stage report of this stage",
        "see the stage-report check",
      ),
    ];
  }
  const { report } = seen;
  const rows = new Map(report.objectives.map((r) => [`${r.slo}\u0000${r.objective}`, r]));
  const failed = new Set(report.failed.map((f) => f.name));
  const low: Array<(typeof d.budgets)[number] & { remaining: number }> = [];
  const unknown: string[] = [];
  const noData: string[] = [];
  for (const b of d.budgets) {
    const row = rows.get(`${b.slo}\u0000${b.objective}`);
    // An SLO the run failed is the stage-report check's line.
    if (row === undefined) {
      if (!failed.has(b.slo)) unknown.push(`${b.slo} (${b.objective})`);
    } else if (row.budgetRemaining === null) {
      noData.push(`${b.slo} (${b.objective})`);
    } else if (row.budgetRemaining < d.budgetReserve) {
      low.push({ ...b, remaining: row.budgetRemaining });
    }
  }
  const out = low.map((b) =>
    fail(
      C,
      b.slo,
      `${b.service}: ${Math.round(b.remaining * 1000) / 10}% of the error budget left, reserve ${d.budgetReserve * 100}%`,
      `the gate blocks deploys of ${b.service}: spend on reliability (slo report --aws for the burn)`,
    ),
  );
  if (unknown.length > 0) {
    out.push(
      warn(
        C,
        `${unknown.length} objective(s)`,
        `not in the stage report: ${list(unknown)}`,
        `the deployed evaluator does not know them (added since the last deploy?): deploy the stage (sst deploy --stage ${d.stage}); until then the gate's --no-data decides them`,
      ),
    );
  }
  if (noData.length > 0) {
    out.push(
      warn(
        C,
        `${noData.length} objective(s)`,
        `no data in the SLO window: ${list(noData)}`,
        "no events reached the SLI's metrics: check the service's traffic, its canary and the SLI's metric names",
      ),
    );
  }
  if (out.length === 0)
    out.push(
      pass(
        C,
        `${d.budgets.length} objectives`,
        `every budget above the ${d.budgetReserve * 100}% reserve`,
      ),
    );
  return out;
};

/** The checks in checklist order. One more check is one more entry. */
/**
 * The zero-trust posture as deployed matches the stage's declaration (README "Zero
 * trust"): every difference is a failure, since a caller admitted that the fleet does
 * not declare is exactly what the posture exists to prevent.
 */
export const checkPosture: DoctorCheck = (d, o) => {
  const C = "zero-trust";
  if (o.posture === undefined) return [];
  if (o.posture.length === 0) {
    return [pass(C, d.stage, `${d.services.length} services deployed as declared`)];
  }
  return o.posture.map((f) =>
    fail(
      C,
      f.service,
      `${f.check}: ${f.message}`,
      `redeploy the stage (sst deploy --stage ${d.stage}) so the posture matches stacks/, or change the declaration (calls in stacks/fleet.ts, zeroTrust in the profile)`,
    ),
  );
};

export const DOCTOR_CHECKS: ReadonlyArray<readonly [string, DoctorCheck]> = [
  ["services", checkServices],
  ["target-groups", checkTargetGroups],
  ["scaling", checkScaling],
  ["jobs", checkJobs],
  ["alarms", checkAlarms],
  ["canaries", checkCanaries],
  ["stage-report", checkStageReport],
  ["budgets", checkBudgets],
  ["zero-trust", checkPosture],
];

/**
 * Runs checks over one observation. A check that throws becomes a failed line naming
 * it, so one bug never hides the other checks' results.
 *
 * @example
 * const results = runDoctor(declared, observed);
 * const healthy = results.every((r) => r.status !== "fail");
 */
export function runDoctor(
  declared: StageDeclaration,
  observed: StageObservation,
  checks: ReadonlyArray<readonly [string, DoctorCheck]> = DOCTOR_CHECKS,
): CheckResult[] {
  return checks.flatMap(([name, check]) => {
    try {
      return check(declared, observed);
    } catch (error) {
      return [
        fail(
          name,
          name,
          `check failed: ${(error as Error).message}`,
          "a bug in slo doctor: rerun with --debug and report it",
        ),
      ];
    }
  });
}
