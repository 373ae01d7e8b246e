import { emailsFromEnv, type StageProfile } from "./profile.ts";

/** Cheapest stage that still exercises every component: 2 AZs, fck-nat, small tasks. */
export function devProfile(env: Readonly<Record<string, string | undefined>>): StageProfile {
  return {
    name: "dev",
    network: { azs: 2, nat: "ec2" },
    tasks: { cpuOverride: "0.25 vCPU", memoryOverride: "0.5 GB", spotShare: 1 },
    capacity: { scale: 0.25, minTasksFloor: 1, predictiveMode: "ForecastOnly" },
    jobs: {
      sloCalculatorEvery: "5 minutes",
      burnRateEvaluatorEvery: "5 minutes",
      predictedLoadEvery: "15 minutes",
      logRetention: "1 week",
    },
    canaries: { schedule: "rate(15 minutes)", artifactRetentionDays: 7 },
    zeroTrust: { serviceConnectTls: false, callerAuth: "security-groups", ecsExec: true },
    alerts: {
      pager: "evaluator",
      route: { page: "ticket", ticket: "ticket" },
      subscribers: { page: [], ticket: emailsFromEnv(env, "SLO_TICKET_EMAILS") },
    },
  };
}
