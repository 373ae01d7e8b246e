import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { loadSloFiles } from "@slo/core/spec";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../cli.ts";
import { recordIo } from "../testing/record-io.ts";

const ROOT = resolve(import.meta.dirname, "../../../..");

const recorder = (cwd: string) => recordIo(cwd);

const strip = (slos: { location: unknown }[]) => slos.map(({ location: _l, ...rest }) => rest);

describe("slo export-openslo", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "slo-export-"));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it("writes the fleet as OpenSLO to stdout, which loads back to the same definitions", async () => {
    const r = recorder(ROOT);
    expect(await runCli(["export-openslo", "slos"], r.io)).toBe(0);
    const text = r.out();
    expect(text.match(/^kind: SLO$/gm)).toHaveLength(41);
    expect(text).toContain('slo-platform.dev/min-events: "100"');
    await writeFile(join(dir, "export.yaml"), text);
    const [original, exported] = await Promise.all([
      loadSloFiles([join(ROOT, "slos")]),
      loadSloFiles([join(dir, "export.yaml")]),
    ]);
    expect(exported.issues).toEqual([]);
    expect(strip(exported.slos)).toEqual(strip(original.slos));
  });

  it("writes --out atomically and leaves no temp file", async () => {
    const r = recorder(dir);
    expect(
      await runCli(["export-openslo", join(ROOT, "slos"), "--out", "out/all.yaml"], r.io),
    ).toBe(0);
    expect(r.err()).toContain("41 SLOs");
    expect(await readdir(join(dir, "out"))).toEqual(["all.yaml"]);
    expect(await readFile(join(dir, "out", "all.yaml"), "utf8")).toContain("kind: DataSource");
  });

  it("refuses to export invalid definitions and writes nothing", async () => {
    await writeFile(
      join(dir, "bad.yaml"),
      "apiVersion: openslo/v1\nkind: SLO\nmetadata: { name: x }\nspec: {}\n",
    );
    const r = recorder(dir);
    expect(await runCli(["export-openslo", "bad.yaml", "--out", "bad-out.yaml"], r.io)).toBe(1);
    expect(r.err()).toMatch(/bad\.yaml:4: spec\.service: "service" is required/);
    expect(r.err()).toContain("nothing exported");
    await expect(readFile(join(dir, "bad-out.yaml"))).rejects.toThrow(/ENOENT/);
  });

  it("rejects unknown flags as usage errors", async () => {
    const r = recorder(dir);
    expect(await runCli(["export-openslo", "--outt", "x"], r.io)).toBe(2);
    expect(r.err()).toContain("--outt");
  });
});
