import { RollbackError } from "./errors.ts";

/** One ECS task definition revision, parsed from its ARN. */
export interface TaskDefinitionRef {
  readonly arn: string;
  readonly family: string;
  readonly revision: number;
}

// Family names are up to 255 letters, digits, hyphens and underscores (RegisterTaskDefinition).
const ARN =
  /^arn:aws[a-z-]*:ecs:[a-z0-9-]+:\d{12}:task-definition\/([A-Za-z0-9_-]{1,255}):([1-9]\d*)$/;

/**
 * Parses `arn:aws:ecs:<region>:<account>:task-definition/<family>:<revision>`.
 *
 * @throws RollbackError naming `what` when the text is not a task definition revision ARN.
 * @example
 * parseTaskDefinitionArn("arn:aws:ecs:eu-west-1:111122223333:task-definition/web:7");
 * // { arn: "...", family: "web", revision: 7 }
 */
export function parseTaskDefinitionArn(arn: string, what = "task definition"): TaskDefinitionRef {
  const m = ARN.exec(arn);
  if (!m) {
    throw new RollbackError(
      `${what} "${arn}" is not a task definition revision ARN; expected arn:aws:ecs:<region>:<account>:task-definition/<family>:<revision>`,
    );
  }
  return { arn, family: m[1] as string, revision: Number(m[2]) };
}

/**
 * Picks the task definition to roll back to: revision `to` when given (it must be listed
 * and differ from the current one), otherwise the newest listed revision of the current
 * family that is older than the current one. `revisions` are the family's ACTIVE
 * revisions as ListTaskDefinitions returns them; other families (a `familyPrefix` listing
 * also matches `web-admin` for `web`) are ignored.
 *
 * @throws RollbackError for a malformed ARN, a list without the current family, no older
 *   revision, or a `to` that is missing or current.
 * @example
 * chooseRollbackTarget("arn:aws:ecs:eu-west-1:111122223333:task-definition/web:9", [
 *   "arn:aws:ecs:eu-west-1:111122223333:task-definition/web:9",
 *   "arn:aws:ecs:eu-west-1:111122223333:task-definition/web:7",
 * ]); // ".../web:7"
 */
export function chooseRollbackTarget(current: string, revisions: string[], to?: number): string {
  const cur = parseTaskDefinitionArn(current, "current task definition");
  const parsed = revisions.map((r) => parseTaskDefinitionArn(r, "listed task definition"));
  const family = parsed.filter((p) => p.family === cur.family);
  if (family.length === 0 && parsed.length > 0) {
    const others = [...new Set(parsed.map((p) => p.family))].sort().join(", ");
    throw new RollbackError(
      `none of the ${parsed.length} listed revisions belong to family "${cur.family}" (found: ${others}); list the revisions with familyPrefix "${cur.family}"`,
    );
  }
  if (to !== undefined) {
    if (!Number.isInteger(to) || to < 1) {
      throw new RollbackError(`revision to roll back to must be a positive integer, got ${to}`);
    }
    if (to === cur.revision) {
      throw new RollbackError(
        `revision ${to} is the one "${cur.family}" already runs; pick another revision or omit it to use the previous one`,
      );
    }
    const hit = family.find((p) => p.revision === to);
    if (!hit) {
      throw new RollbackError(
        `revision ${to} of "${cur.family}" is not ACTIVE (deregistered or never registered); ACTIVE revisions: ${describe(family)}`,
      );
    }
    return hit.arn;
  }
  let best: TaskDefinitionRef | undefined;
  for (const p of family) {
    if (p.revision < cur.revision && (best === undefined || p.revision > best.revision)) best = p;
  }
  if (!best) {
    throw new RollbackError(
      `"${cur.family}" has no ACTIVE revision older than ${cur.revision} to roll back to (ACTIVE: ${describe(family)}); register the last good task definition again and deploy it`,
    );
  }
  return best.arn;
}

function describe(refs: readonly TaskDefinitionRef[]): string {
  if (refs.length === 0) return "none";
  return refs
    .map((r) => r.revision)
    .sort((a, b) => a - b)
    .join(", ");
}
