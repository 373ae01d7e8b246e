import path from "node:path";
import { embeddedFleetSlos } from "@slo/core/embedded";
import { loadSloFiles } from "@slo/core/spec";
import { describe, expect, it } from "vitest";

const SLOS_DIR = path.resolve(import.meta.dirname, "../../../slos");

// The embedded fleet carries an in-code copy of slos/ so core tests and the metrics export
// need no YAML; this keeps the copy from drifting away from the committed definitions.
describe("embedded fleet SLOs", () => {
  it("match the committed slos/ definitions", async () => {
    const loaded = await loadSloFiles([SLOS_DIR]);
    expect(loaded.issues).toEqual([]);
    const pick = (s: (typeof loaded.slos)[number]) => ({
      name: s.name,
      service: s.service,
      indicator: s.indicator,
      budgetingMethod: s.budgetingMethod,
      timeWindow: s.timeWindow,
      objectives: s.objectives.map((o) => ({ target: o.target, op: o.op, value: o.value })),
    });
    const fromFiles = loaded.slos.map(pick).sort((a, b) => a.name.localeCompare(b.name));
    const inCode = embeddedFleetSlos()
      .map(pick)
      .sort((a, b) => a.name.localeCompare(b.name));
    expect(fromFiles).toHaveLength(40);
    expect(inCode).toEqual(fromFiles);
  });
});
