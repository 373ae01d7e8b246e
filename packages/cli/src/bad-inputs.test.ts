/**
 * The CLI over a table of hostile inputs, generated in a temp dir: every bad input is
 * one line on stderr, the right exit code (1 input, 2 usage), and never a stack trace.
 */
import { spawnSync } from "node:child_process";
import { mkdir, mkdtemp, readFile, rm, symlink, truncate, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { runCli } from "./cli.ts";
import { recordIo } from "./testing/record-io.ts";

const ROOT = resolve(import.meta.dirname, "../../..");
const SLOS = join(ROOT, "slos");
const HEADER = "timestamp,namespace,metric,dimensions,stat,value";
const row = (t: string, v: string | number, metric = "RequestCount") =>
  `${t},AWS/ApplicationELB,${metric},Service=user-service,Sum,${v}`;
const minutes = (from: string, n: number, v = 100) =>
  Array.from({ length: n }, (_, i) =>
    row(new Date(Date.parse(from) + i * 60_000).toISOString(), v),
  );
const trace = (...rows: string[]) => `timestamp,value\n${rows.join("\n")}\n`;
const traceRows = (n: number, stepS = 300) =>
  Array.from({ length: n }, (_, i) => `${1_700_000_000 + i * stepS},${100 + (i % 7)}`);

let dir: string;

const FILES: Record<string, string> = {
  "negative.csv": [
    HEADER,
    ...minutes("2026-10-01T00:00:00Z", 3),
    row("2026-10-01T00:03:00Z", -5),
  ].join("\n"),
  "infinite.csv": [HEADER, row("2026-10-01T00:00:00Z", "Infinity")].join("\n"),
  "month13.csv": [HEADER, row("2026-13-01T00:00:00Z", 1)].join("\n"),
  "feb30.csv": [HEADER, row("2026-02-30T00:00:00Z", 1)].join("\n"),
  "hour25.csv": [HEADER, row("2026-01-01T25:00:00Z", 1)].join("\n"),
  "zoneless.csv": [HEADER, row("2026-01-01T00:00:00", 1)].join("\n"),
  "header-only.csv": `${HEADER}\n`,
  "all-null.json": JSON.stringify({
    series: [
      { namespace: "N", metricName: "M", stat: "Sum", timestamps: [1, 61], values: [null, null] },
    ],
  }),
  "irregular.csv": [
    HEADER,
    ...minutes("2026-10-01T00:00:00Z", 5),
    row("2026-10-01T00:05:30Z", 100),
  ].join("\n"),
  "span.csv": [
    HEADER,
    row("1970-01-01T00:00:00Z", 1),
    row("1970-01-01T00:01:00Z", 1),
    row("9999-12-31T23:59:00Z", 1),
  ].join("\n"),
  "trace-month13.csv": trace("2026-13-01 00:00:00,1", "2026-13-01 00:05:00,2"),
  "trace-negative.csv": trace(...traceRows(3), `${1_700_000_000 + 900},-4`),
  "trace-3.csv": trace(...traceRows(3)),
  "trace-irregular.csv": trace(...traceRows(400), `${1_700_000_000 + 400 * 300 + 17},5`),
  "trace-span.csv": trace(
    "1970-01-01 00:00:00,1",
    "1970-01-01 00:00:01,1",
    "9999-12-31 00:00:00,1",
  ),
  "trace-ok.csv": trace(...traceRows(600)),
  "bomb.yaml": `a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\ne: [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\n`,
  "plain.txt": "not a directory\n",
  "huge.csv": "",
  "huge-trace.csv": "",
};

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "slo-bad-inputs-"));
  for (const [name, text] of Object.entries(FILES)) await writeFile(join(dir, name), text);
  await mkdir(join(dir, "a-directory"));
  // Sparse files: their size is what is checked, before a byte is read.
  await truncate(join(dir, "huge.csv"), 400 * 2 ** 20);
  await truncate(join(dir, "huge-trace.csv"), 200 * 2 ** 20);
  await symlink(join(dir, "gone.csv"), join(dir, "dangling.csv"));
  await symlink(join(dir, "loop-b.csv"), join(dir, "loop-a.csv"));
  await symlink(join(dir, "loop-a.csv"), join(dir, "loop-b.csv"));
  // validate over a folder: one good file, one alias bomb, one symlink loop.
  await mkdir(join(dir, "defs"));
  await writeFile(
    join(dir, "defs", "user-service.yaml"),
    await readFile(join(SLOS, "user-service.yaml"), "utf8"),
  );
  await writeFile(join(dir, "defs", "bomb.yaml"), FILES["bomb.yaml"] as string);
  await symlink(join(dir, "defs", "x.yaml"), join(dir, "defs", "loop.yaml"));
  await symlink(join(dir, "defs", "loop.yaml"), join(dir, "defs", "x.yaml"));
  // One SLO whose window is millennia long.
  await mkdir(join(dir, "ancient"));
  await writeFile(
    join(dir, "ancient", "user-service.yaml"),
    (await readFile(join(SLOS, "user-service.yaml"), "utf8")).replace(
      "duration: 30d",
      "duration: 5000000w",
    ),
  );
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const REPORT = ["report", SLOS, "--service", "user-service", "--source"];
const GATE = ["gate", SLOS, "--service", "user-service"];

// [what, argv, exit code, stderr must match]
const TABLE: [string, string[], number, RegExp][] = [
  // impossible data in metrics files: file:line and the fix
  ["negative count", [...REPORT, "negative.csv"], 1, /negative.csv:5: value -5 is negative/],
  ["infinite value", [...REPORT, "infinite.csv"], 1, /infinite.csv:2: value "Infinity"/],
  ["month 13", [...REPORT, "month13.csv"], 1, /month13.csv:2: .*month 13 does not exist/],
  ["30 February", [...REPORT, "feb30.csv"], 1, /feb30.csv:2: .*day 30 does not exist/],
  ["hour 25", [...REPORT, "hour25.csv"], 1, /hour25.csv:2: .*hour 25 does not exist/],
  ["zone-less time", [...REPORT, "zoneless.csv"], 1, /zoneless.csv:2: .*no time zone/],
  // empty input is not "ok"
  ["header, no rows", [...REPORT, "header-only.csv"], 1, /header-only.csv: no datapoints/],
  ["all-null JSON", [...REPORT, "all-null.json"], 1, /all-null.json: no datapoints/],
  // irregular steps are named, not silently resampled
  [
    "irregular step",
    [...REPORT, "irregular.csv"],
    1,
    /irregular step at .*irregular.csv:7: 90 s .*60 s step.*--resample/,
  ],
  // sizes checked before memory is committed
  [
    "1970 to 9999",
    [...REPORT, "span.csv"],
    1,
    /span.csv: 1970-01-01T00:00:00.000Z to .* over the cap of 50,000,000/,
  ],
  [
    "--max-steps lowers the cap",
    [...REPORT, "irregular.csv", "--resample", "--max-steps", "3"],
    1,
    /over the cap of 3\b/,
  ],
  [
    "window of millennia",
    ["report", join("ancient"), "--max-steps", "50000000"],
    1,
    /user-service.yaml:\d+: .*window 5000000w needs .* over the cap of 50,000,000 .*slo validate/,
  ],
  [
    "400 MiB metrics file",
    [...REPORT, "huge.csv"],
    1,
    /huge.csv: the file is 400 MiB, over the 320 MiB a metrics file may hold/,
  ],
  [
    "200 MiB trace",
    ["forecast", "--input", "huge-trace.csv"],
    1,
    /huge-trace.csv: the file is 200 MiB, over the 128 MiB a trace may hold/,
  ],
  // file-system errors: one line naming the path
  ["missing file", [...REPORT, "nope.csv"], 1, /nope.csv: no such file/],
  [
    "directory as a file",
    [...REPORT, "a-directory"],
    1,
    /a-directory: cannot read the file: is a directory/,
  ],
  ["dangling symlink", [...REPORT, "dangling.csv"], 1, /dangling.csv: no such file/],
  [
    "symlink loop",
    [...REPORT, "loop-a.csv"],
    1,
    /loop-a.csv: cannot read the file: too many symbolic links/,
  ],
  [
    "--html into a directory",
    ["report", SLOS, "--service", "user-service", "--html", "a-directory"],
    1,
    /a-directory: .*(EISDIR|EEXIST|ENOTDIR|EPERM)/,
  ],
  [
    "--out under a file",
    ["export-metrics", "--slos", SLOS, "--days", "1", "--out", "plain.txt/m.csv"],
    1,
    /plain.txt\/m.csv: .*ENOTDIR/,
  ],
  [
    "import --out under a file",
    ["import-openslo", join(SLOS, "user-service.yaml"), "--out", "plain.txt/x"],
    1,
    /plain.txt\/x.*(ENOTDIR|EEXIST)/,
  ],
  // the gate's flags: read strictly, a usage error naming the flag
  [
    "empty --min-budget",
    [...GATE, "--min-budget", ""],
    2,
    /--min-budget must be a fraction .* got ""/,
  ],
  [
    "hex --min-budget",
    [...GATE, "--min-budget", "0x10"],
    2,
    /--min-budget must be a fraction .* got "0x10"/,
  ],
  ["--min-budget Infinity", [...GATE, "--min-budget", "Infinity"], 2, /--min-budget must be/],
  [
    "bare-number --at",
    [...GATE, "--at", "2026"],
    2,
    /--at must be an ISO-8601 time with a zone.* got "2026"/,
  ],
  ["zone-less --at", [...GATE, "--at", "2026-10-31T12:00:00"], 2, /--at .* \(no time zone\)/],
  [
    "30 February --at",
    [...GATE, "--at", "2026-02-30T12:00:00Z"],
    2,
    /--at .* \(day 30 does not exist in 2026-02\)/,
  ],
  [
    "--at before the data",
    [...GATE, "--at", "2020-01-01T00:00:00Z"],
    2,
    /--at 2020-01-01T00:00:00.000Z is outside the embedded fleet's data/,
  ],
  ["hour 25 --at", ["report", SLOS, "--at", "2026-10-31T25:00:00Z"], 2, /--at .*hour 25/],
  ["unknown flag", [...GATE, "--min-budgte", "0.1"], 2, /Unknown option '--min-budgte'/],
  // where the stage report lives: named, never guessed
  [
    "--aws with a blank --bucket",
    [...GATE, "--aws", "--stage", "production", "--bucket", " "],
    2,
    /--aws reads the stage report .*pass --bucket NAME or set SLO_REPORT_BUCKET/,
  ],
  ["--bucket without --aws", [...GATE, "--bucket", "b"], 2, /--bucket applies to --aws/],
  [
    "doctor with a blank --bucket",
    ["doctor", "--stage", "production", "--cluster", "c", "--bucket", ""],
    2,
    /slo doctor reads the stage report .*rollupBucket/,
  ],
  [
    "stray argument",
    ["simulate", "--trace", "trace-ok.csv", "extra"],
    2,
    /unexpected argument "extra"/,
  ],
  ["--seed 1.5", ["report", SLOS, "--seed", "1.5"], 2, /--seed must be an integer, got "1.5"/],
  // traces
  [
    "trace month 13",
    ["forecast", "--input", "trace-month13.csv"],
    1,
    /trace-month13.csv:2: .*month 13 does not exist/,
  ],
  [
    "trace negative load",
    ["simulate", "--trace", "trace-negative.csv"],
    1,
    /trace-negative.csv:5: value -4 is negative/,
  ],
  [
    "3-point trace",
    ["simulate", "--trace", "trace-3.csv"],
    1,
    /trace-3.csv covers 0.3 h \(3 steps\): the simulator needs more than a day/,
  ],
  [
    "irregular trace",
    ["forecast", "--input", "trace-irregular.csv"],
    1,
    /trace-irregular.csv:402: irregular step: 317 s .* 300 s grid .*--resample/,
  ],
  [
    "trace 1970 to 9999",
    ["forecast", "--input", "trace-span.csv"],
    1,
    /trace-span.csv: 1970.* over the cap of 50,000,000/,
  ],
  [
    "--horizon 100000w",
    ["forecast", "--input", "trace-ok.csv", "--horizon", "100000w"],
    2,
    /--horizon 100000w .* over the cap of 50,000,000/,
  ],
  [
    "--horizon 0x10m",
    ["forecast", "--input", "trace-ok.csv", "--horizon", "0x10m"],
    2,
    /--horizon "0x10m" is not a duration/,
  ],
  [
    "--target 2",
    ["simulate", "--trace", "trace-ok.csv", "--target", "2"],
    2,
    /--target must be a fraction/,
  ],
  ["trace directory", ["simulate", "--trace", "a-directory"], 1, /a-directory: is a directory/],
  [
    "export --days 100000",
    ["export-metrics", "--slos", SLOS, "--out", "x.csv", "--days", "100000"],
    2,
    /--days 100000 .* over the cap of 50,000,000/,
  ],
  [
    "export --end 30 February",
    ["export-metrics", "--out", "x.csv", "--end", "2026-02-30T00:00:00Z"],
    2,
    /--end .*day 30/,
  ],
];

describe("bad inputs: one line, the right exit code, no stack", () => {
  it.each(TABLE)("%s", async (_, argv, code, message) => {
    const r = recordIo(dir);
    const started = performance.now();
    expect(await runCli(argv, r.io)).toBe(code);
    const err = r.err();
    expect(err).toMatch(message);
    expect(err.trimEnd().split("\n")).toHaveLength(1);
    expect(err).not.toMatch(/\n\s+at |internal error/);
    expect(performance.now() - started).toBeLessThan(10_000);
  });

  it("refuses a 1970-to-9999 metrics file and --horizon 100000w fast, without allocating", async () => {
    for (const argv of [
      [...REPORT, "span.csv"],
      ["forecast", "--input", "trace-ok.csv", "--horizon", "100000w"],
      ["forecast", "--input", "trace-span.csv"],
    ]) {
      globalThis.gc?.();
      const before = process.memoryUsage();
      const started = performance.now();
      const r = recordIo(dir);
      expect(await runCli(argv, r.io)).not.toBe(0);
      const ms = performance.now() - started;
      const after = process.memoryUsage();
      // A dense 1970-to-9999 series at 60 s would be 33 GB; the refusal allocates ~nothing.
      expect(ms).toBeLessThan(1000);
      expect(after.rss - before.rss).toBeLessThan(100 * 2 ** 20);
      expect(after.arrayBuffers - before.arrayBuffers).toBeLessThan(10 * 2 ** 20);
    }
  });

  it("validate reports an alias bomb and a symlink loop as issues and still checks the other files", async () => {
    const r = recordIo(dir);
    expect(await runCli(["validate", "defs"], r.io)).toBe(1);
    expect(r.out()).toMatch(/bomb.yaml:\d+: .*unreadable YAML: .*alias/i);
    expect(r.out()).toMatch(/loop.yaml: cannot read: too many symbolic links/);
    expect(r.out()).toMatch(/invalid: 4 SLOs in 4 files, 3 errors/);
    expect(r.err()).toBe("");
  });

  it("the gate fails closed on impossible counts (bad > total) and says why", async () => {
    const lines = [HEADER];
    const start = Date.parse("2026-10-01T00:00:00Z");
    for (let i = 0; i < 120; i++) {
      const t = new Date(start + i * 60_000).toISOString();
      lines.push(row(t, 100), row(t, i === 60 ? 5000 : 0, "HTTPCode_Target_5XX_Count"));
      lines.push(row(t, 0, "TargetConnectionErrorCount"));
    }
    await writeFile(join(dir, "bad-over-total.csv"), lines.join("\n"));
    const r = recordIo(dir);
    expect(
      await runCli([...GATE, "--source", "bad-over-total.csv", "--no-data", "allow"], r.io),
    ).toBe(1);
    expect(r.out()).toMatch(/BLOCKED/);
    expect(r.out()).toMatch(
      /BLOCK user-service-availability .*fails closed: .*impossible counts at 2026-10-01T01:00:00.000Z: bad 5000, total 100/,
    );
  });

  it("a bug is exit 70, says so in one line, and shows the stack only under --debug", async () => {
    vi.resetModules();
    vi.doMock("./commands/validate.ts", () => ({
      run: async () => {
        const missing = undefined as unknown as { field: number };
        return missing.field;
      },
    }));
    const { runCli: fresh } = await import("./cli.ts");
    const quiet = recordIo(dir);
    expect(await fresh(["validate"], quiet.io)).toBe(70);
    expect(quiet.err()).toMatch(
      /^slo validate: internal error \(a bug, please report it\): TypeError: .* \(rerun with --debug for the stack\)\n$/,
    );
    const loud = recordIo(dir);
    expect(await fresh(["validate", "--debug"], loud.io)).toBe(70);
    expect(loud.err()).toMatch(/\n\s+at /);
    vi.doUnmock("./commands/validate.ts");
  });
});

describe("the real binary", () => {
  const bin = join(ROOT, "packages/cli/src/bin.ts");
  const node = (args: string[], opts: { input?: string; shell?: string } = {}) =>
    opts.shell
      ? spawnSync("sh", ["-c", opts.shell], { cwd: dir, encoding: "utf8", timeout: 60_000 })
      : spawnSync(process.execPath, ["--no-warnings", bin, ...args], {
          cwd: dir,
          encoding: "utf8",
          timeout: 60_000,
        });

  it("exits 2 on bad usage and 1 on bad input, one stderr line each", () => {
    const usage = node(["gate", SLOS, "--service", "user-service", "--min-budget", ""]);
    expect(usage.status).toBe(2);
    expect(usage.stderr.trimEnd().split("\n")).toHaveLength(1);
    const input = node(["report", SLOS, "--source", "feb30.csv"]);
    expect(input.status).toBe(1);
    expect(input.stderr).toMatch(/feb30.csv:2: .*day 30/);
    expect(input.stderr.trimEnd().split("\n")).toHaveLength(1);
  });

  it("piped into head, stops quietly (no EPIPE stack)", () => {
    const r = node([], {
      shell: `"${process.execPath}" --no-warnings "${bin}" export-openslo "${SLOS}" | head -c 10 >/dev/null; echo "status=$?"`,
    });
    expect(r.stderr).toBe("");
    expect(r.stdout).toMatch(/status=0/);
    const p = node([], {
      shell: `"${process.execPath}" --no-warnings "${bin}" export-openslo "${SLOS}" 2>err.txt | head -c 10 >/dev/null; cat err.txt`,
    });
    expect(p.stdout).not.toMatch(/EPIPE|Error/);
  });
});
