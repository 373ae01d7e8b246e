import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadSloFiles } from "../spec/index.ts";
import {
  CompiledDefinitionsError,
  compileSloDefinitions,
  parseCompiledSloDefinitions,
} from "./compiled.ts";

const SLOS_DIR = path.resolve(import.meta.dirname, "../../../../slos");

describe("compiled SLO definitions", () => {
  it("round-trips the fleet's validated definitions exactly", async () => {
    const { slos, issues } = await loadSloFiles([SLOS_DIR]);
    expect(issues).toEqual([]);
    const back = parseCompiledSloDefinitions(compileSloDefinitions(slos), "defs.json");
    expect(back).toEqual(slos);
    expect(back).toHaveLength(41);
  });

  it("names the file and the fix for non-JSON, another format, or a damaged entry", () => {
    expect(() => parseCompiledSloDefinitions("{", "defs.json")).toThrow(
      /defs\.json: not JSON .*rebuild/,
    );
    expect(() =>
      parseCompiledSloDefinitions('{"format":"slo-platform/definitions@0","slos":[]}', "d.json"),
    ).toThrow(CompiledDefinitionsError);
    expect(() =>
      parseCompiledSloDefinitions(
        '{"format":"slo-platform/definitions@1","slos":[{"name":"x"}]}',
        "d.json",
      ),
    ).toThrow(/slos\[0\] lacks service, indicator/);
  });
});
