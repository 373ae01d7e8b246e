import { edgeFromEnv, emailsFromEnv, type StageProfile } from "./profile.ts";

/** 3 AZs, a managed NAT gateway per AZ, full fleet sizes, predictive scaling acting. */
export function productionProfile(env: Readonly<Record<string, string | undefined>>): StageProfile {
  return {
    name: "production",
    network: { azs: 3, nat: "managed" },
    tasks: { spotShare: 0 },
    capacity: { scale: 1, minTasksFloor: 3, predictiveMode: "ForecastAndScale" },
    jobs: {
      sloCalculatorEvery: "5 minutes",
      burnRateEvaluatorEvery: "5 minutes",
      predictedLoadEvery: "15 minutes",
      logRetention: "3 months",
    },
    canaries: { schedule: "rate(5 minutes)", artifactRetentionDays: 30 },
    zeroTrust: {
      serviceConnectTls: true,
      callerAuth: "lattice-iam",
      ecsExec: false,
      ...edgeFromEnv(env),
    },
    alerts: {
      pager: "evaluator",
      route: { page: "page", ticket: "ticket" },
      subscribers: {
        page: emailsFromEnv(env, "SLO_PAGE_EMAILS"),
        ticket: emailsFromEnv(env, "SLO_TICKET_EMAILS"),
      },
    },
  };
}
