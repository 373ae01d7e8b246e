import { describe, expect, it } from "vitest";
import { createS3Client } from "../../packages/aws/src/clients.ts";
import { S3RollupStore } from "../../packages/aws/src/rollup/s3-store.ts";
import type { IamStatement } from "../testing/iam-json.ts";
import { checkContract, isAllowed, PLAN_ENV } from "./contract.ts";
import { FakeAws } from "./fake-aws.ts";
import { iamRequestsFor, UnmappedCallError } from "./iam-requests.ts";
import { CallRecorder } from "./recorder.ts";

const BUCKET = "b";
const world = {
  env: PLAN_ENV,
  clusterName: "fleet",
  services: ["web"],
  bucket: BUCKET,
  topicArns: [],
  failingService: "web",
};
const read: IamStatement = {
  Effect: "Allow",
  Action: ["s3:GetObject"],
  Resource: [`arn:aws:s3:::${BUCKET}/rollups/*`],
};
const list: IamStatement = {
  Effect: "Allow",
  Action: ["s3:ListBucket"],
  Resource: [`arn:aws:s3:::${BUCKET}`],
};
const get = { action: "s3:GetObject", resource: `arn:aws:s3:::${BUCKET}/rollups/x`, context: {} };

function s3With(recorder: CallRecorder, fake = new FakeAws(world)) {
  return createS3Client({
    region: PLAN_ENV.region,
    credentials: { accessKeyId: "AKIAX", secretAccessKey: "x" },
    plugins: [recorder.plugin(), fake.plugin()],
  });
}

describe("checkContract", () => {
  it("reports a request no statement allows", async () => {
    const put = { ...get, action: "s3:PutObject" };
    const report = await checkContract("r", [read], [get, put]);
    expect(report.denied).toEqual([`s3:PutObject on arn:aws:s3:::${BUCKET}/rollups/x`]);
  });

  it("reports a granted action no request uses, unless accepted with a reason", async () => {
    const both: IamStatement = { ...read, Action: ["s3:GetObject", "s3:PutObject"] };
    expect((await checkContract("r", [both], [get])).unusedGrants).toEqual([
      `s3:PutObject (statement 1 (s3:GetObject, s3:PutObject on arn:aws:s3:::${BUCKET}/rollups/*))`,
    ]);
    const accepted = [{ role: "r", action: "s3:PutObject", reason: "test" }];
    expect((await checkContract("r", [both], [get], accepted)).unusedGrants).toEqual([]);
  });

  it("reports a statement whose removal would deny nothing", async () => {
    const wide: IamStatement = { ...read, Resource: [`arn:aws:s3:::${BUCKET}/*`] };
    const report = await checkContract("r", [read, wide], [get]);
    expect(report.unnecessary).toHaveLength(2);
    expect((await checkContract("r", [read], [get])).unnecessary).toEqual([]);
  });

  it("checks conditions: PutMetricData outside the granted namespace is denied", async () => {
    const put: IamStatement = {
      Effect: "Allow",
      Action: ["cloudwatch:PutMetricData"],
      Resource: ["*"],
      Condition: { StringEquals: { "cloudwatch:namespace": ["Custom/SLO"] } },
    };
    const req = (ns: string) => ({
      action: "cloudwatch:PutMetricData",
      resource: "*",
      context: { "cloudwatch:namespace": ns },
    });
    expect(await isAllowed([put], req("Custom/SLO"))).toBe(true);
    expect(await isAllowed([put], req("Custom/Other"))).toBe(false);
  });

  it("rejects misspelt and wildcard actions (iam-data)", async () => {
    const bad: IamStatement = {
      Effect: "Allow",
      Action: ["s3:GetObjects", "s3:Get*"],
      Resource: ["*"],
    };
    const report = await checkContract("r", [read, bad], [get]);
    expect(report.invalid.join("\n")).toMatch(/s3:GetObjects: no such IAM action/);
    expect(report.invalid.join("\n")).toMatch(/s3:Get\*: wildcard action/);
  });
});

describe("CallRecorder on a real S3 client", () => {
  it("records the action and object ARN of each command", async () => {
    const recorder = new CallRecorder(PLAN_ENV);
    const store = new S3RollupStore({ client: s3With(recorder), bucket: BUCKET });
    expect(await store.read("slo/objective")).toEqual({ status: "missing" });
    expect(recorder.calls.map((c) => [c.action, c.resource])).toEqual([
      ["s3:GetObject", `arn:aws:s3:::${BUCKET}/rollups/slo%2Fobjective.rollup`],
      // S3 checks ListBucket to answer 404 rather than 403 for the missing key.
      ["s3:ListBucket", `arn:aws:s3:::${BUCKET}`],
    ]);
  });

  it("fails a denied call with AWS's 403, like the deployed role would", async () => {
    const recorder = new CallRecorder(PLAN_ENV, (r) => isAllowed([read], r));
    const store = new S3RollupStore({ client: s3With(recorder), bucket: BUCKET });
    // GetObject is allowed, but without ListBucket the missing key is a 403, not "missing".
    await expect(store.read("slo/objective")).rejects.toMatchObject({ code: "AccessDenied" });
    const ok = new CallRecorder(PLAN_ENV, (r) => isAllowed([read, list], r));
    const okStore = new S3RollupStore({ client: s3With(ok), bucket: BUCKET });
    expect(await okStore.read("slo/objective")).toEqual({ status: "missing" });
    expect(ok.calls.map((c) => c.decision)).toEqual(["Allowed", "Allowed"]);
  });

  it("refuses a call it has no IAM mapping for, naming the table to extend", () => {
    expect(() => iamRequestsFor("S3Client", "DeleteObjectCommand", {}, PLAN_ENV)).toThrow(
      UnmappedCallError,
    );
    expect(() => iamRequestsFor("S3Client", "DeleteObjectCommand", {}, PLAN_ENV)).toThrow(
      /s3:DeleteObject.*infra\/contract\/iam-requests.ts/,
    );
  });
});
