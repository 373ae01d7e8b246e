import type { SloReport } from "@slo/core/slo";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type AlertObservation,
  type AlertStateDocument,
  alertKey,
  EMPTY_ALERT_STATE,
  isAlertStateDocument,
  observeConditions,
  planAlertTransitions,
  revertAlerts,
} from "./alert-state.ts";

const KNOWN = new Set(["a", "b"]);

function obs(
  slo: string,
  status: AlertObservation["status"],
  severity: "page" | "ticket" = "page",
): AlertObservation {
  return { slo, service: "svc", objective: "o", severity, status, tiers: [] };
}

describe("planAlertTransitions", () => {
  it("notifies a new firing alert once, then a resolve once", () => {
    let state: AlertStateDocument = EMPTY_ALERT_STATE;
    const kinds: string[] = [];
    for (const [t, status] of [
      [1, "firing"],
      [2, "firing"],
      [3, "ok"],
      [4, "ok"],
    ] as const) {
      const plan = planAlertTransitions(state, [obs("a", status)], t, KNOWN);
      kinds.push(...plan.notifications.map((n) => `${t}:${n.kind}`));
      state = plan.next;
    }
    expect(kinds).toEqual(["1:firing", "3:resolved"]);
    expect(state.alerts[alertKey("a", "o", "page")]).toMatchObject({ status: "ok", sinceMs: 3 });
  });

  it("keeps the state through no data and suppression, and records a first healthy sighting silently", () => {
    const firing = planAlertTransitions(
      EMPTY_ALERT_STATE,
      [obs("a", "firing"), obs("b", "ok")],
      1,
      KNOWN,
    );
    expect(firing.notifications.map((n) => n.slo)).toEqual(["a"]);
    const quiet = planAlertTransitions(
      firing.next,
      [obs("a", "unknown"), obs("a", "suppressed", "ticket")],
      2,
      KNOWN,
    );
    expect(quiet.notifications).toEqual([]);
    expect(quiet.next.alerts[alertKey("a", "o", "page")]?.status).toBe("firing");
    expect(quiet.next.alerts[alertKey("a", "o", "ticket")]).toBeUndefined();
    expect(firing.next.alerts[alertKey("b", "o", "page")]?.status).toBe("ok");
  });

  it("drops SLOs that are no longer defined and reverts undelivered changes", () => {
    const first = planAlertTransitions(
      EMPTY_ALERT_STATE,
      [obs("a", "firing"), obs("b", "firing")],
      1,
      KNOWN,
    );
    const pruned = planAlertTransitions(first.next, [], 2, new Set(["b"]));
    expect(Object.keys(pruned.next.alerts)).toEqual([alertKey("b", "o", "page")]);
    const reverted = revertAlerts(first.next, EMPTY_ALERT_STATE, [alertKey("a", "o", "page")]);
    expect(Object.keys(reverted.alerts)).toEqual([alertKey("b", "o", "page")]);
    // The next run sees the change again and notifies it.
    expect(
      planAlertTransitions(reverted, [obs("a", "firing")], 2, KNOWN).notifications,
    ).toHaveLength(1);
  });

  it("never notifies the same kind twice in a row for an alert (property)", () => {
    const status = fc.constantFrom<AlertObservation["status"]>(
      "firing",
      "suppressed",
      "ok",
      "unknown",
    );
    fc.assert(
      fc.property(fc.array(status, { maxLength: 40 }), (statuses) => {
        let state: AlertStateDocument = EMPTY_ALERT_STATE;
        const kinds: string[] = [];
        statuses.forEach((s, t) => {
          const plan = planAlertTransitions(state, [obs("a", s)], t, KNOWN);
          kinds.push(...plan.notifications.map((n) => n.kind));
          state = plan.next;
          expect(isAlertStateDocument(state)).toBe(true);
        });
        // Notifications alternate firing/resolved, starting with firing.
        expect(kinds).toEqual(kinds.map((_, i) => (i % 2 === 0 ? "firing" : "resolved")));
        const lastDecisive = statuses.filter((s) => s === "firing" || s === "ok").at(-1);
        const stored = state.alerts[alertKey("a", "o", "page")]?.status;
        expect(stored).toBe(lastDecisive);
      }),
    );
  });

  it("rejects documents that are not alert state", () => {
    expect(isAlertStateDocument({ version: 1, updatedAtMs: 0, alerts: {} })).toBe(true);
    expect(isAlertStateDocument({ version: 2, updatedAtMs: 0, alerts: {} })).toBe(false);
    expect(isAlertStateDocument({ version: 1, updatedAtMs: 0, alerts: { k: { slo: "a" } } })).toBe(
      false,
    );
    expect(isAlertStateDocument("nope")).toBe(false);
  });
});

describe("observeConditions", () => {
  // Only the fields the observation reads; the rest of a report is irrelevant here.
  const report = (objectives: Array<{ remaining: number | null; sli: number | null }>) =>
    ({
      slo: "a",
      service: "svc",
      objectives: objectives.map((o, i) => ({
        name: `o${i}`,
        sli: o.sli,
        total: o.sli === null ? 0 : 1000,
        errorBudget: { remainingFraction: o.remaining },
      })),
    }) as unknown as SloReport;

  it("tickets an exhausted budget and an SLO window without events, per objective", () => {
    const got = observeConditions([
      report([
        { remaining: -0.25, sli: 0.99 },
        { remaining: 0, sli: 0.999 },
        { remaining: 0.4, sli: 0.9995 },
        { remaining: null, sli: null },
      ]),
    ]);
    const by = (cond: string) =>
      got.filter((o) => o.condition === cond).map((o) => `${o.objective}:${o.status}`);
    expect(by("budget-exhausted")).toEqual(["o0:firing", "o1:firing", "o2:ok", "o3:unknown"]);
    expect(by("no-data")).toEqual(["o0:ok", "o1:ok", "o2:ok", "o3:firing"]);
    expect(got.every((o) => o.severity === "ticket" && o.tiers.length === 0)).toBe(true);
    expect(got.find((o) => o.objective === "o0")?.detail).toBe("error budget remaining -25%");
  });

  it("keeps conditions apart from the tiers in the state: each changes and notifies once", () => {
    const exhausted = observeConditions([report([{ remaining: -0.1, sli: 0.99 }])]);
    const tierTicket = obs("a", "firing", "ticket");
    const first = planAlertTransitions(
      EMPTY_ALERT_STATE,
      [...exhausted, { ...tierTicket, objective: "o0" }],
      1,
      KNOWN,
    );
    expect(first.notifications.map((n) => n.key).sort()).toEqual(
      ["a/o0/budget-exhausted", "a/o0/ticket"].sort(),
    );
    expect(first.notifications.find((n) => n.condition)?.condition).toBe("budget-exhausted");
    expect(isAlertStateDocument(first.next)).toBe(true);
    const again = planAlertTransitions(first.next, exhausted, 2, KNOWN);
    expect(again.notifications).toEqual([]);
    const recovered = observeConditions([report([{ remaining: 0.2, sli: 0.999 }])]);
    const resolved = planAlertTransitions(again.next, recovered, 3, KNOWN);
    expect(resolved.notifications.map((n) => `${n.key}:${n.kind}`)).toEqual([
      "a/o0/budget-exhausted:resolved",
    ]);
    // No data is never "resolved" by a budget it cannot judge.
    const blind = observeConditions([report([{ remaining: null, sli: null }])]);
    const noData = planAlertTransitions(resolved.next, blind, 4, KNOWN);
    expect(noData.notifications.map((n) => `${n.key}:${n.kind}`)).toEqual(["a/o0/no-data:firing"]);
    expect(noData.next.alerts["a/o0/budget-exhausted"]?.status).toBe("ok");
  });

  it("rejects a stored alert with an unknown condition", () => {
    const doc = {
      version: 1,
      updatedAtMs: 1,
      alerts: {
        k: {
          slo: "a",
          objective: "o",
          severity: "ticket",
          status: "ok",
          sinceMs: 1,
          condition: "x",
        },
      },
    };
    expect(isAlertStateDocument(doc)).toBe(false);
  });
});
