import { SloPlatformError } from "../errors.ts";

/**
 * One problem found in a definition file: where it is, what is wrong, and what to
 * write instead. Errors and warnings share this shape; `LoadResult` keeps them apart.
 */
export interface SpecIssue {
  readonly file: string;
  /** 1-based line; 0 when the problem is not tied to a line (e.g. an unreadable file). */
  readonly line: number;
  /** Field path inside the document, e.g. `spec.objectives[0].target`; empty for the whole document. */
  readonly path: string;
  readonly message: string;
  /** What to write instead. */
  readonly hint?: string;
}

/**
 * Formats issues as `file:line: path: message (hint)` lines, sorted by file then line,
 * so editors and CI logs can jump to them. Pass `"warning"` to mark the lines as
 * warnings (`file:line: warning: path: ...`).
 *
 * @example
 * formatSpecIssues([{ file: "slos/a.yaml", line: 12, path: "spec.objectives[0].target",
 *   message: "target 1.5 is outside (0, 1)", hint: "write a fraction, e.g. 0.999" }]);
 * // "slos/a.yaml:12: spec.objectives[0].target: target 1.5 is outside (0, 1) (write a fraction, e.g. 0.999)"
 */
export function formatSpecIssues(issues: readonly SpecIssue[], severity?: "warning"): string {
  return sortIssues(issues)
    .map((i) => {
      const where =
        (i.line > 0 ? `${i.file}:${i.line}` : i.file) + (severity ? `: ${severity}` : "");
      const path = i.path ? `${i.path}: ` : "";
      const hint = i.hint ? ` (${i.hint})` : "";
      return `${where}: ${path}${i.message}${hint}`;
    })
    .join("\n");
}

/** Stable order for reports: by file, then line, then path. */
export function sortIssues(issues: readonly SpecIssue[]): SpecIssue[] {
  return [...issues].sort(
    (a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.path.localeCompare(b.path),
  );
}

/**
 * Thrown by callers that need a valid definition set (e.g. a job that must not run on
 * a broken SLO): carries every issue so the message lists them all at once.
 *
 * @example
 * const result = await loadSloFiles(["slos"]);
 * if (result.issues.length > 0) throw new SloSpecError(result.issues);
 */
export class SloSpecError extends SloPlatformError {
  readonly issues: readonly SpecIssue[];
  constructor(issues: readonly SpecIssue[], options?: ErrorOptions) {
    super(
      `${issues.length} problem${issues.length === 1 ? "" : "s"} in the SLO definitions:\n${formatSpecIssues(issues)}`,
      "input",
      options,
    );
    this.name = "SloSpecError";
    this.issues = issues;
  }
}

/** Renders a path array (`["spec", "objectives", 0]`) as `spec.objectives[0]`. */
export function formatPath(path: readonly (string | number)[]): string {
  let out = "";
  for (const seg of path) {
    if (typeof seg === "number") out += `[${seg}]`;
    else if (/^[A-Za-z_][\w]*$/.test(seg)) out += out ? `.${seg}` : seg;
    else out += `[${JSON.stringify(seg)}]`;
  }
  return out;
}
