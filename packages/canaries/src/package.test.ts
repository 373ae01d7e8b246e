import { execFile, execFileSync, spawnSync } from "node:child_process";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type SampleServiceHandle, startSampleService } from "@slo/sample-service";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  buildCanaryZip,
  CANARY_HANDLER,
  CANARY_RUNTIME_VERSION,
  CANARY_ZIP_ENTRY,
  CANARY_ZIP_MAX_BYTES,
} from "./package.ts";
import { createZip } from "./zip.ts";

const hasUnzip = spawnSync("unzip", ["-v"]).status === 0;

let dir: string;
let svc: SampleServiceHandle;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "canary-zip-"));
  svc = await startSampleService(
    { host: "127.0.0.1", port: 0, latencyMedianMs: 1, drainDelayMs: 0, logRequests: false },
    { sink: () => {} },
  );
});
afterAll(async () => {
  await svc.close();
  await rm(dir, { recursive: true, force: true });
});

describe("createZip", () => {
  it.skipIf(!hasUnzip)("writes archives unzip can list and extract byte-for-byte", async () => {
    const data = Buffer.from("héllo ".repeat(1000));
    const path = join(dir, "t.zip");
    await writeFile(
      path,
      createZip([
        { path: "a/b.txt", data },
        { path: "c.txt", data: Buffer.alloc(0) },
      ]),
    );
    expect(execFileSync("unzip", ["-Z1", path]).toString().trim().split("\n")).toEqual([
      "a/b.txt",
      "c.txt",
    ]);
    expect(execFileSync("unzip", ["-p", path, "a/b.txt"]).equals(data)).toBe(true);
    expect(spawnSync("unzip", ["-tq", path]).status).toBe(0);
  });

  it("is deterministic", () => {
    const e = [{ path: "x.js", data: Buffer.from("x") }];
    expect(createZip(e).equals(createZip(e))).toBe(true);
  });
});

describe("buildCanaryZip", () => {
  it("bundles the handler to nodejs/node_modules/slo-canary.js, deterministically and under the inline limit", async () => {
    const a = await buildCanaryZip(join(dir, "out", "canary.zip"));
    const b = await buildCanaryZip(join(dir, "out2", "canary.zip"));
    expect(a.handler).toBe(CANARY_HANDLER);
    expect(a.handler).toBe("slo-canary.handler");
    expect(a.runtimeVersion).toBe(CANARY_RUNTIME_VERSION);
    expect(a.runtimeVersion).toMatch(/^syn-nodejs-puppeteer-\d+\.\d+$/);
    expect(a.sha256).toBe(b.sha256);
    expect(a.bytes).toBeLessThan(CANARY_ZIP_MAX_BYTES);
    expect((await readFile(a.path)).length).toBe(a.bytes);
    if (hasUnzip) {
      expect(execFileSync("unzip", ["-Z1", a.path]).toString().trim()).toBe(CANARY_ZIP_ENTRY);
    }
  });

  it.skipIf(!hasUnzip)(
    "runs as Synthetics would: required from the layer path, with the library beside it",
    async () => {
      const zip = await buildCanaryZip(join(dir, "run", "canary.zip"));
      const layer = join(dir, "opt");
      execFileSync("unzip", ["-q", zip.path, "-d", layer]);
      const lib = join(layer, "nodejs", "node_modules", "@aws", "synthetics-puppeteer");
      await mkdir(lib, { recursive: true });
      await writeFile(
        join(lib, "index.js"),
        "exports.steps = []; exports.executeStep = async (name, fn) => { exports.steps.push(name); return fn(); };",
      );
      // A separate Node process: CommonJS require of the bundle, exactly the runtime's loading path.
      const script = `
        const mod = require(${JSON.stringify(join(layer, CANARY_ZIP_ENTRY))});
        mod.handler().then(
          (r) => { console.log(JSON.stringify({ ok: r.ok, steps: require("@aws/synthetics-puppeteer").steps })); },
          (e) => { console.log(JSON.stringify({ error: e.name + ": " + e.message })); process.exitCode = 1; });
      `;
      // Async spawn: the sample service runs in this process and must keep answering.
      const run = (env: Record<string, string>) =>
        new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
          execFile(
            process.execPath,
            ["-e", script],
            {
              env: {
                PATH: process.env.PATH ?? "",
                NODE_PATH: join(layer, "nodejs", "node_modules"),
                ...env,
              },
              encoding: "utf8",
              timeout: 20_000,
            },
            (err, stdout, stderr) =>
              resolve({
                status: err ? (typeof err.code === "number" ? err.code : null) : 0,
                stdout,
                stderr,
              }),
          );
        });
      const ok = await run({ CANARY_BASE_URL: svc.url });
      expect(ok.status, `${ok.stdout}\n${ok.stderr}`).toBe(0);
      const okOut = JSON.parse(ok.stdout.trim().split("\n").at(-1) as string);
      expect(okOut).toEqual({ ok: true, steps: ["health", "api"] });

      const bad = await run({ CANARY_BASE_URL: svc.url, CANARY_API_PATH: "/api/items/999" });
      expect(bad.status).toBe(1);
      expect(bad.stdout).toMatch(/CanaryFailedError: Canary failed: api: .* answered 404/);
    },
  );
});
