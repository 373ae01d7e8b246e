import { expect } from "vitest";
import type { ContractReport } from "./contract.ts";

/**
 * The contract's verdict on one role, as both suites assert it: the real code made
 * calls, none was denied or named an unknown action, and every grant was used and needed.
 * Each list is asserted with the role beside it, so a failure names the role.
 */
export function expectClean(report: ContractReport): void {
  expect(report.calls).toBeGreaterThan(0);
  expect({ role: report.role, denied: report.denied }).toEqual({ role: report.role, denied: [] });
  expect({ role: report.role, invalid: report.invalid }).toEqual({
    role: report.role,
    invalid: [],
  });
  expect({ role: report.role, unused: report.unusedGrants }).toEqual({
    role: report.role,
    unused: [],
  });
  expect({ role: report.role, unnecessary: report.unnecessary }).toEqual({
    role: report.role,
    unnecessary: [],
  });
}
