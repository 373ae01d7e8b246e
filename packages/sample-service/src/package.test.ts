import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const DIR = path.resolve(import.meta.dirname, "..");
const manifest = (file: string) =>
  JSON.parse(readFileSync(file, "utf8")) as {
    version: string;
    dependencies?: Record<string, string>;
  };

// The Dockerfile installs from package.json alone (its build context is this folder, so
// the workspace lockfile is out of reach): that is reproducible only while every runtime
// dependency is an exact version with no dependencies of its own.
describe("sample service image dependencies", () => {
  const deps = manifest(path.join(DIR, "package.json")).dependencies ?? {};

  it("are exact registry versions, not workspace or range specifiers", () => {
    expect(Object.keys(deps).sort()).toEqual(["@hono/node-server", "aws4fetch", "hono"]);
    for (const version of Object.values(deps)) expect(version).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it("are the installed versions and bring no dependencies of their own", () => {
    for (const [name, version] of Object.entries(deps)) {
      // pnpm links each dependency into this package's node_modules, as npm install does.
      const installed = manifest(path.join(DIR, "node_modules", name, "package.json"));
      expect(installed.version).toBe(version);
      expect(installed.dependencies ?? {}).toEqual({});
    }
  });
});
