/** src/policy/engine.ts: loading, the wasm contract, and failing closed on anything unexpected. */
import { profiled } from "./profiled-engine.js";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { loadPolicy } from "@open-policy-agent/opa-wasm";
import { describe, expect, it } from "vitest";
import type { PolicyInput } from "../../src/model/input.js";
import {
  createPolicyEngine,
  DEFAULT_WASM_PATH,
  ENTRYPOINT,
  loadPolicyEngine,
  policyDigest,
  PolicyError,
  sortViolations,
  toError,
  validateResult,
  type WasmPolicy,
} from "../../src/policy/engine.js";
import { PACKAGE_ROOT } from "../../src/policy/paths.js";
import { at, host } from "../fixtures/policy/hosts.js";

const good = {
  rule: "NTP001",
  severity: "high",
  message: "m",
  location: { file: "etc/ntp.conf", line: 3, column: 1 },
  evidence: [{ location: { file: "etc/ntp.conf", line: 3, column: 1 }, text: "restrict default" }],
  remediation: "r",
};

function fake(evaluate: WasmPolicy["evaluate"], entrypoints: Record<string, number> = { [ENTRYPOINT]: 0 }): WasmPolicy {
  return { evaluate, entrypoints };
}

function engineReturning(result: unknown) {
  return createPolicyEngine(fake(() => result), "digest");
}

describe("loadPolicyEngine", () => {
  it("loads the committed build from the package root and reports its sha256", async () => {
    expect(DEFAULT_WASM_PATH).toBe(path.join(PACKAGE_ROOT, "policies", "build", "policy.wasm"));
    const engine = profiled(await loadPolicyEngine());
    expect(engine.digest).toMatch(/^[0-9a-f]{64}$/);
    expect(engine.digest).toBe(policyDigest());
    expect(engine.evaluate(host())).toEqual([]);
  });

  it("resolves the same default path from dist/ after tsc", async () => {
    const dist = path.join(PACKAGE_ROOT, "dist", "policy", "engine.js");
    if (!existsSync(dist)) return; // dist/ is built by the suite's global setup; skip when run without it
    const mod = (await import(pathToFileURL(dist).href)) as typeof import("../../src/policy/engine.js");
    expect(mod.DEFAULT_WASM_PATH).toBe(DEFAULT_WASM_PATH);
  });

  it("says which file it could not read", async () => {
    await expect(loadPolicyEngine("/nonexistent/policy.wasm")).rejects.toThrow(/cannot read the policy \/nonexistent/);
  });

  it("rejects a file that is not a wasm module with a PolicyError", async () => {
    const notWasm = path.join(PACKAGE_ROOT, "policies", "build", "catalog.json");
    await expect(loadPolicyEngine(notWasm)).rejects.toBeInstanceOf(PolicyError);
  });

  it("the module needs no host builtins (everything it calls is native in wasm)", async () => {
    const policy = await loadPolicy(readFileSync(DEFAULT_WASM_PATH));
    const exports = policy.wasmInstance.exports as { builtins(): number; opa_json_dump(addr: number): number };
    const addr = exports.opa_json_dump(exports.builtins());
    const mem = new Uint8Array((policy.mem as { buffer: ArrayBuffer }).buffer);
    let end = addr;
    while (mem[end] !== 0) end++;
    expect(JSON.parse(Buffer.from(mem.subarray(addr, end)).toString("utf8"))).toEqual({});
    expect(Object.keys(policy.entrypoints as object)).toEqual([ENTRYPOINT]);
  });
});

describe("input guards (the SDK's falsy/string/Buffer traps)", () => {
  it.each([
    ["null", null],
    ["a string", JSON.stringify(host())],
    ["a Buffer", Buffer.from(JSON.stringify(host()))],
    ["an ArrayBuffer", new ArrayBuffer(8)],
    ["an array", []],
    ["a number", 0],
  ])("rejects %s", async (_what, input) => {
    const engine = profiled(await loadPolicyEngine());
    expect(() => engine.evaluate(input as unknown as PolicyInput)).toThrow(/the policy input must be an object/);
  });

  it("a host without ntp.conf and nothing else gives no violations (ntp: null is not 'no input')", async () => {
    const engine = profiled(await loadPolicyEngine());
    expect(engine.evaluate(host({ ntp: null, files: [] }))).toEqual([]);
  });
});

describe("errors are normalised", () => {
  it("turns thrown strings and plain objects into PolicyError", () => {
    const throwing = (value: unknown) =>
      createPolicyEngine(
        fake(() => {
          throw value;
        }),
        "d",
      );
    expect(() => throwing("policy.rego:4:1: var assignment conflict").evaluate(host())).toThrow(
      new PolicyError("policy evaluation failed: opa-wasm: policy.rego:4:1: var assignment conflict"),
    );
    expect(() => throwing({ message: "not implemented: built-in function 8: sprintf" }).evaluate(host())).toThrow(
      /policy evaluation failed: opa-wasm: not implemented: built-in function 8: sprintf/,
    );
    expect(() => throwing(new RangeError("Maximum memory size exceeded")).evaluate(host())).toThrow(PolicyError);
  });

  it("toError keeps Errors and describes anything else", () => {
    const e = new Error("x");
    expect(toError(e)).toBe(e);
    expect(toError(42).message).toBe("opa-wasm: 42");
    expect(toError(undefined).message).toBe("opa-wasm: undefined");
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(toError(cyclic).message).toBe("opa-wasm: [object Object]");
  });

  it("refuses a module without the entrypoint", () => {
    expect(() => createPolicyEngine(fake(() => [], { "other/entry": 0 }), "d")).toThrow(
      /no entrypoint ntp_policy\/main\/violations \(found: other\/entry\)/,
    );
  });
});

describe("malformed output is rejected, never dropped", () => {
  it("accepts a well-formed result and copies only the contract fields", () => {
    const [v] = engineReturning([{ result: [{ ...good, extra: 1 }] }]).evaluate(host());
    expect(v).toEqual(good);
  });

  it.each([
    ["an undefined decision", [], /left ntp_policy\/main\/violations undefined/],
    ["not a result set", { result: [] }, /instead of a result set/],
    ["two results", [{ result: [] }, { result: [] }], /returned 2 results/],
    ["a result that is not a list", [{ result: {} }], /expected \{result: \[\.\.\.\]\}/],
  ])("rejects %s", (_what, raw, message) => {
    expect(() => engineReturning(raw).evaluate(host())).toThrow(message);
  });

  it.each([
    ["a string", "NTP001", /not an object/],
    ["a bad rule id", { ...good, rule: "ntp-1" }, /rule id "ntp-1" is not like NTP001/],
    ["a null rule id (METADATA without custom.id)", { ...good, rule: null }, /rule id null/],
    ["an unknown severity", { ...good, severity: "severe" }, /severity "severe"/],
    ["no message", { ...good, message: "" }, /message is missing/],
    ["no remediation", { ...good, remediation: null }, /remediation is missing/],
    ["no location", { ...good, location: null }, /location is null/],
    ["line 0", { ...good, location: { file: "f", line: 0, column: 1 } }, /line number 0 is not a positive integer/],
    ["a fractional column", { ...good, location: { file: "f", line: 1, column: 1.5 } }, /column number 1.5/],
    ["an empty file", { ...good, location: { file: "", line: 1, column: 1 } }, /has no file/],
    ["evidence that is not a list", { ...good, evidence: {} }, /evidence is not a list/],
    ["evidence without text", { ...good, evidence: [{ location: good.location }] }, /evidence #1 text/],
    ["evidence with a bad location", { ...good, evidence: [{ location: {}, text: "" }] }, /evidence #1 location has no file/],
  ])("rejects a violation with %s", (_what, violation, message) => {
    const run = () => engineReturning([{ result: [good, violation] }]).evaluate(host());
    expect(run).toThrow(PolicyError);
    expect(run).toThrow(/malformed violation \(#2\)/);
    expect(run).toThrow(message);
  });

  it("separates passed-evidence entries from violations, sorted and deduplicated", () => {
    const line = (n: number): { rule: string; passed_evidence: { location: object; text: string } } => ({
      rule: "NTP011",
      passed_evidence: { location: { file: "etc/ntp.conf", line: n, column: 1 }, text: `line ${n}` },
    });
    const result = engineReturning([{ result: [line(9), good, line(2), line(9)] }]).judge(host());
    expect(result.violations).toEqual([good]);
    expect(result.passed).toEqual([
      { rule: "NTP011", location: { file: "etc/ntp.conf", line: 2, column: 1 }, text: "line 2" },
      { rule: "NTP011", location: { file: "etc/ntp.conf", line: 9, column: 1 }, text: "line 9" },
    ]);
  });

  it.each([
    ["a bad rule id", { rule: null, passed_evidence: { location: good.location, text: "x" } }, /rule id null/],
    ["no object", { rule: "NTP011", passed_evidence: "disable monitor" }, /passed_evidence is not an object/],
    ["a location without file", { rule: "NTP011", passed_evidence: { location: { file: null, line: 1, column: 1 }, text: "x" } }, /location has no file/],
    ["no text", { rule: "NTP011", passed_evidence: { location: good.location } }, /text is not a string/],
  ])("rejects a passed-evidence entry with %s", (_what, entry, message) => {
    const run = () => engineReturning([{ result: [good, entry] }]).judge(host());
    expect(run).toThrow(/malformed passed-evidence entry \(#2\)/);
    expect(run).toThrow(message);
  });

  it("validateResult is usable on its own", () => {
    expect(validateResult([{ result: [] }])).toEqual([]);
  });
});

describe("ordering", () => {
  it("sorts by rule, file, line, column, message, then the rest", () => {
    const v = (rule: string, line: number, column: number, message: string, text = "") => ({
      ...good,
      rule,
      message,
      location: at(line, column),
      evidence: [{ location: at(line, column), text }],
    });
    const input = [
      v("PARSE001", 1, 1, "a"),
      v("NTP002", 9, 1, "a"),
      v("NTP001", 3, 5, "b"),
      v("NTP001", 3, 5, "a", "y"),
      v("NTP001", 3, 5, "a", "x"),
      v("NTP001", 3, 1, "z"),
      { ...v("NTP001", 1, 1, "a"), location: at(1, 1, "a.conf") },
    ];
    const sorted = sortViolations(input as never);
    expect(sorted.map((s) => `${s.rule} ${s.location.file}:${s.location.line}:${s.location.column} ${s.message} ${s.evidence[0]!.text}`)).toEqual([
      "NTP001 a.conf:1:1 a ",
      "NTP001 etc/ntp.conf:3:1 z ",
      "NTP001 etc/ntp.conf:3:5 a x",
      "NTP001 etc/ntp.conf:3:5 a y",
      "NTP001 etc/ntp.conf:3:5 b ",
      "NTP002 etc/ntp.conf:9:1 a ",
      "PARSE001 etc/ntp.conf:1:1 a ",
    ]);
  });
});
