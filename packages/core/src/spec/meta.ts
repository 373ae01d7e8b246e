import type { DocumentMeta, RawDocument } from "./documents.ts";
import type { IssueSink } from "./report.ts";

/** `{ key: value }` when the value is defined, `{}` otherwise: keeps optional fields absent. */
export function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

/** Labels and annotations must be strings in OpenSLO; label lists are joined with ",". */
export function readMeta(sink: IssueSink, raw: RawDocument): DocumentMeta | undefined {
  let ok = true;
  const strings = (field: "labels" | "annotations"): Record<string, string> => {
    const outMap: Record<string, string> = {};
    for (const [key, value] of Object.entries(raw.metadata[field] ?? {})) {
      if (typeof value === "string") outMap[key] = value;
      else if (
        field === "labels" &&
        Array.isArray(value) &&
        value.every((v) => typeof v === "string")
      )
        outMap[key] = value.join(",");
      else {
        sink.error(
          ["metadata", field, key],
          `${field === "labels" ? "label" : "annotation"} values must be strings, got ${JSON.stringify(value)}`,
          `quote the value, e.g. ${key}: "${typeof value === "object" ? JSON.stringify(value).replaceAll('"', '\\"') : String(value)}"`,
        );
        ok = false;
      }
    }
    return outMap;
  };
  const labels = strings("labels");
  const annotations = strings("annotations");
  if (!ok) return undefined;
  return {
    name: raw.name,
    ...optional("displayName", raw.metadata.displayName),
    labels,
    annotations,
    location: raw.location,
  };
}
