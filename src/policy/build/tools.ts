/**
 * The pinned Go tools the build runs: OPA and Regal (tools/opa/go.mod, tools/regal/go.mod). `go tool -n` builds
 * each once and prints the cached binary, which then runs from the repository root in an environment that
 * cannot change its output.
 */
import { spawnSync } from "node:child_process";
import { opaEnvironment, opaVersionFrom } from "../opa-process.js";

export class BuildError extends Error {
  override name = "BuildError";
}

export function fail(message: string): never {
  throw new BuildError(message);
}

export type Log = (message: string) => void;

export interface Tools {
  root: string;
  log: Log;
}

/** The binary of the pinned tool, or null (with a warning) when it is optional and cannot be built. */
export function goTool({ root, log }: Tools, name: string, { required }: { required: boolean }): string | null {
  const started = Date.now();
  const r = spawnSync("go", ["-C", `tools/${name}`, "tool", "-n", name], { cwd: root, encoding: "utf8" });
  if (r.error || r.status !== 0) {
    const why = r.error ? r.error.message : r.stderr.trim();
    if (required) fail(`cannot build ${name} with Go (tools/${name}/go.mod): ${why}`);
    log(`WARNING: ${name} is not available (${why}); skipping it`);
    return null;
  }
  const bin = r.stdout.trim();
  log(`${name}: ${bin} (${Date.now() - started} ms to resolve/build)`);
  return bin;
}

/** Run a tool from the repository root; its output is shown, or returned with `capture`. Fails on a non-zero exit. */
export function run(tools: Tools, bin: string, args: string[], label: string, options: { capture: true }): Buffer;
export function run(tools: Tools, bin: string, args: string[], label: string, options?: { capture?: false }): null;
export function run({ root, log }: Tools, bin: string, args: string[], label: string, { capture = false }: { capture?: boolean } = {}): Buffer | null {
  const started = Date.now();
  const r = spawnSync(bin, args, {
    cwd: root,
    env: opaEnvironment(process.env),
    stdio: capture ? ["ignore", "pipe", "pipe"] : "inherit",
    maxBuffer: 64 * 1024 * 1024,
  });
  if (r.error) fail(`${label}: ${r.error.message}`);
  if (r.status !== 0) {
    const detail = capture ? `\n${r.stderr.toString()}${r.stdout.toString()}`.trimEnd() : "";
    fail(`${label} failed (exit ${r.status})${detail}`);
  }
  log(`${label}: ok (${Date.now() - started} ms)`);
  return capture ? r.stdout : null;
}

export function opaVersion(tools: Tools, opa: string): string {
  const out = run(tools, opa, ["version"], "opa version", { capture: true }).toString();
  return opaVersionFrom(out) ?? fail(`cannot read the OPA version from:\n${out}`);
}
