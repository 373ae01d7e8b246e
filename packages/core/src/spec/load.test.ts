import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FLEET_SERVICES } from "../embedded/index.ts";
import { loadSloFiles } from "./load.ts";
import { SERVICE_SVC, sloYaml } from "./test-helpers.ts";

const FLEET = resolve(import.meta.dirname, "../../../../slos");

describe("loadSloFiles", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "slo-load-"));
    await mkdir(join(dir, "nested", "deeper"), { recursive: true });
    await writeFile(join(dir, "service.yml"), SERVICE_SVC);
    await writeFile(join(dir, "nested", "deeper", "a.yaml"), sloYaml("svc-a"));
    await writeFile(join(dir, "nested", "notes.txt"), "not yaml: [");
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it("reads directories recursively, .yaml and .yml only, resolving across files", async () => {
    const r = await loadSloFiles([dir]);
    expect(r.issues).toEqual([]);
    expect(r.warnings).toEqual([]);
    expect(r.slos.map((s) => [s.name, s.location.file])).toEqual([
      ["svc-a", join(dir, "nested", "deeper", "a.yaml")],
    ]);
  });

  it("turns a missing path into an issue and still loads the others", async () => {
    const r = await loadSloFiles([join(dir, "missing.yaml"), dir]);
    expect(r.issues).toEqual([
      expect.objectContaining({
        file: join(dir, "missing.yaml"),
        line: 0,
        message: "no such file or directory",
      }),
    ]);
    expect(r.slos).toHaveLength(1);
  });

  it("loads the committed fleet: 10 services x 4 SLOs and the mesh SLO, conventions applied", async () => {
    const r = await loadSloFiles([FLEET]);
    expect(r.issues).toEqual([]);
    expect(r.warnings).toEqual([]);
    expect(r.services.map((s) => s.name).sort()).toEqual([...FLEET_SERVICES].sort());
    expect(
      r.documents
        .filter((d) => d.kind === "DataSource")
        .map((d) => d.kind === "DataSource" && d.type),
    ).toEqual(["CloudWatch"]);
    const names = new Set(r.slos.map((s) => s.name));
    for (const service of FLEET_SERVICES) {
      for (const suffix of ["availability", "latency-p95", "latency-p99", "error-rate"]) {
        expect(names.has(`${service}-${suffix}`), `${service}-${suffix}`).toBe(true);
      }
    }
    // Ten services x four, plus the mesh SLO (slos/mesh.yaml).
    expect(r.slos).toHaveLength(41);
    expect(
      r.slos.every(
        (s) =>
          s.minEvents === 100 &&
          s.timeWindow.type === "rolling" &&
          s.timeWindow.durationMs === 30 * 86_400_000,
      ),
    ).toBe(true);
    expect(r.slos.filter((s) => s.exclusions.length > 0).map((s) => s.name)).toEqual([
      "payment-service-availability",
    ]);
    const p95 = r.slos.find((s) => s.name === "order-service-latency-p95")!;
    expect(p95.objectives).toEqual([
      { name: "p95 under 250 ms", op: "lte", value: 0.25, target: 0.95 },
    ]);
    expect(p95.indicator).toEqual({
      type: "threshold",
      metric: {
        kind: "metric",
        namespace: "AWS/ApplicationELB",
        metricName: "TargetResponseTime",
        dimensions: { Service: "order-service" },
        stat: "p95",
      },
    });
    const availability = r.slos.find((s) => s.name === "order-service-availability")!;
    expect(availability.indicator).toMatchObject({
      type: "ratio",
      counter: true,
      bad: { kind: "expression", expression: "FILL(m1, 0) + FILL(m2, 0)" },
      total: { metricName: "RequestCount", stat: "Sum" },
    });
    expect(availability.objectives[0]?.target).toBe(0.999);
  });
});
