import { describe, expect, it } from "vitest";
import {
  DOCTOR_JOBS,
  declareStage,
  scheduleSeconds as doctorScheduleSeconds,
} from "../packages/cli/src/doctor/declaration.ts";
import { resolveStage } from "../stacks/index.ts";
import { scheduleSeconds } from "./index.ts";
import { JOB_METRICS, jobPeriods } from "./monitoring.ts";

// slo doctor declares what infra declares without importing infra's Pulumi modules
// into the CLI: these pin the few facts it keeps next to the CLI to infra's own.
describe("slo doctor's declaration agrees with infra", () => {
  it("names the jobs' metrics as infra/monitoring.ts JOB_METRICS does", () => {
    for (const j of DOCTOR_JOBS) {
      expect(JOB_METRICS[j.key]).toEqual({
        job: j.job,
        service: j.service,
        namespace: j.namespace,
      });
    }
    expect(DOCTOR_JOBS.map((j) => j.key).sort()).toEqual(Object.keys(JOB_METRICS).sort());
  });

  it("reads the job and canary schedules of every stage as infra does", () => {
    for (const stage of ["dev", "staging", "production", "pr-7"]) {
      const { profile } = resolveStage(stage);
      const { declaration } = declareStage(stage, "cluster", [], 0);
      const periods = jobPeriods(profile);
      for (const j of DOCTOR_JOBS) {
        expect(declaration.jobs.find((d) => d.job === j.job)?.periodSeconds).toBe(periods[j.key]);
      }
      expect(declaration.canaryPeriodSeconds).toBe(scheduleSeconds(profile.canaries.schedule));
    }
    for (const e of ["rate(1 minute)", "rate(5 minutes)", "rate(2 hours)", "cron(0 * * * ? *)"]) {
      expect(doctorScheduleSeconds(e)).toBe(scheduleSeconds(e));
    }
  });
});
