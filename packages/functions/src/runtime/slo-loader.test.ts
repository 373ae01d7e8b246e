import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { compileSloDefinitions } from "@slo/core/definitions";
import { loadSloFiles } from "@slo/core/spec";
import { describe, expect, it } from "vitest";
import { REPO_ROOT } from "../test-helpers.ts";
import { compiledSloLoader } from "./slo-loader.ts";

describe("compiledSloLoader", () => {
  it("loads once per container, but retries after a failed read", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "slo-loader-"));
    const load = compiledSloLoader("slo-definitions.json", dir);
    await expect(load()).rejects.toThrow(/ENOENT/);
    const { slos } = await loadSloFiles([path.join(REPO_ROOT, "slos")]);
    await writeFile(path.join(dir, "slo-definitions.json"), compileSloDefinitions(slos));
    const first = await load();
    expect(first.slos).toHaveLength(41);
    // Cached: the same result object, even once the file is gone or changed.
    await writeFile(path.join(dir, "slo-definitions.json"), "not json");
    expect(await load()).toBe(first);
  });
});
