import { describe, expect, it } from "vitest";
import { defaultAlertTiers } from "./alert-tiers.ts";
import { lineOf, load, SERVICE_SVC, sloYaml } from "./test-helpers.ts";

const FULL = `apiVersion: openslo/v1
kind: DataSource
metadata:
  name: cw
spec:
  type: CloudWatch
  connectionDetails: {}
---
apiVersion: openslo/v1
kind: Service
metadata:
  name: checkout
  displayName: Checkout
spec:
  description: The checkout API
---
apiVersion: openslo/v1
kind: SLI
metadata:
  name: checkout-good-ratio
spec:
  ratioMetric:
    counter: false
    rawType: success
    good:
      metricSource:
        metricSourceRef: cw
        spec:
          namespace: App
          metricName: Ok
          dimensions:
            - name: Service
              value: checkout
          stat: Sum
    total:
      metricSource:
        type: CloudWatch
        spec:
          expression: "(m1 + m2)"
          metrics:
            - { id: m1, namespace: App, metricName: Ok, stat: Sum }
            - { id: m2, namespace: App, metricName: Failed, stat: Sum }
---
apiVersion: openslo/v1
kind: AlertCondition
metadata:
  name: fast-burn
spec:
  severity: page
  condition: { kind: burnrate, op: gte, threshold: 14.4, lookbackWindow: 1h, alertAfter: 5m }
---
apiVersion: openslo/v1
kind: AlertPolicy
metadata:
  name: page-on-fast-burn
spec:
  alertWhenBreaching: true
  conditions:
    - conditionRef: fast-burn
---
apiVersion: openslo/v1
kind: SLO
metadata:
  name: checkout-availability
  displayName: Checkout availability
  labels: { team: payments, tier: [gold, critical] }
  annotations:
    owner: payments-team
    slo-platform.dev/min-events: "250"
    slo-platform.dev/exclusions: '[{"start":"2026-10-03T02:00:00Z","end":"2026-10-03T04:00:00Z","reason":"db upgrade"}]'
spec:
  description: Successful checkouts
  service: checkout
  indicatorRef: checkout-good-ratio
  timeWindow:
    - duration: 28d
      isRolling: true
  budgetingMethod: Timeslices
  objectives:
    - displayName: strict
      targetPercent: 99.9
      timeSliceTarget: 0.95
      timeSliceWindow: 5m
    - target: 0.99
      timeSliceWindow: 1m
  alertPolicies:
    - alertPolicyRef: page-on-fast-burn
---
apiVersion: openslo/v1
kind: SLO
metadata:
  name: checkout-latency
spec:
  service: checkout
  indicator:
    metadata:
      name: checkout-latency-sli
    spec:
      thresholdMetric:
        metricSource:
          type: CloudWatch
          spec:
            namespace: AWS/ApplicationELB
            metricName: TargetResponseTime
            dimensions: [{ name: Service, value: checkout }]
            stat: p95
  timeWindow:
    - duration: 1M
      isRolling: false
      calendar:
        startTime: "2026-01-01 00:00:00"
        timeZone: Europe/Paris
  budgetingMethod: RatioTimeslices
  objectives:
    - displayName: p95 fast
      op: lte
      value: 0.25
      target: 0.95
      timeSliceWindow: 10m
    - displayName: p95 ok
      op: lt
      value: 0.5
      target: 0.99
      timeSliceWindow: 10m
`;

describe("resolveSloDocuments: features", () => {
  const result = load(FULL, "full.yaml");

  it("loads every kind without errors or warnings", () => {
    expect(result.issues).toEqual([]);
    expect(result.warnings).toEqual([]);
    expect(result.documents.map((d) => d.kind)).toEqual([
      "DataSource",
      "Service",
      "SLI",
      "AlertCondition",
      "AlertPolicy",
      "SLO",
      "SLO",
    ]);
    expect(result.services.map((s) => [s.name, s.displayName, s.description])).toEqual([
      ["checkout", "Checkout", "The checkout API"],
    ]);
  });

  it("resolves indicatorRef across documents, metricSourceRef to the DataSource, and expressions", () => {
    const slo = result.slos[0]!;
    expect(slo.indicatorRef).toBe("checkout-good-ratio");
    expect(slo.indicator).toEqual({
      type: "ratio",
      counter: false,
      good: {
        kind: "metric",
        namespace: "App",
        metricName: "Ok",
        dimensions: { Service: "checkout" },
        stat: "Sum",
      },
      total: {
        kind: "expression",
        expression: "(m1 + m2)",
        metrics: {
          m1: { kind: "metric", namespace: "App", metricName: "Ok", dimensions: {}, stat: "Sum" },
          m2: {
            kind: "metric",
            namespace: "App",
            metricName: "Failed",
            dimensions: {},
            stat: "Sum",
          },
        },
      },
    });
  });

  it("reads Timeslices objectives, targetPercent and generated objective names", () => {
    const slo = result.slos[0]!;
    expect(slo.budgetingMethod).toBe("Timeslices");
    expect(slo.timeWindow).toEqual({ type: "rolling", durationMs: 28 * 86_400_000 });
    expect(slo.objectives).toEqual([
      { name: "strict", target: 0.999, timeSliceTarget: 0.95, timeSliceWindowMs: 300_000 },
      { name: "objective-2", target: 0.99, timeSliceWindowMs: 60_000 },
    ]);
  });

  it("reads labels, extensions and keeps other annotations and alert policy refs", () => {
    const slo = result.slos[0]!;
    expect(slo.labels).toEqual({ team: "payments", tier: "gold,critical" });
    expect(slo.minEvents).toBe(250);
    expect(slo.exclusions).toEqual([
      {
        startMs: Date.parse("2026-10-03T02:00:00Z"),
        endMs: Date.parse("2026-10-03T04:00:00Z"),
        reason: "db upgrade",
      },
    ]);
    expect(slo.alertTiers).toEqual(defaultAlertTiers(28 * 86_400_000));
    const doc = result.documents[5];
    expect(doc?.kind === "SLO" && doc.annotations).toEqual({ owner: "payments-team" });
    expect(doc?.kind === "SLO" && doc.alertPolicies).toEqual([
      { alertPolicyRef: "page-on-fast-burn" },
    ]);
  });

  it("reads threshold SLIs, calendar windows with time zones and several objectives", () => {
    const slo = result.slos[1]!;
    expect(slo.indicator).toEqual({
      type: "threshold",
      metric: {
        kind: "metric",
        namespace: "AWS/ApplicationELB",
        metricName: "TargetResponseTime",
        dimensions: { Service: "checkout" },
        stat: "p95",
      },
    });
    // Midnight in Paris on 1 January is 23:00 UTC the day before.
    expect(slo.timeWindow).toEqual({
      type: "calendar",
      unit: "Month",
      count: 1,
      startTimeMs: Date.UTC(2025, 11, 31, 23),
      timeZone: "Europe/Paris",
    });
    expect(
      slo.objectives.map((o) => [o.name, o.op, o.value, o.target, o.timeSliceWindowMs]),
    ).toEqual([
      ["p95 fast", "lte", 0.25, 0.95, 600_000],
      ["p95 ok", "lt", 0.5, 0.99, 600_000],
    ]);
    expect(slo.minEvents).toBe(0);
    expect(slo.alertTiers.map((t) => t.longWindowMs)).toEqual(
      defaultAlertTiers(30 * 86_400_000).map((t) => t.longWindowMs),
    );
  });

  it("points each SLO's location at its kind: line", () => {
    expect(result.slos.map((s) => s.location)).toEqual([
      { file: "full.yaml", line: lineOf(FULL, "kind: SLO", 1) },
      { file: "full.yaml", line: lineOf(FULL, "kind: SLO", 2) },
    ]);
  });

  it("accepts a top-level list of documents and a bad/total ratio", () => {
    const text = `- apiVersion: openslo/v1
  kind: Service
  metadata: { name: svc }
  spec: {}
- apiVersion: openslo/v1
  kind: SLO
  metadata: { name: svc-errors }
  spec:
    service: svc
    indicator:
      spec:
        ratioMetric:
          bad: { metricSource: { type: CloudWatch, spec: { namespace: N, metricName: Bad, stat: Sum } } }
          total: { metricSource: { type: CloudWatch, spec: { namespace: N, metricName: All, stat: Sum } } }
    timeWindow: { duration: 7d, isRolling: true }
    budgetingMethod: Occurrences
    objectives: [{ target: 0.99 }]
`;
    const r = load(text);
    expect(r.issues).toEqual([]);
    expect(r.slos[0]?.indicator).toMatchObject({
      type: "ratio",
      counter: true,
      bad: { metricName: "Bad" },
    });
    expect(r.slos[0]?.location.line).toBe(6);
    // A 7-day period scales the long windows: 1h * 7/30 = 14 minutes, rounded to whole
    // 5-minute steps (15 minutes) so the engine and the alarms read the same window.
    expect(r.slos[0]?.alertTiers[0]?.longWindowMs).toBe(900_000);
  });

  it("keeps unsupported metric sources with a warning, not an error", () => {
    const text = `${SERVICE_SVC}---
${sloYaml().replace(
  "            type: CloudWatch\n            spec: { namespace: AWS/ApplicationELB, metricName: Good, stat: Sum }",
  '            type: Prometheus\n            spec: { query: "sum(rate(http_requests_total{code!~\\"5..\\"}[5m]))" }',
)}`;
    const r = load(text);
    expect(r.issues).toEqual([]);
    expect(r.slos[0]?.indicator).toMatchObject({
      good: {
        kind: "unsupported",
        type: "Prometheus",
        spec: { query: expect.stringContaining("http_requests_total") },
      },
    });
    expect(r.warnings).toEqual([
      expect.objectContaining({
        line: lineOf(text, "type: Prometheus"),
        path: "spec.indicator.spec.ratioMetric.good.metricSource.type",
        message: expect.stringContaining("unsupported by this engine"),
      }),
    ]);
  });

  it("reads custom alert tiers from the annotation, computing thresholds as B*P/W", () => {
    const text = `${SERVICE_SVC}---
${sloYaml().replace(
  "metadata:\n  name: svc-availability",
  `metadata:\n  name: svc-availability\n  annotations:\n    slo-platform.dev/alert-tiers: '[{"name":"page","severity":"page","longWindow":"2h","budgetFraction":0.05}]'`,
)}`;
    const r = load(text);
    expect(r.issues).toEqual([]);
    expect(r.slos[0]?.alertTiers).toEqual([
      {
        name: "page",
        severity: "page",
        longWindowMs: 7_200_000,
        shortWindowMs: 600_000,
        budgetFraction: 0.05,
        burnRateThreshold: 18,
      },
    ]);
  });
});
