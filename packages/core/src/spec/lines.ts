import type { LineCounter, Node as YamlNode } from "yaml";
import { isMap, isScalar, isSeq } from "yaml";

/** Maps a field path inside one YAML document to the 1-based line it is written on. */
export type LineLookup = (path: readonly (string | number)[]) => number;

/**
 * Builds a lookup for one parsed document. A path that exists resolves to its key's
 * line (or the item's line in a list); a missing field resolves to the line of its
 * nearest existing parent, which is where the user has to add it.
 */
export function lineLookup(
  contents: YamlNode | null | undefined,
  counter: LineCounter,
  fallbackOffset: number,
): LineLookup {
  const lineAt = (offset: number) => counter.linePos(offset).line;
  return (path) => {
    let node: unknown = contents;
    let offset = nodeStart(contents) ?? fallbackOffset;
    for (const seg of path) {
      if (isMap(node)) {
        const pair = node.items.find((p) => isScalar(p.key) && p.key.value === seg);
        if (!pair) break;
        offset = (isScalar(pair.key) && pair.key.range?.[0]) || offset;
        node = pair.value;
      } else if (isSeq(node) && typeof seg === "number") {
        const item = node.items[seg];
        if (item === undefined) break;
        offset = nodeStart(item) ?? offset;
        node = item;
      } else {
        break;
      }
    }
    return lineAt(offset);
  };
}

function nodeStart(node: unknown): number | undefined {
  if (node && typeof node === "object" && "range" in node) {
    const range = (node as { range?: [number, number, number] | null }).range;
    return range?.[0];
  }
  return undefined;
}
