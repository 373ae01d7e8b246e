import type * as z from "zod";
import { formatDuration, parseDuration } from "../time/duration.ts";
import { parseInstant } from "../time/instant.ts";
import { alertTier, defaultAlertTiers, wholeStepWindow } from "./alert-tiers.ts";
import type { AlertTier, ExclusionWindow } from "./model.ts";
import type { IssueSink, Path } from "./report.ts";
import { closest } from "./report.ts";
import { alertTiersSchema, exclusionsSchema } from "./schema.ts";

/**
 * The engine's additions to OpenSLO, written as `metadata.annotations` (string values)
 * so the files stay valid OpenSLO for every other tool.
 */
export const EXTENSION_PREFIX = "slo-platform.dev/";
export const EXCLUSIONS_KEY = `${EXTENSION_PREFIX}exclusions`;
export const ALERT_TIERS_KEY = `${EXTENSION_PREFIX}alert-tiers`;
export const MIN_EVENTS_KEY = `${EXTENSION_PREFIX}min-events`;
const KNOWN_KEYS = [EXCLUSIONS_KEY, ALERT_TIERS_KEY, MIN_EVENTS_KEY];

/** Minimum events per window when `min-events` is absent: no low-traffic guard. */
export const DEFAULT_MIN_EVENTS = 0;

/** Epoch ms, or NaN for a time not on the calendar (30 February, hour 25). */
function strictInstant(text: string): number {
  try {
    return parseInstant(text);
  } catch {
    return Number.NaN;
  }
}

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

export interface Extensions {
  readonly exclusions: ExclusionWindow[];
  readonly alertTiers: AlertTier[];
  readonly minEvents: number;
}

/** Reads and checks every `slo-platform.dev/*` annotation of an SLO. */
export function readExtensions(
  sink: IssueSink,
  annotations: Readonly<Record<string, string>>,
  periodMs: number,
  stepMs: number,
): Extensions | undefined {
  let ok = true;
  const at = (key: string): Path => ["metadata", "annotations", key];
  for (const key of Object.keys(annotations)) {
    if (key.startsWith(EXTENSION_PREFIX) && !KNOWN_KEYS.includes(key)) {
      const near = closest(key, KNOWN_KEYS);
      sink.error(
        at(key),
        `unknown extension annotation "${key}"`,
        near ? `did you mean "${near}"?` : `use one of: ${KNOWN_KEYS.join(", ")}`,
      );
      ok = false;
    }
  }

  let minEvents = DEFAULT_MIN_EVENTS;
  const rawMin = annotations[MIN_EVENTS_KEY];
  if (rawMin !== undefined) {
    if (/^\d+$/.test(rawMin.trim())) minEvents = Number(rawMin.trim());
    else {
      sink.error(
        at(MIN_EVENTS_KEY),
        `"${rawMin}" is not a whole number of events`,
        'write a quoted whole number, e.g. "100"',
      );
      ok = false;
    }
  }

  const exclusions: ExclusionWindow[] = [];
  const rawExclusions = annotations[EXCLUSIONS_KEY];
  if (rawExclusions !== undefined) {
    const list = parseJson(
      sink,
      at(EXCLUSIONS_KEY),
      rawExclusions,
      exclusionsSchema,
      '\'[{"start":"2026-10-03T02:00:00Z","end":"2026-10-03T04:00:00Z","reason":"db upgrade"}]\'',
    );
    if (!list) ok = false;
    for (const [i, e] of (list ?? []).entries()) {
      const startMs = ISO_INSTANT.test(e.start) ? strictInstant(e.start) : Number.NaN;
      const endMs = ISO_INSTANT.test(e.end) ? strictInstant(e.end) : Number.NaN;
      if (!Number.isFinite(startMs) || !Number.isFinite(endMs)) {
        sink.error(
          at(EXCLUSIONS_KEY),
          `exclusion ${i + 1}: start and end must be ISO instants with a zone`,
          'write e.g. "2026-10-03T02:00:00Z"',
        );
        ok = false;
      } else if (endMs <= startMs) {
        sink.error(
          at(EXCLUSIONS_KEY),
          `exclusion ${i + 1}: end ${e.end} is not after start ${e.start}`,
          "write an end later than the start",
        );
        ok = false;
      } else {
        exclusions.push(
          e.reason === undefined ? { startMs, endMs } : { startMs, endMs, reason: e.reason },
        );
      }
    }
  }

  let alertTiers = defaultAlertTiers(periodMs);
  const rawTiers = annotations[ALERT_TIERS_KEY];
  if (rawTiers !== undefined) {
    const tiers = readTiers(sink, at(ALERT_TIERS_KEY), rawTiers, periodMs, stepMs);
    if (tiers) alertTiers = tiers;
    else ok = false;
  }
  return ok ? { exclusions, alertTiers, minEvents } : undefined;
}

function readTiers(
  sink: IssueSink,
  path: Path,
  raw: string,
  periodMs: number,
  stepMs: number,
): AlertTier[] | undefined {
  const list = parseJson(
    sink,
    path,
    raw,
    alertTiersSchema,
    '\'[{"name":"page-fast","severity":"page","longWindow":"1h","shortWindow":"5m","budgetFraction":0.02}]\'',
  );
  if (!list) return undefined;
  if (list.length === 0) {
    sink.error(
      path,
      "alert tiers list is empty",
      "list at least one tier, or remove the annotation to use the defaults",
    );
    return undefined;
  }
  const tiers: AlertTier[] = [];
  const names = new Set<string>();
  let ok = true;
  for (const [i, t] of list.entries()) {
    const label = `tier ${i + 1} (${t.name})`;
    const fail = (message: string, hint: string) => {
      sink.error(path, `${label}: ${message}`, hint);
      ok = false;
    };
    if (names.has(t.name)) fail("name is used twice", "give each tier its own name");
    names.add(t.name);
    const longWindowMs = tryDuration(t.longWindow);
    const shortWindowMs =
      t.shortWindow === undefined
        ? longWindowMs && wholeStepWindow(longWindowMs / 12, stepMs)
        : tryDuration(t.shortWindow);
    if (longWindowMs === undefined || shortWindowMs === undefined) {
      fail(
        "longWindow/shortWindow is not a duration",
        'write e.g. "longWindow":"1h","shortWindow":"5m"',
      );
      continue;
    }
    if (!(t.budgetFraction > 0 && t.budgetFraction <= 1))
      fail(
        `budgetFraction ${t.budgetFraction} is outside (0, 1]`,
        "write the share of the period's budget, e.g. 0.02",
      );
    if (longWindowMs > periodMs)
      fail(
        "longWindow is longer than the SLO window",
        "use a long window shorter than the time window",
      );
    if (shortWindowMs >= longWindowMs)
      fail("shortWindow must be shorter than longWindow", "use about longWindow / 12");
    if (shortWindowMs < stepMs)
      fail("shortWindow is shorter than a step", `use at least ${stepMs / 60_000}m`);
    else if (longWindowMs % stepMs !== 0 || shortWindowMs % stepMs !== 0)
      // A window between two steps is read as the steps it overlaps, not as its own
      // length, so its threshold would not match the data it is compared with.
      fail(
        "longWindow/shortWindow is not a whole number of steps",
        `use multiples of ${stepMs / 60_000}m, e.g. ${formatDuration(wholeStepWindow(longWindowMs, stepMs))} and ${formatDuration(wholeStepWindow(shortWindowMs, stepMs))}`,
      );
    tiers.push(
      alertTier(
        {
          name: t.name,
          severity: t.severity,
          longWindowMs,
          shortWindowMs,
          budgetFraction: t.budgetFraction,
        },
        periodMs,
      ),
    );
  }
  return ok ? tiers : undefined;
}

function parseJson<S extends z.ZodType>(
  sink: IssueSink,
  path: Path,
  raw: string,
  schema: S,
  example: string,
): z.infer<S> | undefined {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch (error) {
    sink.error(
      path,
      `not valid JSON (${(error as Error).message})`,
      `write a JSON list in single quotes, e.g. ${example}`,
    );
    return undefined;
  }
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const first = result.error.issues[0];
  const where = first?.path.length ? ` at ${first.path.join(".")}` : "";
  sink.error(
    path,
    `invalid value${where}: ${first?.message ?? "wrong shape"}`,
    `write e.g. ${example}`,
  );
  return undefined;
}

function tryDuration(text: string): number | undefined {
  try {
    return parseDuration(text);
  } catch {
    return undefined;
  }
}
