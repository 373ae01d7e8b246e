import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { runCli } from "../cli.ts";
import { recordIo } from "../testing/record-io.ts";

const ROOT = resolve(import.meta.dirname, "../../../..");

const recorder = (cwd: string) => recordIo(cwd);

describe("slo validate", () => {
  const dirs: string[] = [];
  afterEach(async () => {
    await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
  });

  async function brokenFleet(edit: (text: string) => string): Promise<string> {
    const dir = await mkdtemp(join(tmpdir(), "slo-validate-"));
    dirs.push(dir);
    await cp(join(ROOT, "slos"), join(dir, "slos"), { recursive: true });
    const file = join(dir, "slos", "order-service.yaml");
    await writeFile(file, edit(await readFile(file, "utf8")));
    return dir;
  }

  it("exits 0 on the committed fleet (default path slos/)", async () => {
    const r = recorder(ROOT);
    expect(await runCli(["validate"], r.io)).toBe(0);
    expect(r.out()).toBe("ok: 41 SLOs in 12 files, 0 errors, 0 warnings\n");
  });

  it("exits 1 with file:line: path: message (hint) on a broken copy", async () => {
    let brokenLine = 0;
    const dir = await brokenFleet((text) => {
      const lines = text.split("\n");
      const i = lines.findIndex((l) => l.includes("target: 0.999"));
      lines[i] = lines[i]!.replace("target: 0.999", "target: 99.9");
      brokenLine = i + 1;
      return lines.join("\n");
    });
    const r = recorder(dir);
    expect(await runCli(["validate", "slos"], r.io)).toBe(1);
    expect(r.out()).toContain(
      `slos/order-service.yaml:${brokenLine}: spec.objectives[0].target: target 99.9 is outside (0, 1) (write a fraction, e.g. 0.999, or use targetPercent: 99.9)\n`,
    );
    expect(r.out()).toMatch(/invalid: 40 SLOs in 12 files, 1 error, 0 warnings\n$/);
  });

  it("prints warnings but exits 0 when only warnings remain", async () => {
    const dir = await brokenFleet((text) =>
      text.replace(/apiVersion: openslo\/v1\nkind: Service\n[\s\S]*?---\n/, ""),
    );
    const r = recorder(dir);
    expect(await runCli(["validate", "slos"], r.io)).toBe(0);
    expect(r.out()).toMatch(
      /slos\/order-service\.yaml:\d+: warning: spec\.service: service "order-service" is not declared/,
    );
    expect(r.out()).toContain("0 errors, 4 warnings");
  });

  it("reports a missing path and honours --step", async () => {
    const r = recorder(ROOT);
    expect(await runCli(["validate", "no-such-dir"], r.io)).toBe(1);
    expect(r.out()).toContain("no-such-dir: no such file or directory");
    const step = recorder(ROOT);
    expect(await runCli(["validate", "slos", "--step", "31d"], step.io)).toBe(1);
    expect(step.out()).toContain("window 30d is shorter than the 31d step");
    const bad = recorder(ROOT);
    expect(await runCli(["validate", "--step", "soon"], bad.io)).toBe(2);
    expect(bad.err()).toContain('--step "soon" is not a duration');
  });
});
