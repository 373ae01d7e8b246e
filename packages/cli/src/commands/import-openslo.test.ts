import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadSloFiles } from "@slo/core/spec";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runCli } from "../cli.ts";
import { recordIo } from "../testing/record-io.ts";

const recorder = (cwd: string) => recordIo(cwd);

/** Sloth/Pyrra-style export: targetPercent, SLI by reference, DataSource ref, no Service docs. */
const FOREIGN = `apiVersion: openslo/v1
kind: DataSource
metadata: { name: cloudwatch-prod }
spec: { type: CloudWatch, connectionDetails: { region: eu-west-1 } }
---
apiVersion: openslo/v1
kind: SLI
metadata: { name: api-errors }
spec:
  ratioMetric:
    counter: true
    bad: { metricSource: { metricSourceRef: cloudwatch-prod, spec: { namespace: AWS/ApplicationELB, metricName: HTTPCode_Target_5XX_Count, stat: Sum, dimensions: [{ name: Service, value: api }] } } }
    total: { metricSource: { metricSourceRef: cloudwatch-prod, spec: { namespace: AWS/ApplicationELB, metricName: RequestCount, stat: Sum, dimensions: [{ name: Service, value: api }] } } }
---
apiVersion: openslo/v1
kind: SLO
metadata: { name: api-error-rate, displayName: API error rate }
spec:
  service: api
  indicatorRef: api-errors
  timeWindow: [{ duration: 28d, isRolling: true }]
  budgetingMethod: Occurrences
  objectives: [{ displayName: errors, targetPercent: 99.5 }]
---
apiVersion: openslo/v1
kind: SLO
metadata: { name: web-latency }
spec:
  service: web
  indicator:
    metadata: { name: web-latency }
    spec:
      thresholdMetric:
        metricSource: { type: Prometheus, spec: { query: 'histogram_quantile(0.95, rate(http_duration_seconds_bucket[5m]))' } }
  timeWindow: [{ duration: 1w, isRolling: false, calendar: { startTime: "2026-01-05 00:00:00", timeZone: Europe/Berlin } }]
  budgetingMethod: Timeslices
  objectives: [{ op: lte, value: 0.3, targetPercent: 95, timeSliceTarget: 0.9, timeSliceWindow: 5m }]
`;

describe("slo import-openslo", () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "slo-import-"));
    await writeFile(join(dir, "foreign.yaml"), FOREIGN);
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it("writes one normalised file per service plus shared documents, which validate", async () => {
    const r = recorder(dir);
    expect(await runCli(["import-openslo", "foreign.yaml", "--out", "slos"], r.io)).toBe(0);
    expect(r.err()).toContain('metric source type "Prometheus" is unsupported by this engine');
    expect((await readdir(join(dir, "slos"))).sort()).toEqual([
      "_shared.yaml",
      "api.yaml",
      "web.yaml",
    ]);
    const api = await readFile(join(dir, "slos", "api.yaml"), "utf8");
    expect(api).toContain("kind: SLI");
    expect(api).toContain("target: 0.995");
    expect(api).not.toContain("targetPercent");
    expect(await readFile(join(dir, "slos", "_shared.yaml"), "utf8")).toContain("kind: DataSource");

    const [before, after] = await Promise.all([
      loadSloFiles([join(dir, "foreign.yaml")]),
      loadSloFiles([join(dir, "slos")]),
    ]);
    expect(after.issues).toEqual([]);
    const strip = (s: typeof before.slos) => s.map(({ location: _l, ...rest }) => rest);
    expect(strip(after.slos)).toEqual(strip(before.slos));
    expect(after.slos.find((s) => s.name === "web-latency")?.objectives[0]).toEqual({
      name: "objective-1",
      op: "lte",
      value: 0.3,
      target: 0.95,
      timeSliceTarget: 0.9,
      timeSliceWindowMs: 300_000,
    });
  });

  it("never overwrites without --force, and writes nothing at all in that case", async () => {
    const first = recorder(dir);
    expect(await runCli(["import-openslo", "foreign.yaml", "--out", "slos"], first.io)).toBe(0);
    await writeFile(join(dir, "slos", "api.yaml"), "# hand edited\n");
    await rm(join(dir, "slos", "web.yaml"));
    const second = recorder(dir);
    expect(await runCli(["import-openslo", "foreign.yaml", "--out", "slos"], second.io)).toBe(1);
    expect(second.err()).toContain("would overwrite slos/_shared.yaml, slos/api.yaml");
    expect(await readFile(join(dir, "slos", "api.yaml"), "utf8")).toBe("# hand edited\n");
    expect((await readdir(join(dir, "slos"))).sort()).toEqual(["_shared.yaml", "api.yaml"]);

    const forced = recorder(dir);
    expect(
      await runCli(["import-openslo", "foreign.yaml", "--out", "slos", "--force"], forced.io),
    ).toBe(0);
    expect(await readFile(join(dir, "slos", "api.yaml"), "utf8")).toContain("kind: SLO");
    expect((await readdir(join(dir, "slos"))).sort()).toEqual([
      "_shared.yaml",
      "api.yaml",
      "web.yaml",
    ]);
  });

  it("writes nothing when the input has errors, and reports them with lines", async () => {
    const broken = FOREIGN.replace("targetPercent: 99.5", "targetPercent: 995");
    const line = broken.split("\n").findIndex((l) => l.includes("targetPercent: 995")) + 1;
    await writeFile(join(dir, "broken.yaml"), broken);
    const r = recorder(dir);
    expect(await runCli(["import-openslo", "broken.yaml", "--out", "slos"], r.io)).toBe(1);
    expect(r.err()).toContain(
      `broken.yaml:${line}: spec.objectives[0].targetPercent: targetPercent 995 is outside (0, 100)`,
    );
    await expect(readdir(join(dir, "slos"))).rejects.toThrow(/ENOENT/);
  });

  it("requires --out and at least one file", async () => {
    const r = recorder(dir);
    expect(await runCli(["import-openslo", "foreign.yaml"], r.io)).toBe(2);
    expect(r.err()).toContain("--out DIR is required");
    expect(await runCli(["import-openslo", "--out", "x"], r.io)).toBe(2);
  });
});
