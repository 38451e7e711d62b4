/**
 * A custom policy whose WebAssembly start function never returns: loading it runs the start function, and opa-wasm
 * loads on the thread that calls it. The module is the real OPA-built test bundle (test/fixtures/hostile, built by
 * `ntp-policy bundle`) with a start function `loop br 0 end` added (wasm-start.ts), so everything else — imports,
 * exports, OPA's ABI — is as OPA wrote it. `check` must end with one clear error line and exit 2, within the budget.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { readBundle } from "../../src/policy/custom/bundle.js";
import { cli } from "../e2e/cli.js";
import { withLoopingStart } from "./wasm-start.js";

const BUNDLE = "test/fixtures/hostile/hostile-policies.tar.gz";

/** Node's WebAssembly global, typed for what this test uses (the project's TypeScript lib has no DOM types). */
interface Descriptor {
  name: string;
  kind: string;
}
const wasm = (
  globalThis as unknown as {
    WebAssembly: {
      validate(bytes: Uint8Array): boolean;
      compile(bytes: Uint8Array): Promise<object>;
      Module: { exports(m: object): Descriptor[]; imports(m: object): Descriptor[] };
    };
  }
).WebAssembly;

function loopingModule(): { original: Uint8Array; looping: string } {
  const original = readBundle(readFileSync(BUNDLE), BUNDLE).wasm;
  const looping = path.join(mkdtempSync(path.join(tmpdir(), "ntp-policy-start-")), "looping.wasm");
  writeFileSync(looping, withLoopingStart(original));
  return { original, looping };
}

describe("a custom policy whose start function never returns", () => {
  it("is a valid module with OPA's interface and a start function (the patch keeps the rest as OPA wrote it)", async () => {
    const { original, looping } = loopingModule();
    const patched = readFileSync(looping);
    expect(wasm.validate(patched)).toBe(true);
    const before = await wasm.compile(original);
    const after = await wasm.compile(patched);
    expect(wasm.Module.exports(after)).toEqual(wasm.Module.exports(before));
    expect(wasm.Module.imports(after)).toEqual(wasm.Module.imports(before));
    expect(wasm.Module.exports(after).map((e) => e.name)).toEqual(expect.arrayContaining(["opa_eval_ctx_new", "entrypoints", "opa_heap_ptr_get"]));
  });

  it("check stops loading it after --host-timeout: one clear error line, exit 2, no hang", () => {
    const { looping } = loopingModule();
    const started = Date.now();
    const r = cli(["check", "examples/host-dump", "--bundle", looping, "--host-timeout", "2"]);
    const took = Date.now() - started;
    expect(r.code, r.stderr).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toBe(
      `ntp-policy: error: --bundle ${looping}: cannot load the policy: loading its WebAssembly module took longer than 2 s (--host-timeout): a start function or an OPA export that does not return\n`,
    );
    // Generous against a loaded machine; without the probe the command never ends (spawnSync would wait for ever).
    expect(took).toBeLessThan(30_000);
  }, 60_000);

  it("the unpatched module still loads and runs through the same probe", () => {
    const r = cli(["check", "examples/host-dump/ntp-hardened", "--bundle", BUNDLE, "--format", "json"]);
    expect(r.stderr).toBe("");
    expect([0, 1]).toContain(r.code);
  }, 60_000);
});
