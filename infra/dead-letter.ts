import type { StageProfile } from "../stacks/profile.ts";
import { type AlertTopics, topicFor } from "./alerts.ts";
import { InfraConfigError } from "./errors.ts";

/**
 * Retries of a job run that failed. Two layers fail differently: EventBridge Scheduler
 * retries when it cannot invoke the Lambda (throttling, service errors), and Lambda
 * retries an asynchronous invocation whose handler threw. Both give up once the run is
 * as old as the job's interval, since by then the next scheduled run covers the same
 * step, and both then hand the event to the dead-letter queue.
 */
export const JOB_RETRIES = {
  /** Scheduler attempts after a failed invoke (its backoff starts in seconds). */
  schedule: 2,
  /** Lambda retries of a handler error (after about 1 and 2 minutes, AWS's fixed backoff). */
  lambda: 1,
} as const;

/** Failed runs are kept 14 days (SQS's maximum), long enough to read after a weekend. */
export const DEAD_LETTER_RETENTION_SECONDS = 14 * 24 * 60 * 60;

/**
 * Monthly list prices (us-east-1, December 2026) of what this file declares. A queue
 * has no standing charge (requests cost $0.40 per million beyond the free tier, and a
 * dead-letter queue sees a few a month); the alarm is one standard-resolution metric.
 * `AWS/SQS` metrics themselves are free.
 */
export const DEAD_LETTER_MONTHLY_USD = { queue: 0, alarm: 0.1 } as const;

/**
 * Seconds in a job interval written as `N minute(s)`, the profile's `*Every` fields.
 *
 * @example
 * intervalSeconds("15 minutes"); // 900
 */
export function intervalSeconds(every: string): number {
  const match = /^(\d+) minutes?$/.exec(every);
  const minutes = match ? Number(match[1]) : Number.NaN;
  if (!(minutes >= 1 && minutes <= 1440)) {
    throw new InfraConfigError(
      `job interval "${every}" in the stage profile (stacks/*.ts, jobs.*Every) is not "N minutes" with N from 1 to 1440: write e.g. "5 minutes"`,
    );
  }
  return minutes * 60;
}

/**
 * Maximum age of a retried run: the job's interval, clamped to what both services
 * accept (Scheduler and Lambda both take 60 s to 86,400 s; Lambda caps at 21,600 s).
 */
export function maximumRunAgeSeconds(every: string): number {
  return Math.min(Math.max(intervalSeconds(every), 60), 21_600);
}

/**
 * The queue failed job runs land in, shared by the three jobs (each message names its
 * schedule or function, and one alarm covers them), and an alarm that pages as soon as
 * one is there. Only the scheduler's execution role and the jobs' own roles may send
 * to it (identity policies, granted where the schedules and functions are declared),
 * so the queue needs no resource policy.
 *
 * Cost: {@link DEAD_LETTER_MONTHLY_USD}, $0.10 a month for the alarm.
 *
 * @example
 * const deadLetter = createJobDeadLetter({ profile, topics });
 * new sst.aws.CronV2("Job", { schedule: "rate(5 minutes)", function: "...", dlq: deadLetter.queue.arn });
 */
export function createJobDeadLetter(input: { profile: StageProfile; topics: AlertTopics }) {
  const { profile, topics } = input;
  const queue = new aws.sqs.Queue("JobsDeadLetter", {
    messageRetentionSeconds: DEAD_LETTER_RETENTION_SECONDS,
    sqsManagedSseEnabled: true,
    tags: { Stage: $app.stage },
  });
  const page = topicFor(topics, profile, "page").arn;
  const alarm = new aws.cloudwatch.MetricAlarm("JobsDeadLetterAlarm", {
    name: `slo-${$app.stage}-jobs-dead-letter`,
    alarmDescription:
      "[page] A scheduled SLO job run failed after its retries and is in the dead-letter queue: " +
      "while jobs fail, SLIs, burn-rate pages and predicted load are stale. Read the message " +
      "(its schedule or function ARN and error), fix the cause, then purge the queue.",
    namespace: "AWS/SQS",
    metricName: "ApproximateNumberOfMessagesVisible",
    dimensions: { QueueName: queue.name },
    statistic: "Maximum",
    period: 300,
    evaluationPeriods: 1,
    datapointsToAlarm: 1,
    threshold: 0,
    comparisonOperator: "GreaterThanThreshold",
    // SQS stops publishing metrics for a queue idle for six hours: an empty queue.
    treatMissingData: "notBreaching",
    alarmActions: [page],
    okActions: [page],
    actionsEnabled: true,
    tags: { Stage: $app.stage, AlarmKind: "dead-letter", Severity: "page" },
  });
  return { queue, alarm };
}

export type JobDeadLetter = ReturnType<typeof createJobDeadLetter>;
