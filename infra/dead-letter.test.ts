import { readFileSync } from "node:fs";
import path from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { resolveStage } from "../stacks/index.ts";
import { intervalSeconds, JOB_RETRIES, maximumRunAgeSeconds } from "./dead-letter.ts";
import { InfraConfigError } from "./errors.ts";
import { SAMPLE_SERVICE_DEV_COMMAND, SAMPLE_SERVICE_IMAGE } from "./services.ts";

describe("job retry ages", () => {
  it("reads 'N minute(s)' and keeps every retry inside what Scheduler and Lambda accept", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1440 }), fc.boolean(), (n, plural) => {
        const every = `${n} minute${plural ? "s" : ""}`;
        expect(intervalSeconds(every)).toBe(n * 60);
        const age = maximumRunAgeSeconds(every);
        expect(age).toBeGreaterThanOrEqual(60);
        expect(age).toBeLessThanOrEqual(21_600);
        expect(age).toBeLessThanOrEqual(Math.max(n * 60, 60));
      }),
    );
  });

  it("names the profile field and the fix for an interval it cannot read", () => {
    for (const bad of ["0 minutes", "1 hour", "5m", "1441 minutes"]) {
      expect(() => intervalSeconds(bad)).toThrow(InfraConfigError);
      expect(() => intervalSeconds(bad)).toThrow(/stacks\/\*\.ts, jobs\.\*Every.*"5 minutes"/);
    }
  });

  it("leaves room for every Lambda retry of every stage's jobs before the run is too old", () => {
    // Lambda retries a failed async invoke after about 1 and then 2 more minutes.
    const lambdaRetryStartsSeconds = [60, 180].slice(0, JOB_RETRIES.lambda);
    for (const stage of ["dev", "staging", "production"]) {
      const { jobs } = resolveStage(stage).profile;
      for (const every of [
        jobs.sloCalculatorEvery,
        jobs.burnRateEvaluatorEvery,
        jobs.predictedLoadEvery,
      ]) {
        const age = maximumRunAgeSeconds(every);
        for (const start of lambdaRetryStartsSeconds)
          expect(start, `${stage} ${every}`).toBeLessThan(age);
      }
    }
  });
});

describe("services in sst dev", () => {
  it("run the same command as the container's CMD, from the image context", () => {
    const dockerfile = readFileSync(
      path.join(
        import.meta.dirname,
        "..",
        SAMPLE_SERVICE_IMAGE.context,
        SAMPLE_SERVICE_IMAGE.dockerfile,
      ),
      "utf8",
    );
    const cmd = /^CMD (\[.*\])$/m.exec(dockerfile)?.[1];
    expect(cmd).toBeDefined();
    expect((JSON.parse(cmd!) as string[]).join(" ")).toBe(SAMPLE_SERVICE_DEV_COMMAND);
  });
});
