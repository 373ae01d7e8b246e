import { edgeFromEnv, emailsFromEnv, type StageProfile } from "./profile.ts";

/** Production's shape at lower capacity: same AZ count and NAT, half the tasks. */
export function stagingProfile(env: Readonly<Record<string, string | undefined>>): StageProfile {
  return {
    name: "staging",
    network: { azs: 3, nat: "managed" },
    tasks: { spotShare: 0.5 },
    capacity: { scale: 0.5, minTasksFloor: 2, predictiveMode: "ForecastOnly" },
    jobs: {
      sloCalculatorEvery: "5 minutes",
      burnRateEvaluatorEvery: "5 minutes",
      predictedLoadEvery: "15 minutes",
      logRetention: "1 month",
    },
    canaries: { schedule: "rate(10 minutes)", artifactRetentionDays: 14 },
    zeroTrust: {
      serviceConnectTls: true,
      callerAuth: "lattice-iam",
      ecsExec: true,
      ...edgeFromEnv(env),
    },
    alerts: {
      pager: "evaluator",
      route: { page: "ticket", ticket: "ticket" },
      subscribers: {
        page: emailsFromEnv(env, "SLO_PAGE_EMAILS"),
        ticket: emailsFromEnv(env, "SLO_TICKET_EMAILS"),
      },
    },
  };
}
