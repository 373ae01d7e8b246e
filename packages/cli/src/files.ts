import { randomBytes } from "node:crypto";
import { mkdir, rename, rm, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import { FileAccessError, fileSystemProblem } from "@slo/core/errors";

/**
 * Writes a file so readers never see it half-written: a temp file in the same
 * directory (same filesystem), then a rename over the target.
 *
 * @throws FileAccessError naming `path` when the file system says no (a directory in
 *   the way, no permission, a symlink loop).
 * @example
 * await writeFileAtomic("report.html", html);
 */
export async function writeFileAtomic(path: string, text: string): Promise<void> {
  const temp = `${path}.${randomBytes(6).toString("hex")}.tmp`;
  try {
    await mkdir(dirname(path), { recursive: true });
    await writeFile(temp, text, { flag: "wx" });
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true }).catch(() => undefined);
    if (fileSystemProblem(error) === undefined) throw error;
    throw new FileAccessError(path, error, "choose another output path");
  }
}
