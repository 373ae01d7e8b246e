import { isSeq, LineCounter, parseAllDocuments } from "yaml";
import type { DocumentKind, ParsedFile, RawDocument } from "./documents.ts";
import { KNOWN_KINDS } from "./documents.ts";
import type { SpecIssue } from "./issues.ts";
import { lineLookup } from "./lines.ts";
import type { Path } from "./report.ts";
import { closest, IssueSink } from "./report.ts";
import { metadataSchema } from "./schema.ts";

const API_VERSION = "openslo/v1";
const ENVELOPE_KEYS = ["apiVersion", "kind", "metadata", "spec"];
/** OpenSLO names are RFC 1123 labels, which also makes them safe as CloudWatch dimension values. */
const NAME_PATTERN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/**
 * Parses one file's text into OpenSLO documents (multi-document `---` files, or a
 * top-level list of documents), checking YAML syntax and each document's envelope:
 * `apiVersion`, `kind`, `metadata`. Specs are checked later by `resolveSloDocuments`,
 * which also resolves references across files. Pure: no I/O.
 *
 * @example
 * const parsed = parseSloDocuments(text, "slos/user-service.yaml");
 * const result = resolveSloDocuments([parsed]);
 */
export function parseSloDocuments(text: string, file: string): ParsedFile {
  const issues: SpecIssue[] = [];
  const warnings: SpecIssue[] = [];
  const documents: RawDocument[] = [];
  const counter = new LineCounter();
  const stream = parseAllDocuments(text, { lineCounter: counter, keepSourceTokens: true });
  if (!Array.isArray(stream)) return { file, documents, issues, warnings };
  if (stream.every((doc) => doc.errors.length === 0 && doc.contents === null)) {
    // Otherwise an empty or commented-out file validates as "0 SLOs, 0 errors".
    issues.push({
      file,
      line: 1,
      path: "",
      message: "the file holds no OpenSLO documents (it is empty or only comments)",
      hint: "add documents (apiVersion: openslo/v1, kind, metadata, spec) or remove the file",
    });
    return { file, documents, issues, warnings };
  }

  for (const doc of stream) {
    if (doc.errors.length > 0) {
      for (const err of doc.errors) {
        issues.push({
          file,
          line: err.linePos?.[0].line ?? 0,
          path: "",
          message: `invalid YAML: ${err.message.split("\n")[0]}`,
          hint: "fix the YAML syntax on this line (indentation, quotes, brackets, a space after ':')",
        });
      }
      continue;
    }
    for (const warning of doc.warnings) {
      warnings.push({
        file,
        line: warning.linePos?.[0].line ?? 0,
        path: "",
        message: warning.message.split("\n")[0] ?? "",
      });
    }
    if (doc.contents === null) continue;
    const lookup = lineLookup(doc.contents, counter, doc.range[0]);
    let value: unknown;
    try {
      // yaml refuses alias expansion past maxAliasCount (a "billion laughs" bomb) by
      // throwing: that is this file's problem, reported like any other.
      value = doc.toJS({ maxAliasCount: 100 });
    } catch (error) {
      issues.push({
        file,
        line: counter.linePos(doc.range[0]).line,
        path: "",
        message: `unreadable YAML: ${(error as Error).message.split("\n")[0]}`,
        hint: "expand the aliases (*name) by hand, or use fewer of them",
      });
      continue;
    }
    if (isSeq(doc.contents) && Array.isArray(value)) {
      value.forEach((item: unknown, i) => {
        readEnvelope(item, file, (p) => lookup([i, ...p]), documents, issues, warnings);
      });
    } else {
      readEnvelope(value, file, lookup, documents, issues, warnings);
    }
  }
  return { file, documents, issues, warnings };
}

function readEnvelope(
  value: unknown,
  file: string,
  lineOf: (path: Path) => number,
  documents: RawDocument[],
  issues: SpecIssue[],
  warnings: SpecIssue[],
): void {
  const sink = new IssueSink(file, lineOf, issues, warnings);
  if (!isRecord(value)) {
    sink.error(
      [],
      "expected an OpenSLO document",
      "write a mapping with apiVersion, kind, metadata and spec",
    );
    return;
  }
  let ok = true;
  if (value.apiVersion === undefined) {
    sink.error([], "apiVersion is missing", `add apiVersion: ${API_VERSION} as the first line`);
    ok = false;
  } else if (value.apiVersion !== API_VERSION) {
    sink.error(
      ["apiVersion"],
      `apiVersion ${JSON.stringify(value.apiVersion)} is not supported`,
      `write apiVersion: ${API_VERSION}`,
    );
    ok = false;
  }
  const kind = value.kind;
  if (kind === undefined) {
    sink.error([], "kind is missing", `add kind: one of ${KNOWN_KINDS.join(", ")}`);
    return;
  }
  if (typeof kind !== "string" || !(KNOWN_KINDS as readonly string[]).includes(kind)) {
    const near = typeof kind === "string" ? closest(kind, KNOWN_KINDS) : undefined;
    sink.error(
      ["kind"],
      `unknown kind ${JSON.stringify(kind)}`,
      near ? `did you mean ${near}?` : `write one of: ${KNOWN_KINDS.join(", ")}`,
    );
    return;
  }
  for (const key of Object.keys(value)) {
    if (!ENVELOPE_KEYS.includes(key)) {
      const near = closest(key, ENVELOPE_KEYS);
      sink.error(
        [key],
        `unknown field "${key}"`,
        near ? `did you mean "${near}"?` : "move it under spec: or metadata.annotations",
      );
    }
  }
  const metadata = sink.check(metadataSchema, value.metadata, ["metadata"]);
  if (!metadata || !ok) return;
  if (!NAME_PATTERN.test(metadata.name) || metadata.name.length > 63) {
    sink.error(
      ["metadata", "name"],
      `name "${metadata.name}" is not a valid OpenSLO name`,
      "use lowercase letters, digits and '-', at most 63 characters, e.g. user-service-availability",
    );
  }
  documents.push({
    kind: kind as DocumentKind,
    name: metadata.name,
    metadata,
    spec: value.spec,
    location: { file, line: lineOf(["kind"]) },
    lineOf,
  });
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
