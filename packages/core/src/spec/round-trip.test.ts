import { resolve } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { alertTier, defaultAlertTiers, periodMs } from "./alert-tiers.ts";
import type { SliDocument, SloDocument, SpecDocument } from "./documents.ts";
import { loadSloFiles } from "./load.ts";
import type {
  AlertTier,
  CloudWatchMetricStat,
  Indicator,
  MetricSourceRef,
  Objective,
  SloDefinition,
  TimeWindow,
} from "./model.ts";
import { toOpenSloYaml } from "./serialize.ts";
import { load } from "./test-helpers.ts";

const MINUTE = 60_000;
const DAY = 86_400_000;
const FLEET = resolve(import.meta.dirname, "../../../../slos");

/** Definitions compare without their source location, which necessarily changes. */
const strip = (slos: readonly SloDefinition[]) => slos.map(({ location: _l, ...rest }) => rest);

const name = fc.stringMatching(/^[a-z][a-z0-9-]{0,20}[a-z0-9]$/);
const text = fc
  .string({ minLength: 1, maxLength: 30 })
  .filter((s) => s.trim() === s && s.length > 0);
const fraction = fc.double({ min: 0.0001, max: 0.99999, noNaN: true });

const metric: fc.Arbitrary<CloudWatchMetricStat> = fc.record({
  kind: fc.constant("metric" as const),
  namespace: fc.constantFrom("AWS/ApplicationELB", "Custom/App", "AWS/ECS"),
  metricName: fc.stringMatching(/^[A-Z][A-Za-z0-9_]{0,15}$/),
  dimensions: fc.dictionary(fc.stringMatching(/^[A-Z][A-Za-z]{0,8}$/), text, { maxKeys: 3 }),
  stat: fc.constantFrom(
    "Sum",
    "SampleCount",
    "Average",
    "p95",
    "p99.9",
    "TC(:0.25)",
    "TM(10%:90%)",
  ),
});

const source: fc.Arbitrary<MetricSourceRef> = fc.oneof(
  metric,
  fc.record({ m1: metric, m2: metric }).map((metrics) => ({
    kind: "expression" as const,
    expression: "m1 + m2",
    metrics,
  })),
  fc.record({
    kind: fc.constant("unsupported" as const),
    type: fc.constantFrom("Prometheus", "Datadog"),
    spec: fc.record({ query: text }),
  }),
);

const indicator: fc.Arbitrary<Indicator> = fc.oneof(
  fc.record({ type: fc.constant("threshold" as const), metric: source }),
  fc.record({
    type: fc.constant("ratio" as const),
    counter: fc.boolean(),
    good: source,
    total: source,
  }),
  fc.record({
    type: fc.constant("ratio" as const),
    counter: fc.boolean(),
    bad: source,
    total: source,
  }),
);

const timeWindow: fc.Arbitrary<TimeWindow> = fc.oneof(
  fc.integer({ min: 1, max: 90 }).map((d) => ({ type: "rolling" as const, durationMs: d * DAY })),
  fc
    .integer({ min: 5, max: 600 })
    .map((m) => ({ type: "rolling" as const, durationMs: m * MINUTE })),
  fc.record({
    type: fc.constant("calendar" as const),
    unit: fc.constantFrom("Day", "Week", "Month", "Quarter", "Year"),
    count: fc.integer({ min: 1, max: 3 }),
    startTimeMs: fc.integer({ min: 1_600_000_000, max: 1_900_000_000 }).map((s) => s * 1000),
    timeZone: fc.constantFrom(
      "UTC",
      "Europe/Paris",
      "America/New_York",
      "Asia/Kolkata",
      "Australia/Lord_Howe",
    ),
  }),
);

function objectives(
  ind: Indicator,
  method: SloDefinition["budgetingMethod"],
): fc.Arbitrary<Objective[]> {
  const one = fc.record(
    {
      target: fraction,
      op: fc.constantFrom("lt", "lte", "gt", "gte" as const),
      value: fc
        .double({ min: -1e6, max: 1e6, noNaN: true, noDefaultInfinity: true })
        .map((v) => (Object.is(v, -0) ? 0 : v)),
      timeSliceTarget: fc.option(fc.double({ min: 0.01, max: 1, noNaN: true }), { nil: undefined }),
      timeSliceWindowMs: fc.integer({ min: 1, max: 5 }).map((m) => m * MINUTE),
    },
    { requiredKeys: ["target", "op", "value", "timeSliceTarget", "timeSliceWindowMs"] },
  );
  return fc.array(one, { minLength: 1, maxLength: 3 }).map((list) =>
    list.map(
      (o, i): Objective => ({
        name: `objective-${i + 1}`,
        target: o.target,
        ...(ind.type === "threshold" ? { op: o.op, value: o.value } : {}),
        ...(method === "Timeslices" && o.timeSliceTarget !== undefined
          ? { timeSliceTarget: o.timeSliceTarget }
          : {}),
        ...(method === "Occurrences" ? {} : { timeSliceWindowMs: o.timeSliceWindowMs }),
      }),
    ),
  );
}

function tiers(window: TimeWindow): fc.Arbitrary<AlertTier[]> {
  const period = periodMs(window);
  const custom = fc
    .array(
      fc.record({
        severity: fc.constantFrom("page", "ticket" as const),
        shortMinutes: fc.integer({ min: 1, max: 4 }),
        budgetFraction: fc.double({ min: 0.001, max: 1, noNaN: true }),
      }),
      { minLength: 1, maxLength: 4 },
    )
    .map((list) =>
      list.map((t, i) =>
        alertTier(
          {
            name: `tier-${i}`,
            severity: t.severity,
            longWindowMs: t.shortMinutes * 5 * MINUTE,
            shortWindowMs: t.shortMinutes * MINUTE,
            budgetFraction: t.budgetFraction,
          },
          period,
        ),
      ),
    );
  // Custom tiers need a long window inside the period (at most 20 minutes here).
  return period >= 20 * MINUTE
    ? fc.oneof(fc.constant(defaultAlertTiers(period)), custom)
    : fc.constant(defaultAlertTiers(period));
}

const definition: fc.Arbitrary<SloDefinition> = fc
  .record({
    name,
    indicator,
    method: fc.constantFrom("Occurrences", "Timeslices", "RatioTimeslices" as const),
    timeWindow: timeWindow.filter((w) => w.type !== "rolling" || w.durationMs >= 10 * MINUTE),
  })
  .chain(({ name: n, indicator: ind, method, timeWindow: tw }) =>
    fc.record({
      name: fc.constant(n),
      displayName: fc.option(text, { nil: undefined }),
      service: name,
      description: fc.option(text, { nil: undefined }),
      indicator: fc.constant(ind),
      indicatorRef: fc.option(fc.constant(`${n}-sli`), { nil: undefined }),
      budgetingMethod: fc.constant(method),
      timeWindow: fc.constant(tw),
      objectives: objectives(ind, method),
      alertTiers: tiers(tw),
      exclusions: fc.array(
        fc
          .record({
            startMs: fc.integer({ min: 1.7e12, max: 1.8e12 }),
            lengthMs: fc.integer({ min: 1, max: 1e8 }),
            reason: fc.option(text, { nil: undefined }),
          })
          .map(({ startMs, lengthMs, reason }) => ({
            startMs,
            endMs: startMs + lengthMs,
            ...(reason === undefined ? {} : { reason }),
          })),
        { maxLength: 2 },
      ),
      minEvents: fc.nat(10_000),
      labels: fc.dictionary(fc.stringMatching(/^[a-z][a-z-]{0,10}$/), text, { maxKeys: 2 }),
      location: fc.constant({ file: "gen.yaml", line: 1 }),
    }),
  )
  .map((d) => {
    const out: Record<string, unknown> = { ...d };
    for (const k of ["displayName", "description", "indicatorRef"])
      if (out[k] === undefined) delete out[k];
    return out as unknown as SloDefinition;
  });

function documentsOf(defs: readonly SloDefinition[]): SpecDocument[] {
  return defs.flatMap((definition): SpecDocument[] => {
    const slo: SloDocument = { kind: "SLO", definition, annotations: {}, alertPolicies: [] };
    if (definition.indicatorRef === undefined) return [slo];
    const sli: SliDocument = {
      kind: "SLI",
      name: definition.indicatorRef,
      labels: {},
      annotations: {},
      location: definition.location,
      indicator: definition.indicator,
    };
    return [sli, slo];
  });
}

describe("round trip: parse -> toOpenSloYaml -> parse", () => {
  it("keeps generated definitions equal (fast-check)", () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(definition, { selector: (d) => d.name, minLength: 1, maxLength: 4 }),
        (defs) => {
          const yaml = toOpenSloYaml(documentsOf(defs));
          const first = load(yaml, "gen.yaml");
          expect(first.issues).toEqual([]);
          expect(strip(first.slos)).toEqual(strip(defs));
          const second = load(toOpenSloYaml(first.documents), "gen.yaml");
          expect(second.issues).toEqual([]);
          expect(strip(second.slos)).toEqual(strip(first.slos));
        },
      ),
      { numRuns: 100 },
    );
  });

  it("keeps the committed fleet equal, and the committed files are already canonical", async () => {
    const fleet = await loadSloFiles([FLEET]);
    expect(fleet.issues).toEqual([]);
    const again = load(toOpenSloYaml(fleet.documents), "export.yaml");
    expect(again.issues).toEqual([]);
    expect(strip(again.slos)).toEqual(strip(fleet.slos));
    expect(toOpenSloYaml(again.documents)).toBe(toOpenSloYaml(fleet.documents));
  });

  it("normalises other tools' spellings to the canonical form", () => {
    const yaml = `apiVersion: openslo/v1
kind: SLO
metadata: { name: imported }
spec:
  service: svc
  indicator:
    spec:
      ratioMetric:
        good: { metricSource: { type: CloudWatch, spec: { region: eu-west-1, namespace: N, metricName: Ok, stat: Sum } } }
        total: { metricSource: { type: CloudWatch, spec: { namespace: N, metricName: All, stat: Sum } } }
  timeWindow: { duration: 4w, isRolling: true }
  budgetingMethod: Occurrences
  objectives: [{ targetPercent: 99.5 }]
`;
    const first = load(yaml);
    expect(first.warnings.map((w) => w.message)).toEqual([
      "region is ignored",
      'service "svc" is not declared',
    ]);
    const canonical = toOpenSloYaml(first.documents);
    expect(canonical).toContain("target: 0.995");
    expect(canonical).toContain("duration: 4w");
    expect(canonical).toContain("counter: true");
    expect(canonical).not.toContain("targetPercent");
    expect(canonical).not.toContain("region");
    expect(strip(load(canonical).slos)).toEqual(strip(first.slos));
  });
});
