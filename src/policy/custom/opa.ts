/**
 * Finding and running the OPA that compiles `--policy` directories: named by the OPA environment variable or
 * found on PATH (absolute entries only), run in an environment that cannot change its output.
 */
import { spawnSync } from "node:child_process";
import { accessSync, constants, statSync } from "node:fs";
import path from "node:path";
import { opaEnvironment, opaVersionFrom } from "../opa-process.js";
import { CustomPolicyError } from "./error.js";

/**
 * The OPA to run: the OPA environment variable (a path, or a command name looked up on PATH), else `opa` on
 * PATH. Only absolute PATH entries are searched, so a checked directory can never supply the compiler.
 * Null when there is none.
 */
export function findOpa(env: NodeJS.ProcessEnv = process.env): string | null {
  const named = env["OPA"];
  if (named !== undefined && named !== "") {
    if (named.includes("/")) {
      const abs = path.resolve(named);
      if (!isExecutable(abs)) throw new CustomPolicyError(`OPA=${named} is not an executable file`);
      return abs;
    }
    const found = searchPath(named, env);
    if (!found) throw new CustomPolicyError(`OPA=${named}: no such command on PATH`);
    return found;
  }
  return searchPath("opa", env);
}

function searchPath(command: string, env: NodeJS.ProcessEnv): string | null {
  for (const dir of (env["PATH"] ?? "").split(path.delimiter)) {
    if (!path.isAbsolute(dir)) continue;
    const candidate = path.join(dir, command);
    if (isExecutable(candidate)) return candidate;
  }
  return null;
}

function isExecutable(file: string): boolean {
  try {
    if (!statSync(file).isFile()) return false;
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

export function runOpa(opa: string, args: string[], cwd: string, env: NodeJS.ProcessEnv, label: string, rewrite: (s: string) => string = (s) => s): string {
  const r = spawnSync(opa, args, { cwd, env: opaEnvironment(env), encoding: "utf8", maxBuffer: 64 * 1024 * 1024, timeout: 10 * 60 * 1000 });
  if (r.error) throw new CustomPolicyError(`${label}: cannot run ${opa}: ${r.error.message}`);
  if (r.status !== 0) {
    const detail = rewrite(`${r.stderr ?? ""}${r.stdout && label !== "opa inspect" ? r.stdout : ""}`)
      .split("\n")
      .map((l) => l.trimEnd())
      .filter((l) => l !== "")
      .slice(0, 20)
      .join("\n");
    throw new CustomPolicyError(`${label} rejected the custom policy (exit ${r.status ?? "signal"}): ${detail.replace(/^error: /, "")}`);
  }
  return r.stdout;
}

export function opaVersion(opa: string, env: NodeJS.ProcessEnv): string {
  const out = runOpa(opa, ["version"], process.cwd(), env, "opa version");
  const version = opaVersionFrom(out);
  if (version === null) throw new CustomPolicyError(`${opa} version printed no version; is it OPA?`);
  const major = Number(/^v?(\d+)/.exec(version)?.[1] ?? "0");
  if (major < 1) throw new CustomPolicyError(`OPA ${version} is too old: custom policies are Rego v1 and need OPA 1.0 or later`);
  return version;
}
