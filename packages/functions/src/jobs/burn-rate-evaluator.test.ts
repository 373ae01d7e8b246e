import { EMBEDDED_FLEET_END_MS } from "@slo/core/embedded";
import { describe, expect, it } from "vitest";
import { type AlertNotification, alertKey } from "../runtime/alert-state.ts";
import type { AlertStateStore } from "../runtime/alert-store.ts";
import type { Notifier } from "../runtime/notifier.ts";
import { emfDeps, invokeCapturingStdout, pointsOf } from "../test-helpers.ts";
import { createBurnRateEvaluator } from "./burn-rate-evaluator.ts";

const FIRING_AT_END = [
  "catalog-service-latency-p95/page",
  "catalog-service-latency-p99/page",
  "order-service-availability/ticket",
  "order-service-error-rate/ticket",
  "payment-service-availability/page",
  "payment-service-error-rate/page",
  // The mesh SLO sees the same payment-service outage through Service Connect.
  "payment-service-mesh-availability/page",
];

/** Worst state per service at the fleet's end: what the minimal profile publishes. */
const FIRING_SERVICES_AT_END = [
  "catalog-service=2 Service,Stage",
  "order-service=1 Service,Stage",
  "payment-service=2 Service,Stage",
];

const short = (n: AlertNotification) => `${n.slo}/${n.severity}`;

describe("burn-rate-evaluator handler (real middy stack, EMF on stdout)", () => {
  it("publishes BurnRate per Window and AlertState, pages and tickets by severity", async () => {
    const deps = emfDeps("burn-rate-evaluator", { metricsProfile: "full" });
    const run = await invokeCapturingStdout(createBurnRateEvaluator(deps), "burn-rate-evaluator");
    expect(run.result?.failed).toEqual([]);
    expect(pointsOf(run.points, "SLI")).toHaveLength(0);
    const state = (slo: string) => pointsOf(run.points, "AlertState", { SLO: slo })[0]?.value;
    expect(state("payment-service-availability")).toBe(2);
    expect(state("order-service-availability")).toBe(1);
    expect(state("user-service-availability")).toBe(0);
    const payment = pointsOf(run.points, "BurnRate", { SLO: "payment-service-availability" });
    expect(payment.map((p) => p.dimensions.Window).sort()).toEqual([
      "1d",
      "1h",
      "2h",
      "30m",
      "3d",
      "5m",
      "6h",
    ]);
    for (const p of payment)
      expect(Object.keys(p.dimensions).sort()).toEqual(["SLO", "Service", "Stage", "Window"]);
    expect(pointsOf(payment, "BurnRate", { Window: "1h" })[0]?.value).toBeGreaterThan(14.4);
    // reporting-service has had no traffic for two hours: no data is not published as 0.
    expect(
      pointsOf(run.points, "BurnRate", { SLO: "reporting-service-availability", Window: "5m" }),
    ).toEqual([]);
    expect(deps.notifications.sent.map(short).sort()).toEqual(FIRING_AT_END);
    expect(deps.notifications.sent.every((n) => n.kind === "firing")).toBe(true);
    expect(run.result?.notifications).toBe(7);
  });

  it("publishes AlertState per firing service in the minimal profile, logs every objective's values, pages the same", async () => {
    const full = emfDeps("burn-rate-evaluator", { metricsProfile: "full" });
    await invokeCapturingStdout(createBurnRateEvaluator(full), "burn-rate-evaluator");
    const deps = emfDeps("burn-rate-evaluator", { logLevel: "INFO" });
    expect(deps.metricsProfile).toBe("minimal");
    const run = await invokeCapturingStdout(createBurnRateEvaluator(deps), "burn-rate-evaluator");
    expect(run.result?.failed).toEqual([]);
    expect(pointsOf(run.points, "BurnRate")).toHaveLength(0);
    // One point per service where a tier fires, its worst state; quiet services publish nothing.
    const states = pointsOf(run.points, "AlertState").map(
      (p) => `${p.dimensions.Service}=${p.value} ${Object.keys(p.dimensions).sort().join(",")}`,
    );
    expect(states.sort()).toEqual(FIRING_SERVICES_AT_END);
    // Every burn rate and state is still there for people: one log line per objective.
    const logged = run.lines
      .filter((l) => l.startsWith("{"))
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .filter((l) => l.message === "slo values");
    expect(logged).toHaveLength(41);
    const payment = logged.find((l) => l.slo === "payment-service-availability") as {
      stage: string;
      values: Record<string, number>;
    };
    expect(payment.stage).toBe("local");
    expect(Object.keys(payment.values).sort()).toEqual(
      [
        ...["1d", "1h", "2h", "30m", "3d", "5m", "6h"].map((w) => `BurnRate_${w}`),
        "AlertState",
      ].sort(),
    );
    expect(payment.values.BurnRate_1h).toBeGreaterThan(14.4);
    expect(payment.values.AlertState).toBe(2);
    // Alert behaviour does not depend on what is published.
    expect(deps.notifications.sent.map(short).sort()).toEqual(
      full.notifications.sent.map(short).sort(),
    );
    expect(deps.notifications.sent.map(short).sort()).toEqual(FIRING_AT_END);
  });

  it("writes the stage report the gate reads: every objective, its budget and state, at the evaluated step", async () => {
    const deps = emfDeps("burn-rate-evaluator");
    await invokeCapturingStdout(createBurnRateEvaluator(deps), "burn-rate-evaluator");
    const report = await deps.stageReports.get();
    expect(report?.stage).toBe("local");
    expect(report?.evaluatedAtMs).toBe(EMBEDDED_FLEET_END_MS);
    expect(report?.objectives).toHaveLength(41);
    expect(report?.failed).toEqual([]);
    const firing = (report?.objectives ?? [])
      .filter((o) => o.alertState !== null && o.alertState > 0)
      .map((o) => `${o.slo}/${o.alertState === 2 ? "page" : "ticket"}`);
    expect(firing.sort()).toEqual(FIRING_AT_END);
    const payment = report?.objectives.find((o) => o.slo === "payment-service-availability");
    expect(payment?.budgetRemaining).toBeLessThan(1);
    expect(payment?.sli).toBeGreaterThan(0);
    // The full profile's per-objective AlertState says the same (the fleet's SLOs have one
    // objective each, so the SLO dimension is the SLO's name).
    const full = emfDeps("burn-rate-evaluator", { metricsProfile: "full" });
    const fullRun = await invokeCapturingStdout(
      createBurnRateEvaluator(full),
      "burn-rate-evaluator",
    );
    for (const o of report?.objectives ?? []) {
      const state = pointsOf(fullRun.points, "AlertState", { SLO: o.slo })[0]?.value ?? null;
      expect(o.alertState, o.slo).toBe(state);
    }
  });

  it("a stage report that cannot be written is a job failure; the pager still pages", async () => {
    const deps = emfDeps("burn-rate-evaluator");
    const run = await invokeCapturingStdout(
      createBurnRateEvaluator({
        ...deps,
        stageReports: {
          put: () => Promise.reject(new Error("s3:PutObject failed: AccessDenied")),
          get: () => Promise.resolve(undefined),
        },
      }),
      "burn-rate-evaluator",
    );
    expect(run.result?.failed).toEqual([
      {
        scope: "stage-report",
        name: "put",
        reason: "Error: s3:PutObject failed: AccessDenied",
      },
    ]);
    expect(pointsOf(run.points, "JobErrors").map((p) => p.value)).toEqual([1]);
    expect(deps.notifications.sent.map(short).sort()).toEqual(FIRING_AT_END);
  });

  it("tickets budget-exhausted and no-data when it is their pager, once, and pages burns the same", async () => {
    const base = emfDeps("burn-rate-evaluator");
    // A 99.9999 % objective on a healthy SLO: its 30-day budget is gone.
    const tight = "user-service-availability";
    const deps = {
      ...base,
      notifyConditions: true,
      loadSlos: async () => {
        const loaded = await base.loadSlos();
        return {
          ...loaded,
          slos: loaded.slos.map((s) =>
            s.name === tight
              ? { ...s, objectives: s.objectives.map((o) => ({ ...o, target: 0.999999 })) }
              : s,
          ),
        };
      },
    };
    const handler = createBurnRateEvaluator(deps);
    await invokeCapturingStdout(handler, "burn-rate-evaluator");
    const sent = deps.notifications.sent;
    expect(
      sent
        .filter((n) => !n.condition && n.slo !== tight)
        .map(short)
        .sort(),
    ).toEqual(FIRING_AT_END);
    const conditions = sent.filter((n) => n.condition);
    expect(conditions.length).toBeGreaterThan(0);
    for (const n of conditions) {
      expect(n.severity).toBe("ticket");
      expect(n.kind).toBe("firing");
      expect(n.subject).toContain(n.condition === "no-data" ? "no data" : "budget exhausted");
    }
    expect(conditions.map((n) => `${n.slo}/${n.condition}`)).toEqual([`${tight}/budget-exhausted`]);
    const second = await invokeCapturingStdout(handler, "burn-rate-evaluator");
    expect(second.result?.notifications).toBe(0);
  });

  it("notifies only on state changes: a second run sends nothing", async () => {
    const deps = emfDeps("burn-rate-evaluator");
    const handler = createBurnRateEvaluator(deps);
    await invokeCapturingStdout(handler, "burn-rate-evaluator");
    const second = await invokeCapturingStdout(handler, "burn-rate-evaluator");
    expect(second.result?.notifications).toBe(0);
    expect(deps.notifications.sent).toHaveLength(7);
    // The firing services' state is still published on every run.
    expect(pointsOf(second.points, "AlertState")).toHaveLength(FIRING_SERVICES_AT_END.length);
  });

  it("sends a resolve when a stored firing alert is healthy now", async () => {
    const deps = emfDeps("burn-rate-evaluator");
    const { slos } = await deps.loadSlos();
    const user = slos.find((s) => s.name === "user-service-availability");
    const objective = user?.objectives[0]?.name as string;
    const key = alertKey("user-service-availability", objective, "page");
    const since = EMBEDDED_FLEET_END_MS - 2 * 3_600_000;
    await deps.alertStore.save(
      {
        version: 1,
        updatedAtMs: since,
        alerts: {
          [key]: {
            slo: "user-service-availability",
            service: "user-service",
            objective,
            severity: "page",
            status: "firing",
            sinceMs: since,
          },
        },
      },
      undefined,
    );
    await invokeCapturingStdout(createBurnRateEvaluator(deps), "burn-rate-evaluator");
    const resolved = deps.notifications.sent.filter((n) => n.kind === "resolved");
    expect(resolved.map(short)).toEqual(["user-service-availability/page"]);
    expect(resolved[0]?.message).toMatch(/RESOLVED page.*after 2h/);
    const stored = await deps.alertStore.load();
    expect(stored.state.alerts[key]?.status).toBe("ok");
  });

  it("retries a notification that could not be delivered on the next run", async () => {
    const deps = emfDeps("burn-rate-evaluator");
    let failOnce = true;
    const flaky: Notifier = {
      async notify(n) {
        if (failOnce && n.slo === "payment-service-availability") {
          failOnce = false;
          throw new Error("SNS Publish failed: InternalError");
        }
        await deps.notifications.notify(n);
      },
    };
    const handler = createBurnRateEvaluator({ ...deps, notifier: flaky });
    const first = await invokeCapturingStdout(handler, "burn-rate-evaluator");
    expect(first.result?.notifications).toBe(6);
    expect(first.result?.failed.map((f) => f.scope)).toEqual(["notify"]);
    expect(pointsOf(first.points, "JobErrors").map((p) => p.value)).toEqual([1]);
    const second = await invokeCapturingStdout(handler, "burn-rate-evaluator");
    expect(second.result?.notifications).toBe(1);
    expect(deps.notifications.sent.slice(6).map(short)).toEqual([
      "payment-service-availability/page",
    ]);
  });

  it("pages nobody when the stored state cannot be read, but still publishes the metrics", async () => {
    const deps = emfDeps("burn-rate-evaluator");
    const down: AlertStateStore = {
      load: () => Promise.reject(new Error("s3:GetObject failed: SlowDown")),
      save: () => Promise.reject(new Error("unreachable")),
    };
    const run = await invokeCapturingStdout(
      createBurnRateEvaluator({ ...deps, alertState: down }),
      "burn-rate-evaluator",
    );
    expect(deps.notifications.sent).toEqual([]);
    expect(run.result?.failed).toEqual([
      { scope: "alert-state", name: "load", reason: "Error: s3:GetObject failed: SlowDown" },
    ]);
    expect(pointsOf(run.points, "AlertState")).toHaveLength(FIRING_SERVICES_AT_END.length);
  });
});
