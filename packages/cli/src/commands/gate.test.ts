import { resolve } from "node:path";
import { GetObjectCommand, NoSuchKey, S3Client, S3ServiceException } from "@aws-sdk/client-s3";
import { EMBEDDED_FLEET_END_MS } from "@slo/core/embedded";
import { loadSloFiles } from "@slo/core/spec";
import {
  buildStageReport,
  encodeStageReport,
  STAGE_REPORT_KEY,
  type StageReport,
  type StageReportObjective,
} from "@slo/core/stage-report";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runCli } from "../cli.ts";
import { recordIo } from "../testing/record-io.ts";
import { runWith } from "./gate.ts";

const ROOT = resolve(import.meta.dirname, "../../../..");

const recorder = () => recordIo(ROOT);

describe("slo gate on the embedded fleet", () => {
  it("blocks the service whose outage is paging and names the SLOs", async () => {
    const r = recorder();
    expect(await runCli(["gate", "--service", "payment-service"], r.io)).toBe(1);
    expect(r.out()).toMatch(/deploy of payment-service: BLOCKED/);
    expect(r.out()).toMatch(/BLOCK payment-service-availability \(availability\): a page alert/);
  });

  it("allows a slow burn with a warning, and blocks it once a reserve is required", async () => {
    const warn = recorder();
    expect(await runCli(["gate", "--service", "order-service"], warn.io)).toBe(0);
    expect(warn.out()).toMatch(/WARN {2}order-service-availability .*ticket alert/);
    const reserve = recorder();
    const code = await runCli(
      ["gate", "--service", "order-service", "--min-budget", "0.5", "--json"],
      reserve.io,
    );
    expect(code).toBe(1);
    const last = JSON.parse(reserve.out().trim().split("\n").at(-1) as string);
    expect(last).toMatchObject({ service: "order-service", allowed: false });
    expect(last.verdicts[0].reasons[0]).toMatch(/below the 50\.0% reserve/);
    // A pipeline reads stdout as one JSON document (README "Operating a stage").
    expect(reserve.out().trim().split("\n")).toHaveLength(1);
    expect(
      last.verdicts.every((v: { verdict: string }) =>
        ["pass", "warn", "block"].includes(v.verdict),
      ),
    ).toBe(true);
  });

  it("explains bad flags and exits 2", async () => {
    for (const args of [
      ["gate"],
      ["gate", "--service", "x", "--min-budget", "5"],
      ["gate", "--service", "user-service", "--block-on", "sometimes"],
      ["gate", "--service", "user-service", "--aws", "--seed", "2"],
    ]) {
      const r = recorder();
      expect(await runCli(args, r.io)).toBe(2);
      expect(r.err()).toMatch(/slo gate: /);
    }
  });
});

describe("slo gate --aws", () => {
  it("says which region or credentials setting is missing instead of calling AWS", async () => {
    const saved = { ...process.env };
    try {
      for (const k of ["AWS_REGION", "AWS_DEFAULT_REGION", "AWS_PROFILE", "AWS_CONFIG_FILE"]) {
        delete process.env[k];
      }
      process.env.AWS_CONFIG_FILE = "/nonexistent/aws-config";
      const r = recorder();
      expect(
        await runCli(
          ["gate", "--service", "user-service", "--aws", "--stage", "dev", "--bucket", "b"],
          r.io,
        ),
      ).toBe(1);
      expect(r.err()).toMatch(/--aws: no AWS region configured: set AWS_REGION/);
    } finally {
      process.env = saved;
    }
  });

  it("refuses to guess the stage: --stage or SLO_STAGE", async () => {
    const saved = { ...process.env };
    try {
      delete process.env.SLO_STAGE;
      const r = recorder();
      expect(await runCli(["gate", "--service", "user-service", "--aws"], r.io)).toBe(2);
      expect(r.err()).toMatch(/--stage NAME .* or set SLO_STAGE/);
      const local = recorder();
      expect(await runCli(["gate", "--service", "user-service", "--stage", "dev"], local.io)).toBe(
        2,
      );
      expect(local.err()).toMatch(/--stage applies to --aws/);
    } finally {
      process.env = saved;
    }
  });
});

const BUCKET = "slo-platform-production-rollupsbucket-a1b2c3";
const STAGE = "production";
const STEP_MS = 300_000;
const NOW = Date.UTC(2026, 11, 1, 12, 2, 30);
const LAST_STEP = Math.floor(NOW / STEP_MS) * STEP_MS;
const LOCATION = `s3://${BUCKET}/${STAGE_REPORT_KEY}`;

/** The payment-service objectives, healthy, as the evaluator writes them. */
async function paymentRows(): Promise<StageReportObjective[]> {
  const { slos } = await loadSloFiles([resolve(ROOT, "slos")]);
  return slos
    .filter((slo) => slo.service === "payment-service")
    .flatMap((slo) =>
      slo.objectives.map((o) => ({
        service: slo.service,
        slo: slo.name,
        objective: o.name,
        target: o.target,
        sli: o.target + (1 - o.target) / 2,
        budgetRemaining: 0.5,
        alertState: 0 as const,
      })),
    );
}

function report(
  rows: readonly StageReportObjective[],
  over: Partial<Pick<StageReport, "stage" | "evaluatedAtMs" | "failed">> = {},
): string {
  return encodeStageReport(
    buildStageReport({
      stage: over.stage ?? STAGE,
      evaluatedAtMs: over.evaluatedAtMs ?? LAST_STEP,
      stepMs: STEP_MS,
      objectives: rows,
      failed: over.failed ?? [],
    }),
  );
}

/** What S3 answers a GetObject of the report with: the body, or its error. */
type Answer = { body: string } | { error: Error };

const s3Error = (name: string, status: number, message: string) =>
  new S3ServiceException({
    name,
    $fault: status >= 500 ? "server" : "client",
    $metadata: { httpStatusCode: status, attempts: 1 },
    message,
  });

// One mock of the class: the client a test hands in and the one the command builds.
const s3Mock = mockClient(S3Client);
const s3 = new S3Client({ region: "eu-west-1" });

function serve(answer: Answer): void {
  s3Mock.on(GetObjectCommand).callsFake((input: { Bucket?: string; Key?: string }) => {
    // Only the report, only in the stage's bucket: what the operator policy grants.
    if (input.Bucket !== BUCKET || input.Key !== STAGE_REPORT_KEY) {
      throw s3Error("AccessDenied", 403, "Access Denied");
    }
    if ("error" in answer) throw answer.error;
    const bytes = new TextEncoder().encode(answer.body);
    return { Body: { transformToByteArray: async () => bytes }, ETag: '"1"' };
  });
}

async function gate(
  answer: Answer,
  extra: string[] = [],
  service = "payment-service",
  nowMs = NOW,
) {
  serve(answer);
  const r = recorder();
  const code = await runWith(
    ["--service", service, "--aws", "--stage", STAGE, "--bucket", BUCKET, ...extra],
    r.io,
    { s3, nowMs },
  );
  return { code, out: r.out(), err: r.err() };
}

describe("slo gate --aws reads the stage report", () => {
  beforeEach(() => s3Mock.reset());
  afterEach(() => s3Mock.reset());

  it("allows a healthy service from a fresh report, with one GET of reports/stage.json", async () => {
    const { code, out } = await gate({ body: report(await paymentRows()) });
    expect(out).toMatch(/deploy of payment-service: ALLOWED/);
    expect(out).toMatch(/PASS {2}payment-service-availability \(availability\)/);
    expect(code).toBe(0);
    expect(s3Mock.commandCalls(GetObjectCommand).map((c) => c.args[0].input)).toEqual([
      { Bucket: BUCKET, Key: STAGE_REPORT_KEY },
    ]);
  });

  it("blocks on a page the report says fires, and on a budget below the reserve", async () => {
    const rows = await paymentRows();
    const paging = rows.map((r) =>
      r.slo === "payment-service-availability" ? { ...r, alertState: 2 as const } : r,
    );
    const page = await gate({ body: report(paging) });
    expect(page.code).toBe(1);
    expect(page.out).toMatch(/BLOCKED/);
    expect(page.out).toMatch(/BLOCK payment-service-availability \(availability\): a page alert/);

    const low = rows.map((r) => ({ ...r, budgetRemaining: 0.05 }));
    const reserve = await gate({ body: report(low) }, ["--min-budget", "0.1", "--json"]);
    expect(reserve.code).toBe(1);
    const doc = JSON.parse(reserve.out);
    expect(doc).toMatchObject({ service: "payment-service", allowed: false });
    expect(doc.verdicts[0].reasons[0]).toMatch(/below the 10\.0% reserve/);
  });

  it("blocks on a stale report, naming its age: the evaluator stopped", async () => {
    const stale = await gate({
      body: report(await paymentRows(), { evaluatedAtMs: NOW - 3_600_000 }),
    });
    expect(stale.code).toBe(1);
    expect(stale.out).toMatch(/BLOCKED/);
    expect(stale.out).toMatch(
      /evaluated at 2026-12-01T11:02:30\.000Z, 1h ago \(older than 2 steps\): the burn-rate evaluator is not running/,
    );
    // Two steps old is still fresh: the evaluator writes shortly after each step ends.
    const edge = await gate({
      body: report(await paymentRows(), { evaluatedAtMs: NOW - 2 * STEP_MS }),
    });
    expect(edge.code).toBe(0);
  });

  it("blocks on another stage's report (a wrong --bucket or --stage)", async () => {
    const { code, out } = await gate({ body: report(await paymentRows(), { stage: "staging" }) });
    expect(code).toBe(1);
    expect(out).toMatch(/the stage report is stage "staging"'s, not "production"'s/);
  });

  it("blocks when no report exists, naming the object and the fix", async () => {
    const missing = new NoSuchKey({
      message: "The specified key does not exist.",
      $metadata: { httpStatusCode: 404 },
    });
    const { code, out } = await gate({ error: missing }, ["--no-data", "allow"]);
    expect(code).toBe(1);
    expect(out).toMatch(/deploy of payment-service: BLOCKED/);
    const lines = out.trim().split("\n").slice(1);
    expect(lines).toHaveLength(5);
    for (const line of lines) {
      expect(line).toContain(`no stage report at ${LOCATION}`);
      expect(line).toContain("deploy the stage, wait one run, see slo doctor");
    }
  });

  it("blocks an SLO the evaluator could not evaluate, even with --no-data allow", async () => {
    const rows = (await paymentRows()).filter((r) => r.slo !== "payment-service-latency-p99");
    const { code, out } = await gate(
      {
        body: report(rows, {
          failed: [{ name: "payment-service-latency-p99", reason: "metric missing" }],
        }),
      },
      ["--no-data", "allow"],
    );
    expect(code).toBe(1);
    expect(out).toMatch(
      /BLOCK payment-service-latency-p99 .*could not evaluate it at 2026-12-01T12:00:00\.000Z: metric missing/,
    );
    expect(out).toMatch(/PASS {2}payment-service-availability/);
  });

  it("leaves an SLO the report does not know (added since) to --no-data", async () => {
    const rows = (await paymentRows()).filter((r) => r.slo !== "payment-service-error-rate");
    const allow = await gate({ body: report(rows) }, ["--no-data", "allow"]);
    expect(allow.code).toBe(0);
    expect(allow.out).toMatch(/WARN {2}payment-service-error-rate .*no data/);
    const block = await gate({ body: report(rows) }, ["--no-data", "block"]);
    expect(block.code).toBe(1);
  });
});

describe("slo gate --aws says what the local gate says", () => {
  beforeEach(() => s3Mock.reset());
  afterEach(() => s3Mock.reset());

  it("from the report the real burn-rate evaluator writes for the embedded fleet", async () => {
    const fx = await import("@slo/functions");
    const deps = fx.localDeps("burn-rate-evaluator", { cwd: ROOT, stage: STAGE });
    const run = fx.localHandler("burn-rate-evaluator", deps);
    const time = new Date(EMBEDDED_FLEET_END_MS).toISOString();
    await run(
      { source: "aws.events", "detail-type": "Scheduled Event", time, detail: {} },
      fx.fakeLambdaContext("burn-rate-evaluator"),
    );
    const written = await deps.stageReports.get();
    if (written === undefined) throw new Error("the evaluator wrote no stage report");
    const body = encodeStageReport(written);
    const decided: Record<string, boolean> = {};
    for (const service of ["payment-service", "order-service", "user-service"]) {
      const local = recorder();
      await runCli(["gate", "--service", service, "--json"], local.io);
      const fromReport = await gate({ body }, ["--json"], service, EMBEDDED_FLEET_END_MS);
      const verdicts = (out: string) =>
        (
          JSON.parse(out) as {
            verdicts: { slo: string; objective: string; verdict: string }[];
          }
        ).verdicts.map((v) => `${v.slo} (${v.objective}): ${v.verdict}`);
      expect(verdicts(fromReport.out), service).toEqual(verdicts(local.out()));
      decided[service] = JSON.parse(fromReport.out).allowed;
    }
    // The fleet's story, so the comparison is not vacuous: a page blocks payment-service.
    expect(decided).toEqual({
      "payment-service": false,
      "order-service": true,
      "user-service": true,
    });
  });
});

describe("slo gate --aws when the report cannot be read: exit 1, one line, no decision", () => {
  const saved = { ...process.env };
  const classMock = s3Mock;
  beforeEach(() => {
    classMock.reset();
    // The real command path: the S3 client the command builds from the environment.
    process.env.AWS_REGION = "eu-west-1";
    process.env.AWS_ACCESS_KEY_ID = "AKIAGATETEST";
    process.env.AWS_SECRET_ACCESS_KEY = "gate-test";
    delete process.env.AWS_PROFILE;
    delete process.env.SLO_REPORT_BUCKET;
  });
  afterEach(() => {
    classMock.reset();
    process.env = { ...saved };
  });

  const CASES: Array<[string, () => Answer, RegExp]> = [
    [
      "malformed JSON",
      () => ({ body: '{"version":1,"stage":' }),
      /^slo gate: StageReportError: s3:\/\/\S+\/reports\/stage\.json is not JSON \(21 bytes\)/,
    ],
    [
      "another version",
      () => ({ body: JSON.stringify({ version: 2, stage: STAGE }) }),
      /^slo gate: StageReportError: s3:\/\/\S+ is stage report version 2, this CLI reads version 1: use the CLI of the deployed release/,
    ],
    [
      "a field missing",
      () => ({ body: JSON.stringify({ ...JSON.parse(report([])), stepMs: undefined }) }),
      /^slo gate: StageReportError: s3:\/\/\S+: field stepMs: /,
    ],
    [
      "AccessDenied",
      () => ({ error: s3Error("AccessDenied", 403, "Access Denied") }),
      /^slo gate: StageReportReadError: cannot read s3:\/\/\S+\/reports\/stage\.json: s3:GetObject failed: AccessDenied: Access Denied \(HTTP 403, 1 attempt\); this identity may not read it: attach the stage's operator policy/,
    ],
    [
      "S3 throttling (SlowDown)",
      () => ({ error: s3Error("SlowDown", 503, "Please reduce your request rate.") }),
      /^slo gate: StageReportReadError: cannot read \S+: s3:GetObject failed: SlowDown: .*; S3 throttled the read: retry in a few seconds/,
    ],
    [
      "a bucket that does not exist",
      () => ({ error: s3Error("NoSuchBucket", 404, "The specified bucket does not exist") }),
      /NoSuchBucket.*pass the stage's "rollupBucket" output as --bucket/,
    ],
  ];

  it.each(CASES)("%s", async (_name, answer, message) => {
    const a = answer();
    classMock.on(GetObjectCommand).callsFake(() => {
      if ("error" in a) throw a.error;
      const bytes = new TextEncoder().encode(a.body);
      return { Body: { transformToByteArray: async () => bytes } };
    });
    const r = recorder();
    const code = await runCli(
      ["gate", "--service", "payment-service", "--aws", "--stage", STAGE, "--bucket", BUCKET],
      r.io,
    );
    expect(code).toBe(1);
    expect(r.out()).toBe("");
    expect(r.err()).toMatch(message);
    expect(r.err().trimEnd().split("\n")).toHaveLength(1);
    expect(classMock.commandCalls(GetObjectCommand)).toHaveLength(1);
  });

  it("takes the bucket from SLO_REPORT_BUCKET, and names both when neither is set", async () => {
    classMock.on(GetObjectCommand).resolves({});
    const none = recorder();
    expect(
      await runCli(["gate", "--service", "payment-service", "--aws", "--stage", STAGE], none.io),
    ).toBe(2);
    expect(none.err()).toMatch(/pass --bucket NAME or set SLO_REPORT_BUCKET .*rollupBucket/);
    expect(classMock.commandCalls(GetObjectCommand)).toHaveLength(0);

    process.env.SLO_REPORT_BUCKET = BUCKET;
    const fromEnv = recorder();
    // An empty object is not a report: exit 1, but it was read from the env's bucket.
    await runCli(["gate", "--service", "payment-service", "--aws", "--stage", STAGE], fromEnv.io);
    expect(classMock.commandCalls(GetObjectCommand)[0]?.args[0].input).toEqual({
      Bucket: BUCKET,
      Key: STAGE_REPORT_KEY,
    });

    const local = recorder();
    expect(
      await runCli(["gate", "--service", "payment-service", "--bucket", BUCKET], local.io),
    ).toBe(2);
    expect(local.err()).toMatch(/--bucket applies to --aws/);
  });
});
