import { PublishCommand, type SNSClient } from "@aws-sdk/client-sns";
import { callAws } from "@slo/aws";
import { formatDuration } from "@slo/core/time";
import type { AlertCondition, AlertNotification, Severity, TierFigures } from "./alert-state.ts";

/** Delivers alert state changes (SNS in Lambda, a recorder locally). */
export interface Notifier {
  notify(notification: AlertNotification, signal?: AbortSignal): Promise<void>;
}

function rate(v: number | null): string {
  return v === null ? "no data" : v.toFixed(2);
}

const CONDITION_TEXT: Record<
  AlertCondition,
  { readonly short: string; readonly firing: string; readonly resolved: string }
> = {
  "budget-exhausted": {
    short: "budget exhausted",
    firing:
      "The error budget of the SLO window is used up. Apply the error-budget policy: pause risky releases, prioritise reliability work.",
    resolved: "The error budget is positive again.",
  },
  "no-data": {
    short: "no data",
    firing:
      'The SLO window has no events: the service received no traffic (no data is not "100% good") or its metrics stopped. Check the service\'s request count.',
    resolved: "The SLO has events again.",
  },
};

function tierLine(t: TierFigures): string {
  return `${t.tier}: burn ${rate(t.longBurnRate)} over ${formatDuration(t.longWindowMs)}, ${rate(t.shortBurnRate)} over ${formatDuration(t.shortWindowMs)} (threshold ${t.threshold}) -> ${t.state}`;
}

/**
 * The subject and body of a notification: short subject for pagers (SNS allows 100
 * characters), the tiers' burn rates in the body so the page says why.
 *
 * @example
 * renderNotification(n).subject; // "[FIRING page] payment-service-availability (dev)"
 */
export function renderNotification(
  n: AlertNotification,
  stage: string,
): { subject: string; message: string } {
  const head = n.kind === "firing" ? `FIRING ${n.severity}` : `RESOLVED ${n.severity}`;
  const what = n.condition ? ` ${CONDITION_TEXT[n.condition].short}` : "";
  const subject = `[${head}] ${n.slo}${what} (${stage})`.slice(0, 100);
  const lasted =
    n.kind === "resolved" && n.previousSinceMs !== undefined
      ? ` after ${formatDuration(Math.max(0, n.atMs - n.previousSinceMs))}`
      : "";
  const lines = [
    `${head}: SLO ${n.slo} (objective ${n.objective}) of service ${n.service}${lasted}`,
    `stage ${stage}, evaluated at ${new Date(n.atMs).toISOString()}`,
    ...(n.condition ? [CONDITION_TEXT[n.condition][n.kind], ...(n.detail ? [n.detail] : [])] : []),
    ...n.tiers.map(tierLine),
  ];
  return { subject, message: lines.join("\n") };
}

/**
 * Publishes notifications to the page or ticket SNS topic with message attributes
 * (`severity`, `kind`, `slo`, `service`) subscribers can filter on.
 *
 * @example
 * const notifier = new SnsNotifier(new SNSClient({}), { page: pageArn, ticket: ticketArn }, "prod");
 */
export class SnsNotifier implements Notifier {
  readonly #sns: SNSClient;
  readonly #topics: Readonly<Record<Severity, string>>;
  readonly #stage: string;

  constructor(sns: SNSClient, topics: Readonly<Record<Severity, string>>, stage: string) {
    this.#sns = sns;
    this.#topics = topics;
    this.#stage = stage;
  }

  async notify(n: AlertNotification, signal?: AbortSignal): Promise<void> {
    const { subject, message } = renderNotification(n, this.#stage);
    const attr = (v: string) => ({ DataType: "String", StringValue: v });
    await callAws(
      `SNS Publish to the ${n.severity} topic`,
      () =>
        this.#sns.send(
          new PublishCommand({
            TopicArn: this.#topics[n.severity],
            Subject: subject,
            Message: message,
            MessageAttributes: {
              severity: attr(n.severity),
              kind: attr(n.kind),
              slo: attr(n.slo),
              service: attr(n.service),
              alert: attr(n.condition ?? "burn-rate"),
            },
          }),
          { abortSignal: signal },
        ),
      signal,
    );
  }
}

/**
 * Keeps notifications in memory (tests) and optionally prints them (`slo invoke --local`).
 *
 * @example
 * const notifier = new RecordingNotifier("local");
 * notifier.sent.length; // 0
 */
export class RecordingNotifier implements Notifier {
  readonly sent: Array<AlertNotification & { readonly subject: string; readonly message: string }> =
    [];
  readonly #stage: string;
  readonly #print: ((text: string) => void) | undefined;

  constructor(stage: string, print?: (text: string) => void) {
    this.#stage = stage;
    this.#print = print;
  }

  async notify(n: AlertNotification): Promise<void> {
    const rendered = renderNotification(n, this.#stage);
    this.sent.push({ ...n, ...rendered });
    this.#print?.(
      `would notify SNS topic ${n.severity}: ${rendered.subject}\n${rendered.message.replace(/^/gm, "    ")}\n`,
    );
  }
}
