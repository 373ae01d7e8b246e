import { SNSClient } from "@aws-sdk/client-sns";
import {
  createS3Client,
  DEFAULT_MAX_ATTEMPTS,
  MemoryStageReportStore,
  S3RollupStore,
  S3StageReportStore,
  withPlugins,
} from "@slo/aws";
import { evaluatorNotifiesConditions } from "@slo/core/monitoring";
import { ReadOnlyAlertStateStore, S3AlertStateStore } from "../alert-store.ts";
import type { FunctionConfig } from "../config.ts";
import type { BurnRateDeps } from "../deps.ts";
import { FunctionConfigError } from "../errors.ts";
import { type Notifier, RecordingNotifier, SnsNotifier } from "../notifier.ts";
import { type AwsDepsOptions, awsBaseDeps } from "./common.ts";
import { requireBucket } from "./slo.ts";

/**
 * AWS dependencies of the burn-rate evaluator: those of the SLO calculator plus the
 * alert state object in the rollup bucket and the page/ticket SNS topics.
 *
 * @example
 * export const handler = createBurnRateEvaluator(awsBurnRateDeps(loadFunctionConfig("burn-rate-evaluator", process.env)));
 */
export function awsBurnRateDeps(config: FunctionConfig, opts: AwsDepsOptions = {}): BurnRateDeps {
  const base = awsBaseDeps(config, opts);
  const bucket = requireBucket(config);
  if (config.alertTopics === undefined) {
    throw new FunctionConfigError(
      "burn-rate-evaluator: the AlertTopicPage and AlertTopicTicket links are missing: link both SNS topics to the function in infra",
    );
  }
  const region = config.region !== undefined ? { region: config.region } : {};
  const s3 = base.obs.tracer.captureAWSv3Client(createS3Client({ ...region, ...opts.clients }));
  const sns = base.obs.tracer.captureAWSv3Client(
    withPlugins(
      new SNSClient({
        ...region,
        retryMode: "adaptive",
        maxAttempts: opts.clients?.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
        ...(opts.clients?.endpoint !== undefined ? { endpoint: opts.clients.endpoint } : {}),
        ...(opts.clients?.credentials !== undefined
          ? { credentials: { ...opts.clients.credentials } }
          : {}),
      }),
      opts.clients ?? {},
    ),
  );
  const state = new S3AlertStateStore(s3, bucket);
  return {
    ...base,
    rollupStore: (signal) => new S3RollupStore({ client: s3, bucket, signal }),
    alertState: opts.readOnlyAlertState ? new ReadOnlyAlertStateStore(state) : state,
    // A dry run (other definitions, maybe) must not replace what the gate reads.
    stageReports: opts.readOnlyAlertState
      ? new MemoryStageReportStore()
      : new S3StageReportStore(s3, bucket),
    notifier: opts.notifier ?? stateChangeNotifier(config, config.alertTopics, sns, base.obs),
    // The alarms leave budget-exhausted and no-data out by the same rule.
    notifyConditions: evaluatorNotifiesConditions(base.metricsProfile, config.notify),
  };
}

/**
 * SNS when this stage's pager is the evaluator; otherwise the CloudWatch tier alarms
 * notify and the evaluator only logs what it would have sent, so nobody is paged twice.
 */
function stateChangeNotifier(
  config: FunctionConfig,
  topics: NonNullable<FunctionConfig["alertTopics"]>,
  sns: SNSClient,
  obs: BurnRateDeps["obs"],
): Notifier {
  if (config.notify) return new SnsNotifier(sns, topics, config.stage);
  return new RecordingNotifier(config.stage, (text) =>
    obs.logger.info("alert state changed; SLO_NOTIFY=false, the tier alarms notify", { text }),
  );
}
