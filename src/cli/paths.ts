/** Paths the command line works out from what was checked (the report layer reads no file system). */
import { statSync } from "node:fs";
import path from "node:path";

/**
 * RenderOptions.pathPrefix for a `check` of these paths: the report's paths are relative to the checked
 * directory, and GitHub resolves sarif and github paths against the repository root (the working
 * directory in CI). Known only when one directory inside the working directory is checked (files given one
 * by one already have paths relative to the working directory); "" otherwise.
 */
export function repositoryPrefix(paths: readonly string[], cwd: string = process.cwd()): string {
  if (paths.length !== 1 || !statSync(path.resolve(cwd, paths[0]!), { throwIfNoEntry: false })?.isDirectory()) return "";
  const relative = path.relative(cwd, path.resolve(cwd, paths[0]!));
  if (relative.startsWith("..") || path.isAbsolute(relative)) return "";
  return relative.split(path.sep).join("/");
}

