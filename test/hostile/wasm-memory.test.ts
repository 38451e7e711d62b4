/**
 * The policy's WebAssembly memory is reserved up front. OPA's allocator grows the memory one 64 KB page at a time
 * and V8 follows each growth of a large memory with a garbage collection of the JavaScript heap, so a host whose
 * policy run needs hundreds of MB (10,000 restrict lines) cost thousands of collections: quadratic time. The
 * scaling itself is measured in the bench (`npm run bench`, "restrict lines"); this test holds the cause away.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { buildPolicyInput } from "../../src/analyze/policy-input.js";
import { discoverHosts } from "../../src/discover/hosts.js";
import { defaultConfig } from "../../src/model/config.js";
import { parseHost } from "../../src/parse/host.js";
import { DEFAULT_WASM_PATH, ENTRYPOINT } from "../../src/policy/paths.js";
import { loadWasmPolicy, setWasmMemoryLimitMb } from "../../src/policy/wasm-instance.js";

interface LoadedPolicy {
  mem: { buffer: ArrayBuffer };
  evaluate(input: unknown, entrypoint: string): Array<{ result: unknown[] }>;
}

function restrictHost(lines: number): string {
  const root = mkdtempSync(path.join(tmpdir(), "ntp-policy-wasm-memory-"));
  const body = Array.from({ length: lines }, (_, i) => `restrict 10.${(i >> 8) & 255}.${i & 255}.0 mask 255.255.255.0 nomodify noquery`);
  writeFileSync(path.join(root, "ntp.conf"), `${body.join("\n")}\n`);
  return root;
}

describe("the policy's WebAssembly memory", () => {
  it("is the whole budget from the start: judging 2,000 restrict lines (tens of MB) never grows it", async () => {
    setWasmMemoryLimitMb(256);
    const policy = (await loadWasmPolicy(readFileSync(DEFAULT_WASM_PATH))) as LoadedPolicy;
    const reserved = policy.mem.buffer.byteLength;
    expect(reserved).toBe(256 * 1024 * 1024);

    const input = buildPolicyInput(parseHost(discoverHosts([restrictHost(2_000)])[0]!), defaultConfig());
    const [{ result }] = policy.evaluate(input, ENTRYPOINT) as [{ result: Array<{ rule: string; message?: string }> }];
    // Every entry lacks notrap: one NTP006 each, so the run really built thousands of violations.
    expect(result.filter((v) => v.rule === "NTP006" && typeof v.message === "string")).toHaveLength(2_000);
    expect(policy.mem.buffer.byteLength).toBe(reserved);
  }, 60_000);
});
