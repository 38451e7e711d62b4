/**
 * Compiling the built-in policy to WebAssembly and checking the module: built twice (the two builds must be
 * byte-identical), taken out of OPA's bundle, required to need no host builtins and to judge a host without
 * ntp.conf as having no violations.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { gunzipSync } from "node:zlib";
import { loadPolicy } from "@open-policy-agent/opa-wasm";
import { sha256 } from "../digest.js";
import { ENTRYPOINT } from "../paths.js";
import { readTar } from "../tar.js";
import { hostBuiltins, type WasmInternals } from "../wasm-builtins.js";
import { buildArgs } from "./layout.js";
import { fail, run, type Tools } from "./tools.js";

/** One `opa build -t wasm`: the policy.wasm of the bundle it writes. */
export function buildOnce(tools: Tools, opa: string, label: string): Buffer {
  const dir = mkdtempSync(path.join(tmpdir(), "ntp-policy-build-"));
  try {
    const bundle = path.join(dir, "bundle.tar.gz");
    run(tools, opa, buildArgs(bundle), label);
    return readTar(gunzipSync(readFileSync(bundle))).get("policy.wasm") ?? fail("policy.wasm is not in the bundle OPA built");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Two builds, compared byte for byte. */
export function reproducibleBuild(tools: Tools, opa: string): Buffer {
  const first = buildOnce(tools, opa, "opa build -t wasm (1/2)");
  const second = buildOnce(tools, opa, "opa build -t wasm (2/2)");
  if (!first.equals(second)) fail(`opa build is not reproducible: two builds gave ${sha256(first)} and ${sha256(second)}`);
  tools.log(`reproducible: both builds are ${sha256(first)} (${first.length} bytes)`);
  return first;
}

/** Fails unless the module needs no host builtins and a smoke evaluation is empty; returns its host builtins ({}). */
export async function checkWasm(tools: Tools, wasm: Buffer): Promise<Record<string, number>> {
  const policy = (await loadPolicy(wasm)) as Awaited<ReturnType<typeof loadPolicy>> & WasmInternals;
  const builtins = hostBuiltins(policy);
  if (Object.keys(builtins).length > 0) {
    fail(`policy.wasm needs host builtins (not native in wasm): ${Object.keys(builtins).sort().join(", ")}`);
  }
  if (!(ENTRYPOINT in policy.entrypoints)) fail(`policy.wasm has no entrypoint ${ENTRYPOINT}`);
  const smoke = policy.evaluate(
    { schema_version: "1.0", host: "smoke", settings: { trusted_networks: [], min_upstreams: 3 }, files: [], diagnostics: [], ntp: null },
    ENTRYPOINT,
  ) as unknown;
  const empty = Array.isArray(smoke) && smoke.length === 1 && Array.isArray(smoke[0]?.result) && smoke[0].result.length === 0;
  if (!empty) fail(`policy.wasm smoke evaluation returned ${JSON.stringify(smoke)}`);
  tools.log("policy.wasm: no host builtins, smoke evaluation ok");
  return builtins;
}
