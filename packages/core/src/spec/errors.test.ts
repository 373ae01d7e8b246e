import { describe, expect, it } from "vitest";
import type { SpecIssue } from "./issues.ts";
import { formatSpecIssues, SloSpecError } from "./issues.ts";
import { parseSloDocuments } from "./parse.ts";
import { resolveSloDocuments } from "./resolve.ts";
import { lineOf, load, SERVICE_SVC, sloYaml } from "./test-helpers.ts";

/** A valid SLO with one line replaced, plus the Service so no warning interferes. */
function broken(from: string, to: string, name?: string): string {
  const slo = sloYaml(name);
  if (!slo.includes(from)) throw new Error(`fixture has no "${from}"`);
  return `${SERVICE_SVC}---\n${slo.replace(from, to)}`;
}

function only(issues: readonly SpecIssue[]): SpecIssue {
  expect(issues).toHaveLength(1);
  return issues[0]!;
}

describe("validation errors carry file, line, path, message and hint", () => {
  it("malformed YAML: line from the YAML parser", () => {
    const text = "apiVersion: openslo/v1\nkind: SLO\nmetadata:\n  name: [unclosed\nspec: {}\n";
    const issue = load(text).issues[0]!;
    expect(issue.message).toMatch(/^invalid YAML/);
    expect(issue.line).toBeGreaterThanOrEqual(4);
    expect(issue.hint).toContain("YAML syntax");
  });

  it("malformed YAML with a tab indentation reports the tab's line", () => {
    const text = `${SERVICE_SVC}---\napiVersion: openslo/v1\nkind: SLO\nmetadata:\n\tname: x\n`;
    const issues = load(text).issues;
    expect(issues.length).toBeGreaterThan(0);
    expect(issues[0]?.line).toBe(lineOf(text, "\tname"));
  });

  it("unknown kind, with a suggestion", () => {
    const text = broken("kind: SLO", "kind: Slo");
    const issue = only(load(text).issues);
    expect(issue).toMatchObject({
      line: lineOf(text, "kind: Slo"),
      path: "kind",
      message: 'unknown kind "Slo"',
      hint: "did you mean SLO?",
    });
  });

  it("missing apiVersion points at the document start", () => {
    const text = broken("apiVersion: openslo/v1\nkind: SLO", "kind: SLO");
    const issue = only(load(text).issues);
    expect(issue).toMatchObject({
      line: lineOf(text, "kind: SLO"),
      message: "apiVersion is missing",
    });
    expect(issue.hint).toContain("openslo/v1");
  });

  it("wrong apiVersion", () => {
    const text = broken(
      "apiVersion: openslo/v1\nkind: SLO",
      "apiVersion: openslo/v2alpha\nkind: SLO",
    );
    expect(only(load(text).issues)).toMatchObject({
      line: lineOf(text, "v2alpha"),
      path: "apiVersion",
    });
  });

  it("target outside (0, 1), with a percent-aware hint", () => {
    const text = broken("target: 0.999", "target: 99.9");
    const issue = only(load(text).issues);
    expect(issue).toMatchObject({
      line: lineOf(text, "target: 99.9"),
      path: "spec.objectives[0].target",
      message: "target 99.9 is outside (0, 1)",
    });
    expect(issue.hint).toContain("targetPercent: 99.9");
  });

  it("targetPercent outside (0, 100) and a target written as a string", () => {
    const a = broken("target: 0.999", "targetPercent: 100");
    expect(only(load(a).issues)).toMatchObject({
      line: lineOf(a, "targetPercent"),
      path: "spec.objectives[0].targetPercent",
    });
    const b = broken("target: 0.999", 'target: "0.999"');
    const issue = only(load(b).issues);
    expect(issue).toMatchObject({
      line: lineOf(b, 'target: "0.999"'),
      message: 'expected number, got string "0.999"',
    });
    expect(issue.hint).toContain("fraction between 0 and 1");
  });

  it("unknown budgeting method", () => {
    const text = broken("budgetingMethod: Occurrences", "budgetingMethod: Occurences");
    expect(only(load(text).issues)).toMatchObject({
      line: lineOf(text, "budgetingMethod"),
      path: "spec.budgetingMethod",
      hint: "did you mean Occurrences?",
    });
  });

  it("timeSliceWindow shorter than the step (default 1m, or given)", () => {
    const text = broken("budgetingMethod: Occurrences", "budgetingMethod: Timeslices").replace(
      "      target: 0.999",
      "      target: 0.999\n      timeSliceWindow: 30s",
    );
    const issue = only(load(text).issues);
    expect(issue).toMatchObject({
      line: lineOf(text, "timeSliceWindow: 30s"),
      path: "spec.objectives[0].timeSliceWindow",
      message: "timeSliceWindow 30s is shorter than the 1m step",
    });
    const fiveMinutes = text.replace("timeSliceWindow: 30s", "timeSliceWindow: 1m");
    expect(load(fiveMinutes).issues).toEqual([]);
    expect(only(load(fiveMinutes, "t.yaml", { stepMs: 300_000 }).issues).message).toBe(
      "timeSliceWindow 1m is shorter than the 5m step",
    );
  });

  it("Timeslices without timeSliceWindow", () => {
    const text = broken("budgetingMethod: Occurrences", "budgetingMethod: Timeslices");
    expect(only(load(text).issues)).toMatchObject({
      line: lineOf(text, "- displayName: main"),
      path: "spec.objectives[0]",
      message: "Timeslices needs timeSliceWindow",
    });
  });

  it("time window shorter than a step", () => {
    const text = broken("duration: 30d", "duration: 30s");
    expect(only(load(text).issues)).toMatchObject({
      line: lineOf(text, "duration: 30s"),
      path: "spec.timeWindow[0].duration",
      message: "window 30s is shorter than the 1m step",
    });
  });

  it("bad durations", () => {
    const text = broken("duration: 30d", "duration: 30 days");
    const issue = only(load(text).issues);
    expect(issue).toMatchObject({
      line: lineOf(text, "duration: 30 days"),
      message: '"30 days" is not an OpenSLO duration',
    });
    const rollingMonth = broken("duration: 30d", "duration: 1M");
    expect(only(load(rollingMonth).issues).message).toContain(
      "rolling windows need a fixed length",
    );
  });

  it("bad time zone and bad calendar start", () => {
    const calendar = (tz: string, start: string) =>
      broken(
        "    - duration: 30d\n      isRolling: true",
        `    - duration: 1M\n      isRolling: false\n      calendar:\n        startTime: "${start}"\n        timeZone: ${tz}`,
      );
    const tz = calendar("Europe/Pariss", "2026-01-01 00:00:00");
    expect(only(load(tz).issues)).toMatchObject({
      line: lineOf(tz, "timeZone"),
      path: "spec.timeWindow[0].calendar.timeZone",
      message: 'unknown time zone "Europe/Pariss"',
    });
    const start = calendar("UTC", "2026-13-01");
    expect(only(load(start).issues)).toMatchObject({
      line: lineOf(start, "startTime"),
      path: "spec.timeWindow[0].calendar.startTime",
    });
  });

  it("threshold objective without op and value", () => {
    const text = `${SERVICE_SVC}---\n${sloYaml().replace(
      / {6}ratioMetric:[\s\S]*?(?= {2}timeWindow)/,
      "      thresholdMetric:\n        metricSource:\n          type: CloudWatch\n          spec: { namespace: N, metricName: Latency, stat: p95 }\n",
    )}`;
    const issues = load(text).issues;
    expect(issues.map((i) => [i.line, i.path, i.message])).toEqual([
      [lineOf(text, "- displayName: main"), "spec.objectives[0]", "threshold objective has no op"],
      [
        lineOf(text, "- displayName: main"),
        "spec.objectives[0]",
        "threshold objective has no value",
      ],
    ]);
  });

  it("duplicate SLO names are reported at both locations, across files", () => {
    const a = parseSloDocuments(`${SERVICE_SVC}---\n${sloYaml("dup")}`, "a.yaml");
    const b = parseSloDocuments(sloYaml("dup"), "b.yaml");
    const r = resolveSloDocuments([a, b]);
    expect(r.issues.map((i) => [i.file, i.line, i.path])).toEqual([
      ["a.yaml", 11, "metadata.name"],
      ["b.yaml", 4, "metadata.name"],
    ]);
    expect(r.issues[0]?.message).toBe('duplicate SLO name "dup" (also at b.yaml:2)');
    expect(r.issues[1]?.message).toBe('duplicate SLO name "dup" (also at a.yaml:9)');
    expect(r.slos).toHaveLength(1);
  });

  it("indicatorRef to a missing SLI", () => {
    const text = `${SERVICE_SVC}---\n${sloYaml().replace(/ {2}indicator:[\s\S]*?(?= {2}timeWindow)/, "  indicatorRef: no-such-sli\n")}`;
    const issue = only(load(text).issues);
    expect(issue).toMatchObject({
      line: lineOf(text, "indicatorRef"),
      path: "spec.indicatorRef",
      message: 'indicatorRef "no-such-sli" names no SLI',
    });
    expect(issue.hint).toContain("metadata.name: no-such-sli");
  });

  it("undeclared service is a warning only", () => {
    const text = sloYaml();
    const r = load(text);
    expect(r.issues).toEqual([]);
    expect(only(r.warnings)).toMatchObject({
      line: lineOf(text, "service: svc"),
      path: "spec.service",
      message: 'service "svc" is not declared',
    });
    expect(r.slos).toHaveLength(1);
  });

  it("unknown fields get a did-you-mean hint", () => {
    const text = broken(
      "budgetingMethod: Occurrences",
      "budgetingMethod: Occurrences\n  timeWindows: []",
    );
    expect(only(load(text).issues)).toMatchObject({
      line: lineOf(text, "timeWindows"),
      path: "spec.timeWindows",
      hint: 'did you mean "timeWindow"?',
    });
  });

  it("extension annotations must be strings and well-formed", () => {
    const text = broken(
      "  name: svc-availability",
      `  name: svc-availability\n  annotations:\n    slo-platform.dev/min-events: 100\n    slo-platform.dev/exclusion: "[]"`,
    );
    const issues = load(text).issues;
    expect(issues.map((i) => [i.line, i.path])).toEqual([
      [lineOf(text, "min-events"), 'metadata.annotations["slo-platform.dev/min-events"]'],
    ]);
    expect(issues[0]?.hint).toContain('"100"');
    const quoted = text.replace("min-events: 100", 'min-events: "100"');
    expect(only(load(quoted).issues)).toMatchObject({
      line: lineOf(quoted, "exclusion:"),
      hint: 'did you mean "slo-platform.dev/exclusions"?',
    });
    const badJson = quoted.replace('exclusion: "[]"', 'exclusions: \'[{"start":"2026-10-03"\'');
    expect(only(load(badJson).issues).message).toMatch(/^not valid JSON/);
    const backwards = quoted.replace(
      'exclusion: "[]"',
      `exclusions: '[{"start":"2026-10-03T04:00:00Z","end":"2026-10-03T02:00:00Z"}]'`,
    );
    expect(only(load(backwards).issues).message).toContain("is not after start");
  });

  it("metric sources: bad statistic and an expression naming a missing metric", () => {
    const stat = broken("metricName: Good, stat: Sum", "metricName: Good, stat: Summ");
    expect(only(load(stat).issues)).toMatchObject({
      line: lineOf(stat, "stat: Summ"),
      path: "spec.indicator.spec.ratioMetric.good.metricSource.spec.stat",
    });
    const expr = broken(
      "spec: { namespace: AWS/ApplicationELB, metricName: Good, stat: Sum }",
      "spec: { expression: m1 - m3, metrics: [{ id: m1, namespace: N, metricName: All, stat: Sum }] }",
    );
    expect(only(load(expr).issues).message).toBe('expression uses "m3" but no metric has that id');
  });

  it("alert policies: inline conditions are checked, unknown refs warn", () => {
    const text = `apiVersion: openslo/v1
kind: AlertPolicy
metadata: { name: p }
spec:
  conditions:
    - kind: AlertCondition
      metadata: { name: inline }
      spec:
        severity: page
        condition: { kind: burnrate, op: gte, threshold: "high", lookbackWindow: 1h }
    - conditionRef: missing
    - something: else
`;
    const r = load(text);
    expect(r.issues.map((i) => [i.line, i.path])).toEqual([
      [lineOf(text, "condition: {"), "spec.conditions[0].spec.condition.threshold"],
      [lineOf(text, "something: else"), "spec.conditions[2]"],
    ]);
    expect(only(r.warnings)).toMatchObject({
      line: lineOf(text, "conditionRef: missing"),
      path: "spec.conditions[1].conditionRef",
    });
  });

  it("reports several errors at once, in several documents", () => {
    const text = `${broken("target: 0.999", "target: 2").replace("budgetingMethod: Occurrences", "budgetingMethod: Sometimes")}---\n${sloYaml("second").replace("duration: 30d", "duration: 0d")}---\napiVersion: openslo/v1\nkind: Widget\n`;
    const r = load(text);
    expect(r.issues.map((i) => i.path).sort()).toEqual(
      [
        "kind",
        "spec.budgetingMethod",
        "spec.objectives[0].target",
        "spec.timeWindow[0].duration",
      ].sort(),
    );
    expect(r.issues.every((i) => i.line > 0 && i.hint)).toBe(true);
  });
});

describe("formatSpecIssues and SloSpecError", () => {
  const issues: SpecIssue[] = [
    { file: "b.yaml", line: 3, path: "spec.service", message: "m2" },
    {
      file: "a.yaml",
      line: 12,
      path: "spec.objectives[0].target",
      message: "target 2 is outside (0, 1)",
      hint: "write 0.999",
    },
    { file: "c", line: 0, path: "", message: "no such file" },
  ];

  it("prints file:line: path: message (hint), sorted", () => {
    expect(formatSpecIssues(issues)).toBe(
      "a.yaml:12: spec.objectives[0].target: target 2 is outside (0, 1) (write 0.999)\nb.yaml:3: spec.service: m2\nc: no such file",
    );
    expect(formatSpecIssues(issues.slice(1, 2), "warning")).toBe(
      "a.yaml:12: warning: spec.objectives[0].target: target 2 is outside (0, 1) (write 0.999)",
    );
  });

  it("SloSpecError carries every issue", () => {
    const error = new SloSpecError(issues);
    expect(error.name).toBe("SloSpecError");
    expect(error.issues).toBe(issues);
    expect(error.message).toContain("3 problems");
    expect(error.message).toContain("a.yaml:12:");
  });
});

describe("spec-level checks that keep validate from passing what the report cannot do", () => {
  it.each([
    ["an empty file", ""],
    ["a comments-only file", "# nothing here yet\n\n# --- \n"],
  ])("%s is an error, not 0 SLOs and 0 errors", (_, text) => {
    const result = load(text, "empty.yaml");
    expect(result.slos).toEqual([]);
    expect(only(result.issues)).toMatchObject({
      file: "empty.yaml",
      line: 1,
      message: "the file holds no OpenSLO documents (it is empty or only comments)",
    });
  });

  it("good and total naming the same series is an error at good's line", () => {
    const text = broken("metricName: Good,", "metricName: RequestCount,");
    const issue = only(load(text).issues);
    expect(issue).toMatchObject({
      line: lineOf(text, "good:") + 1,
      path: "spec.indicator.spec.ratioMetric.good.metricSource",
      message: "good and total name the same series, so the SLI is always 1",
    });
    expect(issue.hint).toContain("successful");
  });

  it("bad and total naming the same series (key order aside) is an error too", () => {
    const text = broken(
      "good:\n          metricSource:\n            type: CloudWatch\n            spec: { namespace: AWS/ApplicationELB, metricName: Good, stat: Sum }",
      "bad:\n          metricSource:\n            type: CloudWatch\n            spec: { stat: Sum, metricName: RequestCount, namespace: AWS/ApplicationELB }",
    );
    expect(only(load(text).issues).message).toBe(
      "bad and total name the same series, so the SLI is always 0",
    );
  });

  it("a window over 50 M steps of history is an error naming the cap and the longest window", () => {
    const centuries = broken("duration: 30d", "duration: 36500d");
    const issue = only(load(centuries).issues);
    expect(issue).toMatchObject({
      line: lineOf(centuries, "duration: 36500d"),
      path: "spec.timeWindow[0].duration",
    });
    expect(issue.message).toBe(
      "window 36500d needs 52,560,000 steps of 1m, over the cap of 50,000,000",
    );
    expect(issue.hint).toBe("write a window of at most 34722d at this step, e.g. 30d");
    // The cap is in steps: the same window passes at a 5-minute step.
    expect(load(centuries, "t.yaml", { stepMs: 300_000 }).issues).toEqual([]);
  });

  it("a calendar window counts this period and the previous one against the cap", () => {
    const text = broken(
      "    - duration: 30d\n      isRolling: true",
      '    - duration: 50Y\n      isRolling: false\n      calendar: { startTime: "2026-01-01 00:00:00", timeZone: UTC }',
    );
    const issue = only(load(text).issues);
    expect(issue.message).toMatch(
      /^window 50Y needs 52,704,000 steps of 1m \(this period and the previous one\), over the cap/,
    );
    expect(issue.hint).toBe("write a period of at most 17361d at this step, e.g. 30d");
  });
});
