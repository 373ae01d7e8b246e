import { describe, expect, it } from "vitest";
import { createMocks } from "./mocks.ts";

const object = (bucket: string, key = "code/a.zip") => ({
  type: "aws:s3/bucketObjectv2:BucketObjectv2",
  name: `Obj-${bucket}-${key}`,
  inputs: { bucket, key },
});
const versioning = (bucket: string, status: string) => ({
  type: "aws:s3/bucketVersioning:BucketVersioning",
  name: `Ver-${bucket}`,
  inputs: { bucket, versioningConfiguration: { status } },
});

describe("Pulumi mocks: S3 object version ids", () => {
  it("gives no version id to an object in an unversioned bucket, as S3 does", () => {
    const { mocks } = createMocks();
    expect(mocks.newResource(object("plain")).state.versionId).toBe("");
  });

  it("gives a version id only once versioning is enabled before the write", () => {
    const { mocks } = createMocks();
    // Written before versioning: S3 reports the version id `null`, so nothing to pin.
    expect(mocks.newResource(object("late")).state.versionId).toBe("");
    mocks.newResource(versioning("late", "Enabled"));
    const id = mocks.newResource(object("late")).state.versionId;
    expect(id).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(mocks.newResource(object("late", "code/b.zip")).state.versionId).not.toBe(id);
  });

  it("treats suspended versioning as unversioned", () => {
    const { mocks } = createMocks();
    mocks.newResource(versioning("paused", "Suspended"));
    expect(mocks.newResource(object("paused")).state.versionId).toBe("");
  });

  it("returns SQS queue ARNs and URLs in AWS's format", () => {
    const { mocks } = createMocks();
    const { state } = mocks.newResource({ type: "aws:sqs/queue:Queue", name: "Dlq", inputs: {} });
    expect(state.arn).toBe("arn:aws:sqs:us-east-1:123456789012:Dlq");
    expect(state.url).toBe("https://sqs.us-east-1.amazonaws.com/123456789012/Dlq");
  });
});
