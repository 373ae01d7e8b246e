import type { MetricsProfile } from "@slo/core/monitoring";
import * as z from "zod/mini";
import { FunctionConfigError } from "./errors.ts";
import { type LinkedResources, readLinkedResources } from "./linked-resources.ts";

/** The three scheduled jobs (SST handler file names). */
export const FUNCTION_NAMES = ["slo-calculator", "burn-rate-evaluator", "predicted-load"] as const;
export type FunctionName = (typeof FUNCTION_NAMES)[number];

/** Validated configuration of one function, read once at cold start. */
export interface FunctionConfig {
  readonly functionName: FunctionName;
  readonly stage: string;
  readonly region: string | undefined;
  readonly clusterName: string;
  /** Compiled definitions (JSON written at deploy), relative to the working directory (the bundle root in Lambda). */
  readonly definitionsFile: string;
  readonly serviceName: string;
  readonly metricsNamespace: string;
  /** Grid of the SLO counts and of the rollup (5 minutes: what CloudWatch keeps for 63 days). */
  readonly stepMs: number;
  readonly rollupBucket: string | undefined;
  readonly alertTopics: { readonly page: string; readonly ticket: string } | undefined;
  /** Burn-rate evaluator: send SNS on alert state changes (false when the tier alarms page instead). */
  readonly notify: boolean;
  /** Which Custom/SLO metrics to publish (`SLO_METRICS`; the rest is logged). */
  readonly metricsProfile: MetricsProfile;
  readonly logLevel: string;
  /**
   * Where SLI counts are read (`SLO_BACKEND`, default CloudWatch): a Prometheus HTTP API
   * or Amazon Managed Prometheus workspace (`SLO_PROMETHEUS_URL`) instead.
   */
  readonly backend:
    | { readonly kind: "cloudwatch" }
    | { readonly kind: "prometheus"; readonly url: string };
}

// zod/mini: the functional build tree-shakes, keeping the Lambda bundles small.
const nonEmpty = () => z.string().check(z.trim(), z.minLength(1));
const bucketLink = z.object({ name: nonEmpty() });
const topicLink = z.object({
  arn: nonEmpty().check(z.regex(/^arn:aws[\w-]*:sns:/, "must be an SNS topic ARN")),
});

const common = z.object({
  SLO_STAGE: nonEmpty(),
  ECS_CLUSTER_NAME: nonEmpty(),
  SLO_DEFINITIONS_FILE: z._default(nonEmpty(), "slo-definitions.json"),
  POWERTOOLS_SERVICE_NAME: z.optional(nonEmpty()),
  POWERTOOLS_METRICS_NAMESPACE: z._default(nonEmpty(), "Custom/SLO"),
  POWERTOOLS_LOG_LEVEL: z._default(
    z.enum([
      "DEBUG",
      "INFO",
      "WARN",
      "ERROR",
      "SILENT",
      "debug",
      "info",
      "warn",
      "error",
      "silent",
    ]),
    "INFO",
  ),
  SLO_STEP_SECONDS: z._default(
    z.coerce.number().check(
      z.int(),
      z.refine(
        (s) => s >= 60 && s % 60 === 0,
        "must be a whole number of minutes in seconds (60, 300, ...)",
      ),
    ),
    300,
  ),
  AWS_REGION: z.optional(nonEmpty()),
  SLO_NOTIFY: z._default(z.enum(["true", "false"]), "true"),
  SLO_METRICS: z._default(z.enum(["minimal", "full"]), "minimal"),
  SLO_BACKEND: z._default(z.enum(["cloudwatch", "prometheus"]), "cloudwatch"),
  SLO_PROMETHEUS_URL: z.optional(
    nonEmpty().check(z.regex(/^https?:\/\/[^\s]+$/, "must be an http(s) URL")),
  ),
});

const SCHEMAS = {
  "slo-calculator": z.extend(common, { RollupBucket: bucketLink }),
  "burn-rate-evaluator": z.extend(common, {
    RollupBucket: bucketLink,
    AlertTopicPage: topicLink,
    AlertTopicTicket: topicLink,
  }),
  "predicted-load": common,
} as const;

const LINKS = new Set(["RollupBucket", "AlertTopicPage", "AlertTopicTicket"]);

/** What to write to fix each setting; printed with the validation error. */
const FIXES: Record<string, string> = {
  SLO_STAGE: "set SLO_STAGE to the stage name (infra sets it from $app.stage)",
  ECS_CLUSTER_NAME: "set ECS_CLUSTER_NAME to the fleet's ECS cluster name",
  SLO_DEFINITIONS_FILE:
    'set SLO_DEFINITIONS_FILE to the compiled definitions bundled with the function (default "slo-definitions.json"; infra writes it from slos/)',
  POWERTOOLS_LOG_LEVEL: "use DEBUG, INFO, WARN, ERROR or SILENT",
  SLO_STEP_SECONDS: "use 60 or 300 (CloudWatch keeps 5-minute data for 63 days)",
  SLO_METRICS:
    'write "minimal" (AlertState per firing service; per-SLO numbers in the stage report) or "full" (every metric per objective); infra sets it from the stage profile',
  SLO_NOTIFY:
    'write "true" (the evaluator notifies SNS) or "false" (the CloudWatch tier alarms do; infra sets it from the stage profile)',
  RollupBucket: "link the RollupBucket (sst.aws.Bucket) to this function: link: [rollupBucket]",
  AlertTopicPage: "link the AlertTopicPage (sst.aws.SnsTopic) to this function",
  AlertTopicTicket: "link the AlertTopicTicket (sst.aws.SnsTopic) to this function",
  SLO_BACKEND: 'write "cloudwatch" (default) or "prometheus" (then set SLO_PROMETHEUS_URL)',
  SLO_PROMETHEUS_URL:
    "set SLO_PROMETHEUS_URL to the Prometheus base URL or the AMP workspace URL (https://aps-workspaces.<region>.amazonaws.com/workspaces/<id>)",
};

function describeIssue(issue: z.core.$ZodIssue): string {
  const key = String(issue.path[0] ?? "");
  const name = LINKS.has(key)
    ? `SST link ${key} (env SST_RESOURCE_${key}${issue.path.length > 1 ? `, field "${issue.path.slice(1).join(".")}"` : ""})`
    : key;
  const what =
    issue.code === "invalid_type" && issue.input === undefined
      ? "is missing"
      : `is invalid: ${issue.message}`;
  return `${name} ${what}: ${FIXES[key] ?? "see packages/functions/README"}`;
}

/**
 * Validates the environment and SST links of one function and returns its
 * configuration. Call once at cold start: a misconfigured function then fails on its
 * first invocation with every problem listed, before touching AWS.
 *
 * @throws FunctionConfigError listing each bad or missing setting with the fix.
 * @example
 * const config = loadFunctionConfig("slo-calculator", process.env);
 * config.rollupBucket; // "prod-rollupbucket-abc123"
 */
export function loadFunctionConfig(
  functionName: FunctionName,
  env: Readonly<Record<string, string | undefined>>,
  links: LinkedResources = readLinkedResources(env),
): FunctionConfig {
  // An env var set to "" is as good as missing; say so rather than "too short".
  const input: Record<string, unknown> = Object.fromEntries(
    Object.entries(env).filter(([, v]) => v !== undefined && v !== ""),
  );
  for (const name of LINKS) if (name in links) input[name] = links[name];
  const parsed = SCHEMAS[functionName].safeParse(input);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  - ${describeIssue(i)}`);
    throw new FunctionConfigError(`${functionName}: invalid configuration:\n${lines.join("\n")}`);
  }
  if (parsed.data.SLO_BACKEND === "prometheus" && parsed.data.SLO_PROMETHEUS_URL === undefined) {
    throw new FunctionConfigError(
      `${functionName}: invalid configuration:\n  - SLO_PROMETHEUS_URL is missing: ${FIXES.SLO_PROMETHEUS_URL}`,
    );
  }
  const c = parsed.data as z.infer<typeof common> & {
    RollupBucket?: { name: string };
    AlertTopicPage?: { arn: string };
    AlertTopicTicket?: { arn: string };
  };
  return {
    functionName,
    stage: c.SLO_STAGE,
    region: c.AWS_REGION,
    clusterName: c.ECS_CLUSTER_NAME,
    definitionsFile: c.SLO_DEFINITIONS_FILE,
    serviceName: c.POWERTOOLS_SERVICE_NAME ?? functionName,
    metricsNamespace: c.POWERTOOLS_METRICS_NAMESPACE,
    stepMs: c.SLO_STEP_SECONDS * 1000,
    rollupBucket: c.RollupBucket?.name,
    alertTopics:
      c.AlertTopicPage && c.AlertTopicTicket
        ? { page: c.AlertTopicPage.arn, ticket: c.AlertTopicTicket.arn }
        : undefined,
    notify: c.SLO_NOTIFY === "true",
    metricsProfile: c.SLO_METRICS,
    logLevel: c.POWERTOOLS_LOG_LEVEL.toUpperCase(),
    backend:
      c.SLO_BACKEND === "prometheus" && c.SLO_PROMETHEUS_URL !== undefined
        ? { kind: "prometheus", url: c.SLO_PROMETHEUS_URL }
        : { kind: "cloudwatch" },
  };
}
