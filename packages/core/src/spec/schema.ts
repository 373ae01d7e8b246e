import * as z from "zod";

/**
 * Shape-only schemas of OpenSLO v1 documents (types, required fields, no unknown
 * fields): the one statement of each document's shape, whose inferred types the readers
 * take. Ranges, durations, time zones and references are checked by the readers
 * (`indicator.ts`, `time-window.ts`, `objectives.ts`, `slo.ts`, `alerting.ts`, wired
 * by `resolve.ts`), where each check can say what to write instead.
 */

export const metadataSchema = z.strictObject({
  name: z.string(),
  displayName: z.string().optional(),
  labels: z.record(z.string(), z.unknown()).optional(),
  annotations: z.record(z.string(), z.unknown()).optional(),
});

export const metricSourceSchema = z.strictObject({
  metricSourceRef: z.string().optional(),
  type: z.string().optional(),
  spec: z.record(z.string(), z.unknown()),
});

const metricHolderSchema = z.strictObject({ metricSource: metricSourceSchema });

export const ratioMetricSchema = z.strictObject({
  counter: z.boolean().optional(),
  good: metricHolderSchema.optional(),
  bad: metricHolderSchema.optional(),
  total: metricHolderSchema.optional(),
  rawType: z.string().optional(),
  raw: metricHolderSchema.optional(),
});

export const sliSpecSchema = z.strictObject({
  description: z.string().optional(),
  ratioMetric: ratioMetricSchema.optional(),
  thresholdMetric: metricHolderSchema.optional(),
});

export const inlineIndicatorSchema = z.strictObject({
  metadata: metadataSchema.optional(),
  spec: sliSpecSchema,
});

export const timeWindowSchema = z.strictObject({
  duration: z.string(),
  isRolling: z.boolean().optional(),
  calendar: z.strictObject({ startTime: z.string(), timeZone: z.string() }).optional(),
});

export const objectiveSchema = z.strictObject({
  displayName: z.string().optional(),
  op: z.string().optional(),
  value: z.number().optional(),
  target: z.number().optional(),
  targetPercent: z.number().optional(),
  timeSliceTarget: z.number().optional(),
  timeSliceWindow: z.string().optional(),
  indicator: z.unknown().optional(),
  indicatorRef: z.unknown().optional(),
  compositeWeight: z.unknown().optional(),
});

export const sloSpecSchema = z.strictObject({
  description: z.string().optional(),
  service: z.string(),
  indicator: z.unknown().optional(),
  indicatorRef: z.string().optional(),
  timeWindow: z.unknown(),
  budgetingMethod: z.string(),
  objectives: z.array(z.unknown()),
  alertPolicies: z.array(z.unknown()).optional(),
});

export const serviceSpecSchema = z.strictObject({ description: z.string().optional() });

export const dataSourceSpecSchema = z.strictObject({
  description: z.string().optional(),
  type: z.string(),
  connectionDetails: z.record(z.string(), z.unknown()).optional(),
});

export const alertConditionSpecSchema = z.strictObject({
  description: z.string().optional(),
  severity: z.string(),
  condition: z.strictObject({
    kind: z.literal("burnrate"),
    op: z.enum(["lt", "lte", "gt", "gte"]),
    threshold: z.number(),
    lookbackWindow: z.string(),
    alertAfter: z.string().optional(),
  }),
});

export const alertPolicySpecSchema = z.strictObject({
  description: z.string().optional(),
  alertWhenNoData: z.boolean().optional(),
  alertWhenResolved: z.boolean().optional(),
  alertWhenBreaching: z.boolean().optional(),
  conditions: z.array(z.record(z.string(), z.unknown())),
  notificationTargets: z.array(z.record(z.string(), z.unknown())).optional(),
});

export const notificationTargetSpecSchema = z.strictObject({
  description: z.string().optional(),
  target: z.string(),
});

/** CloudWatch `{ name, value }` dimension list, as OpenSLO's CloudWatch examples write it. */
const dimensionsSchema = z.array(z.strictObject({ name: z.string(), value: z.string() }));

export const cloudWatchMetricSpecSchema = z.strictObject({
  region: z.string().optional(),
  namespace: z.string(),
  metricName: z.string(),
  dimensions: dimensionsSchema.optional(),
  stat: z.string(),
});

export const cloudWatchExpressionSpecSchema = z.strictObject({
  region: z.string().optional(),
  expression: z.string(),
  metrics: z.array(
    z.strictObject({
      id: z.string(),
      namespace: z.string(),
      metricName: z.string(),
      dimensions: dimensionsSchema.optional(),
      stat: z.string(),
    }),
  ),
});

export const exclusionsSchema = z.array(
  z.strictObject({ start: z.string(), end: z.string(), reason: z.string().optional() }),
);

export const alertTiersSchema = z.array(
  z.strictObject({
    name: z.string(),
    severity: z.enum(["page", "ticket"]),
    longWindow: z.string(),
    shortWindow: z.string().optional(),
    budgetFraction: z.number(),
  }),
);

/** An SLI spec as the schema admits it: the one statement of its shape. */
export type SliSpec = z.infer<typeof sliSpecSchema>;
/** An objective as the schema admits it. */
export type ObjectiveSpec = z.infer<typeof objectiveSchema>;
/** A time window as the schema admits it. */
export type TimeWindowSpec = z.infer<typeof timeWindowSchema>;
/** An SLO spec as the schema admits it. */
export type SloSpec = z.infer<typeof sloSpecSchema>;
