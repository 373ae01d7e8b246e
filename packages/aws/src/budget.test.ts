import { describe, expect, it } from "vitest";
import { callAws, createRunBudget } from "./budget.ts";
import { AwsCallError, BudgetExceededError } from "./errors.ts";

describe("run budget", () => {
  it("keeps the reserve back and refuses work that no longer fits", () => {
    let now = 1_000;
    const b = createRunBudget(10_000, 2_000, () => now);
    expect(b.remainingMs()).toBe(8_000);
    expect(() => b.ensure("publishing", 5_000)).not.toThrow();
    now += 6_000;
    expect(() => b.ensure("publishing", 5_000)).toThrow(
      /not enough run budget left for publishing \(2000 ms left/,
    );
    b.dispose();
  });

  it("aborts its signal when spent and callAws reports BudgetExceededError", async () => {
    const b = createRunBudget(20);
    await new Promise((r) => setTimeout(r, 40));
    expect(b.signal.aborted).toBe(true);
    await expect(
      callAws("cloudwatch:GetMetricData", async () => 1, b.signal),
    ).rejects.toBeInstanceOf(BudgetExceededError);
  });

  it("wraps SDK errors with the operation, code, status and attempts", async () => {
    const err = await callAws("ecs:ListServices", async () => {
      throw Object.assign(new Error("Rate exceeded"), {
        name: "ThrottlingException",
        $metadata: { httpStatusCode: 400, attempts: 4 },
      });
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AwsCallError);
    expect((err as Error).message).toBe(
      "ecs:ListServices failed: ThrottlingException: Rate exceeded (HTTP 400, 4 attempts)",
    );
  });
});
