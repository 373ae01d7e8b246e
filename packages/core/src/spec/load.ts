import { readdir, readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { fileSystemProblem } from "../errors.ts";
import type { LoadResult, ParsedFile } from "./documents.ts";
import { parseSloDocuments } from "./parse.ts";
import type { ResolveOptions } from "./resolve.ts";
import { resolveSloDocuments } from "./resolve.ts";

/**
 * Loads OpenSLO files and directories (recursively, `*.yaml` / `*.yml`, sorted so
 * results are stable), then validates and resolves them together. The only file I/O
 * in `@slo/core`. Unreadable paths become issues, not exceptions, so one bad path
 * does not hide the problems in the others.
 *
 * @example
 * const result = await loadSloFiles(["slos"]);
 * if (result.issues.length > 0) console.error(formatSpecIssues(result.issues));
 */
export async function loadSloFiles(
  paths: readonly string[],
  options: ResolveOptions = {},
): Promise<LoadResult> {
  const parsed: ParsedFile[] = [];
  for (const path of paths) {
    let files: string[];
    try {
      files = await expand(path);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      const message =
        code === "ENOENT"
          ? "no such file or directory"
          : `cannot read (${code ?? (error as Error).message})`;
      parsed.push(unreadable(path, message, "pass an existing .yaml file or a directory of them"));
      continue;
    }
    if (files.length === 0) {
      parsed.push({
        file: path,
        documents: [],
        issues: [],
        warnings: [
          {
            file: path,
            line: 0,
            path: "",
            message: "no .yaml or .yml files found",
            hint: "point at the directory holding your OpenSLO files",
          },
        ],
      });
    }
    for (const file of files) parsed.push(await readOne(file));
  }
  return resolveSloDocuments(parsed, options);
}

/**
 * Largest definition file read: a fleet's SLOs are kilobytes, so a file this big is a
 * mistake (a log, a dump) and is refused before it is read into memory.
 */
export const MAX_DEFINITION_FILE_BYTES = 16 * 2 ** 20;

function unreadable(file: string, message: string, hint: string): ParsedFile {
  return {
    file,
    documents: [],
    issues: [{ file, line: 0, path: "", message, hint }],
    warnings: [],
  };
}

/** One file, parsed; an unreadable one (a dangling link, a loop, no permission) is an issue. */
async function readOne(file: string): Promise<ParsedFile> {
  try {
    const info = await stat(file);
    if (info.size > MAX_DEFINITION_FILE_BYTES) {
      return unreadable(
        file,
        `file is ${(info.size / 2 ** 20).toFixed(0)} MiB, over the ${MAX_DEFINITION_FILE_BYTES / 2 ** 20} MiB a definitions file may hold`,
        "split it, or check that it is an OpenSLO file",
      );
    }
    return parseSloDocuments(await readFile(file, "utf8"), file);
  } catch (error) {
    return unreadable(
      file,
      `cannot read: ${fileSystemProblem(error) ?? (error as Error).message}`,
      "fix or remove the file (or the symlink)",
    );
  }
}

async function expand(path: string): Promise<string[]> {
  const info = await stat(path);
  if (!info.isDirectory()) return [path];
  const entries = await readdir(path, { withFileTypes: true });
  const out: string[] = [];
  for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    const full = join(path, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== "node_modules" && !entry.name.startsWith(".")) {
        // An unreadable sub-folder is reported on its own (readOne names the problem);
        // it must not hide the files next to it.
        out.push(...(await expand(full).catch(() => [full])));
      }
    } else if (/\.ya?ml$/.test(entry.name)) {
      out.push(full);
    }
  }
  return out;
}
