import { createHash } from "node:crypto";
import {
  ApplicationSignalsClient,
  BatchUpdateExclusionWindowsCommand,
  type BatchUpdateExclusionWindowsInput,
  CreateServiceLevelObjectiveCommand,
  type CreateServiceLevelObjectiveInput,
  type ExclusionWindow,
  ListServiceLevelObjectiveExclusionWindowsCommand,
  ListServiceLevelObjectivesCommand,
  ListTagsForResourceCommand,
  type ServiceLevelObjectiveSummary,
  TagResourceCommand,
  UpdateServiceLevelObjectiveCommand,
  type UpdateServiceLevelObjectiveInput,
} from "@aws-sdk/client-application-signals";
import type { AppSignalsSlo } from "@slo/core/export";
import { callAws } from "../budget.ts";
import { type AwsClientOptions, baseClientConfig, withPlugins } from "../clients.ts";
import { AppSignalsApplyError } from "./errors.ts";

/** Tag every SLO this tool creates carries; SLOs without it are never touched. */
export const OWNER_TAG = "slo-platform:slo";
/** Tag holding the SHA-256 of the request last applied, so a rerun can tell "unchanged" without reads per field. */
export const SPEC_HASH_TAG = "slo-platform:spec-sha256";

/**
 * Creates an Application Signals client with the same retries, timeouts and plugins as
 * the other clients of this package.
 *
 * @example
 * const appSignals = createApplicationSignalsClient({ region: "eu-west-1" });
 */
export function createApplicationSignalsClient(
  opts: AwsClientOptions = {},
): ApplicationSignalsClient {
  return withPlugins(new ApplicationSignalsClient(baseClientConfig(opts)), opts);
}

/** What `applyApplicationSignalsSlos` did (or, with `dryRun`, would do) to one SLO. */
export interface AppSignalsApplyResult {
  readonly name: string;
  readonly slo: string;
  readonly objective: string;
  readonly outcome: "created" | "updated" | "unchanged" | "refused" | "failed";
  /** Why it was refused or failed, or what changed. */
  readonly reason?: string;
  readonly arn?: string;
}

export interface ApplyAppSignalsOptions {
  readonly client: ApplicationSignalsClient;
  /** Plan only: reads (list, tags) but makes no write call. */
  readonly dryRun?: boolean;
  readonly signal?: AbortSignal;
}

type Request = NonNullable<AppSignalsSlo["request"]>;

/** SHA-256 of the request and exclusion windows in a key-sorted form, so field order never counts as a change. */
export function specHash(slo: Pick<AppSignalsSlo, "request" | "exclusionWindows">): string {
  const sorted = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(sorted);
    if (v && typeof v === "object") {
      return Object.fromEntries(
        Object.entries(v)
          .filter(([k]) => k !== "Tags")
          .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
          .map(([k, x]) => [k, sorted(x)]),
      );
    }
    return v;
  };
  return createHash("sha256")
    .update(
      JSON.stringify(sorted({ request: slo.request, exclusionWindows: slo.exclusionWindows })),
    )
    .digest("hex");
}

function evaluationType(r: Request): "RequestBased" | "PeriodBased" {
  return r.RequestBasedSliConfig ? "RequestBased" : "PeriodBased";
}

async function listAll(
  client: ApplicationSignalsClient,
  signal: AbortSignal | undefined,
): Promise<ServiceLevelObjectiveSummary[]> {
  const all: ServiceLevelObjectiveSummary[] = [];
  let NextToken: string | undefined;
  do {
    const page = await callAws(
      "application-signals:ListServiceLevelObjectives",
      () => client.send(new ListServiceLevelObjectivesCommand({ MaxResults: 50, NextToken })),
      signal,
    );
    all.push(...(page.SloSummaries ?? []));
    NextToken = page.NextToken;
  } while (NextToken);
  return all;
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/**
 * Creates the SLOs Application Signals does not have yet, updates the ones this tool
 * created whose request changed, and leaves the rest alone: a second run makes no write
 * call. Never deletes. An SLO of the same name without the `slo-platform:slo` tag, or one
 * whose evaluation type (request- vs period-based) would change, is refused with the
 * reason, as UpdateServiceLevelObjective cannot switch it. AWS errors are reported per SLO
 * (after the SDK's retries) and the others still run.
 *
 * @example
 * const results = await applyApplicationSignalsSlos(applicationSignalsSlos(slos), {
 *   client: createApplicationSignalsClient({ region: "eu-west-1" }),
 * });
 */
export async function applyApplicationSignalsSlos(
  slos: readonly AppSignalsSlo[],
  opts: ApplyAppSignalsOptions,
): Promise<AppSignalsApplyResult[]> {
  const { client, signal } = opts;
  const existing = new Map((await listAll(client, signal)).map((s) => [s.Name, s]));
  const results: AppSignalsApplyResult[] = [];
  for (const slo of slos) {
    const base = { slo: slo.slo, objective: slo.objective };
    if (!slo.request) {
      results.push({
        ...base,
        name: slo.slo,
        outcome: "refused",
        reason: `Application Signals cannot express it: ${slo.cannotExpress.join("; ")}`,
      });
      continue;
    }
    const request = slo.request;
    try {
      results.push({
        ...base,
        name: request.Name,
        ...(await applyOne(slo, request, existing.get(request.Name), opts)),
      });
    } catch (err) {
      if (signal?.aborted) throw err;
      results.push({ ...base, name: request.Name, outcome: "failed", reason: errorText(err) });
    }
  }
  return results;
}

async function applyOne(
  slo: AppSignalsSlo,
  request: Request,
  found: ServiceLevelObjectiveSummary | undefined,
  opts: ApplyAppSignalsOptions,
): Promise<Omit<AppSignalsApplyResult, "name" | "slo" | "objective">> {
  const { client, signal, dryRun } = opts;
  const hash = specHash(slo);
  const windows = slo.exclusionWindows.map(toSdkWindow);
  if (!found?.Arn) {
    if (dryRun) return { outcome: "created", reason: "would create (dry run)" };
    const input = structuredClone(request) as unknown as CreateServiceLevelObjectiveInput;
    // With exclusion windows the hash is tagged only once they are set too, so a run that
    // fails between the two calls leaves a mismatch the next run repairs.
    const firstTag = windows.length > 0 ? "pending-exclusion-windows" : hash;
    input.Tags = [...(input.Tags ?? []), { Key: SPEC_HASH_TAG, Value: firstTag }];
    const out = await callAws(
      "application-signals:CreateServiceLevelObjective",
      () => client.send(new CreateServiceLevelObjectiveCommand(input)),
      signal,
    );
    const arn = out.Slo?.Arn;
    if (arn && windows.length > 0) {
      await batchUpdateWindows(client, arn, { AddExclusionWindows: windows }, signal);
      await tagHash(client, arn, hash, signal);
    }
    return { outcome: "created", ...(arn ? { arn } : {}) };
  }
  const arn = found.Arn;
  const tags = await callAws(
    "application-signals:ListTagsForResource",
    () => client.send(new ListTagsForResourceCommand({ ResourceArn: arn })),
    signal,
  );
  const tag = (key: string) => tags.Tags?.find((t) => t.Key === key)?.Value;
  if (tag(OWNER_TAG) === undefined) {
    return {
      outcome: "refused",
      arn,
      reason: `an SLO named "${request.Name}" exists without the ${OWNER_TAG} tag, so this tool did not create it; rename the OpenSLO SLO or tag that one with ${OWNER_TAG}=${slo.slo} to let this tool manage it`,
    };
  }
  const wanted = evaluationType(request);
  if (found.EvaluationType && found.EvaluationType !== wanted) {
    return {
      outcome: "refused",
      arn,
      reason: `it is ${found.EvaluationType} and the definition is now ${wanted}; UpdateServiceLevelObjective cannot change the evaluation type, so delete it in Application Signals and rerun --apply to recreate it`,
    };
  }
  if (tag(SPEC_HASH_TAG) === hash) return { outcome: "unchanged", arn };
  if (dryRun) return { outcome: "updated", arn, reason: "would update (dry run)" };
  await callAws(
    "application-signals:UpdateServiceLevelObjective",
    () =>
      client.send(
        new UpdateServiceLevelObjectiveCommand({
          Id: arn,
          ...(structuredClone({
            ...(request.Description !== undefined ? { Description: request.Description } : {}),
            ...(request.SliConfig ? { SliConfig: request.SliConfig } : {}),
            ...(request.RequestBasedSliConfig
              ? { RequestBasedSliConfig: request.RequestBasedSliConfig }
              : {}),
            Goal: request.Goal,
            BurnRateConfigurations: request.BurnRateConfigurations,
          }) as Omit<UpdateServiceLevelObjectiveInput, "Id">),
        }),
      ),
    signal,
  );
  await syncExclusionWindows(client, arn, slo.exclusionWindows, signal);
  await tagHash(client, arn, hash, signal);
  return { outcome: "updated", arn };
}

async function tagHash(
  client: ApplicationSignalsClient,
  arn: string,
  hash: string,
  signal: AbortSignal | undefined,
): Promise<void> {
  await callAws(
    "application-signals:TagResource",
    () =>
      client.send(
        new TagResourceCommand({ ResourceArn: arn, Tags: [{ Key: SPEC_HASH_TAG, Value: hash }] }),
      ),
    signal,
  );
}

/** BatchUpdateExclusionWindows reports per-SLO failures in a 200 answer: turn them into an error. */
async function batchUpdateWindows(
  client: ApplicationSignalsClient,
  arn: string,
  change: Pick<BatchUpdateExclusionWindowsInput, "AddExclusionWindows" | "RemoveExclusionWindows">,
  signal: AbortSignal | undefined,
): Promise<void> {
  const out = await callAws(
    "application-signals:BatchUpdateExclusionWindows",
    () => client.send(new BatchUpdateExclusionWindowsCommand({ SloIds: [arn], ...change })),
    signal,
  );
  const [first] = out.Errors ?? [];
  if (first) {
    throw new AppSignalsApplyError(
      `application-signals:BatchUpdateExclusionWindows failed for ${first.SloId ?? arn}: ${first.ErrorCode}: ${first.ErrorMessage}; the next --apply retries it`,
    );
  }
}

function toSdkWindow(w: AppSignalsSlo["exclusionWindows"][number]) {
  return {
    Window: { Duration: w.Window.Duration, DurationUnit: w.Window.DurationUnit },
    StartTime: new Date(w.StartTime),
    Reason: w.Reason,
  };
}

/** Makes the SLO's exclusion windows exactly the wanted ones (adds and removes in one batch). */
async function syncExclusionWindows(
  client: ApplicationSignalsClient,
  arn: string,
  wanted: AppSignalsSlo["exclusionWindows"],
  signal: AbortSignal | undefined,
): Promise<void> {
  const key = (w: {
    StartTime?: Date | string;
    Window?: { Duration?: number; DurationUnit?: string };
  }) =>
    `${w.StartTime ? new Date(w.StartTime).toISOString() : ""}/${w.Window?.Duration}${w.Window?.DurationUnit}`;
  const current: ExclusionWindow[] = [];
  let NextToken: string | undefined;
  do {
    const page = await callAws(
      "application-signals:ListServiceLevelObjectiveExclusionWindows",
      () =>
        client.send(new ListServiceLevelObjectiveExclusionWindowsCommand({ Id: arn, NextToken })),
      signal,
    );
    current.push(...(page.ExclusionWindows ?? []));
    NextToken = page.NextToken;
  } while (NextToken);
  const wantedKeys = new Set(wanted.map(key));
  const currentKeys = new Set(current.map(key));
  const add = wanted.filter((w) => !currentKeys.has(key(w)));
  const remove = current.filter((w) => !wantedKeys.has(key(w)));
  if (add.length === 0 && remove.length === 0) return;
  await batchUpdateWindows(
    client,
    arn,
    {
      ...(add.length ? { AddExclusionWindows: add.map(toSdkWindow) } : {}),
      ...(remove.length ? { RemoveExclusionWindows: remove } : {}),
    },
    signal,
  );
}
