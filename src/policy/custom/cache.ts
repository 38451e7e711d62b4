/**
 * The cache of compiled custom policies: bundles keyed by the digest of everything compiled (the staged sources,
 * ntp-policy's and OPA's versions, the entrypoint), in $XDG_CACHE_HOME/ntp-policy (default ~/.cache/ntp-policy).
 * A damaged entry is rebuilt; a cache that cannot be written only costs a rebuild next time.
 */
import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import path from "node:path";
import { gunzipSync } from "node:zlib";
import { TOOL_VERSION } from "../../model/tool.js";
import { sha256 } from "../digest.js";
import { MAX_BUNDLE_BYTES } from "./bundle.js";

/** Bumped when what is cached (or how it is checked) changes. */
const CACHE_FORMAT = "1";

export function cacheKey(staged: Map<string, Buffer>, opaVersion: string, entrypoint: string): string {
  const lines = [`ntp-policy custom policy cache ${CACHE_FORMAT}`, `ntp-policy ${TOOL_VERSION}`, `opa ${opaVersion}`, `entrypoint ${entrypoint}`];
  for (const rel of [...staged.keys()].sort()) lines.push(`${sha256(staged.get(rel)!)}  ${rel}`);
  return sha256(`${lines.join("\n")}\n`);
}

/** `$XDG_CACHE_HOME/ntp-policy`, else `~/.cache/ntp-policy`. */
export function cacheDirectory(env: NodeJS.ProcessEnv = process.env): string {
  const xdg = env["XDG_CACHE_HOME"];
  if (xdg && path.isAbsolute(xdg)) return path.join(xdg, "ntp-policy");
  const home = env["HOME"] || homedir() || tmpdir();
  return path.join(home, ".cache", "ntp-policy");
}

export function readCache(file: string): Buffer | null {
  try {
    const data = readFileSync(file);
    gunzipSync(data, { maxOutputLength: MAX_BUNDLE_BYTES }); // a truncated or damaged entry is rebuilt
    return data;
  } catch {
    return null;
  }
}

/** Best effort: a cache that cannot be written only costs a rebuild next time. Atomic (write, then rename). */
export function writeCache(file: string, data: Buffer): void {
  try {
    mkdirSync(path.dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
    writeFileSync(tmp, data);
    renameSync(tmp, file);
  } catch {
    // ignore
  }
}
