import { AwsCallError } from "@slo/aws";
import { SloPlatformError } from "@slo/core/errors";
import { describe, expect, it, vi } from "vitest";
import { FunctionConfigError } from "./errors.ts";
import { createJobHandler } from "./job.ts";
import { fakeLambdaContext } from "./lambda-context.ts";
import { localDeps } from "./local-deps.ts";

/** Runs a job whose body throws `error`; returns what the logger was told. */
async function crash(error: unknown) {
  const deps = localDeps("slo-calculator");
  const logged = {
    error: vi.spyOn(deps.obs.logger, "error").mockImplementation(() => undefined),
    warn: vi.spyOn(deps.obs.logger, "warn").mockImplementation(() => undefined),
    metric: vi.spyOn(deps.obs.metrics, "addMetric"),
  };
  // Keep the EMF blob off the test output; what was added is asserted above.
  vi.spyOn(deps.obs.metrics, "publishStoredMetrics").mockImplementation(() => deps.obs.metrics);
  const handler = createJobHandler("slo-calculator", deps, async () => {
    throw error;
  });
  await expect(handler({}, fakeLambdaContext("slo-calculator"))).rejects.toBe(error);
  return logged;
}

describe("a job body that throws is logged by the error's kind", () => {
  it("a bug (not a SloPlatformError) is an error with its stack", async () => {
    const { error, warn, metric } = await crash(new TypeError("x is undefined"));
    expect(metric).toHaveBeenCalledWith("JobErrors", "Count", 1);
    expect(warn).not.toHaveBeenCalled();
    expect(error).toHaveBeenCalledWith(
      "slo-calculator: internal error (a bug)",
      expect.objectContaining({ kind: "internal", stack: expect.stringMatching(/TypeError/) }),
    );
  });

  it("bad configuration is an error without a stack", async () => {
    const { error } = await crash(new FunctionConfigError("SST_RESOURCE_Rollups is missing"));
    expect(error).toHaveBeenCalledWith("slo-calculator: run abandoned", {
      kind: "input",
      error: "FunctionConfigError: SST_RESOURCE_Rollups is missing",
    });
  });

  it("an AWS failure is a warning: Lambda's retry is the remedy", async () => {
    const { error, warn } = await crash(new AwsCallError("throttled", "Throttling", 3));
    expect(error).not.toHaveBeenCalled();
    expect(warn).toHaveBeenCalledWith(
      "slo-calculator: run abandoned",
      expect.objectContaining({ kind: "aws" }),
    );
  });

  it("every error class the runtime throws is a SloPlatformError", () => {
    expect(new FunctionConfigError("x")).toBeInstanceOf(SloPlatformError);
    expect(new AwsCallError("x", "y", 1).kind).toBe("aws");
  });
});
