import { readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { errorKind, FileAccessError, fileSystemProblem, SloPlatformError } from "./errors.ts";
import { SizeLimitError } from "./limits.ts";
import { MetricsFileError } from "./metrics/file-format.ts";
import { TimeFormatError } from "./time/instant.ts";

const ROOT = resolve(import.meta.dirname, "../../..");

describe("the error model", () => {
  it("carries kind, name and cause", () => {
    const cause = new Error("low-level");
    const e = new SloPlatformError("high-level", "aws", { cause });
    expect([e.kind, e.name, e.cause]).toEqual(["aws", "SloPlatformError", cause]);
    expect(new MetricsFileError("m.csv", 3, "bad")).toMatchObject({
      kind: "input",
      name: "MetricsFileError",
      message: "m.csv:3: bad",
    });
    expect(new TimeFormatError("2026", "no").kind).toBe("input");
    expect(new SizeLimitError("x", 2, 1).kind).toBe("input");
  });

  it("calls anything that is not a SloPlatformError internal (a bug)", () => {
    expect(errorKind(new TypeError("x"))).toBe("internal");
    expect(errorKind("a string")).toBe("internal");
    expect(errorKind(undefined)).toBe("internal");
    expect(errorKind(new SloPlatformError("m", "usage"))).toBe("usage");
  });

  it("words file-system errors in one line naming the path", () => {
    const eisdir = Object.assign(new Error("EISDIR: illegal operation"), { code: "EISDIR" });
    expect(fileSystemProblem(eisdir)).toBe("is a directory, not a file (EISDIR)");
    expect(fileSystemProblem(new Error("plain"))).toBeUndefined();
    const e = new FileAccessError("out/report.html", eisdir, "choose another path");
    expect(e.message).toBe(
      "out/report.html: is a directory, not a file (EISDIR); choose another path",
    );
    expect([e.kind, e.cause]).toEqual(["input", eisdir]);
  });

  it("no class in the packages, infra or scripts extends Error directly", () => {
    // The sample service is a standalone container with no dependencies by design.
    const offenders: string[] = [];
    const walk = (dir: string): void => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const full = join(dir, entry.name);
        if (entry.isDirectory()) {
          if (!["node_modules", ".sst", "sample-service"].includes(entry.name)) walk(full);
        } else if (entry.name.endsWith(".ts") && !entry.name.endsWith(".test.ts")) {
          const text = readFileSync(full, "utf8");
          for (const m of text.matchAll(/class (\w+) extends Error\b/g)) {
            if (m[1] !== "SloPlatformError")
              offenders.push(`${full.slice(ROOT.length + 1)}: ${m[1]}`);
          }
        }
      }
    };
    for (const dir of ["packages", "infra", "stacks", "scripts", "bench"]) walk(join(ROOT, dir));
    expect(offenders).toEqual([]);
  });
});
