/**
 * src/policy/custom.ts without OPA: bundles (tar.gz and bare wasm), the rule metadata checks, finding the
 * compiler, the cache location, and the custom engine beside the built-in one. The compile path through a real
 * OPA is tested end to end in test/e2e/custom-policy.test.ts.
 */
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { inputsFor } from "../../src/check/index.js";
import { defaultConfig } from "../../src/model/config.js";
import type { PolicyInput } from "../../src/model/input.js";
import { loadCatalog } from "../../src/policy/catalog.js";
import {
  cacheDirectory,
  combineEngines,
  compileCustomPolicies,
  CUSTOM_ENTRYPOINT,
  customCatalogFromInspect,
  customEngine,
  CustomPolicyError,
  findOpa,
  loadCustomPolicies,
  readBundle,
  readTar,
} from "../../src/policy/custom.js";
import { DEFAULT_WASM_PATH, loadPolicyEngine } from "../../src/policy/engine.js";

const ROOT = path.resolve(import.meta.dirname, "../..");
const FIXTURE = path.join(ROOT, "test/fixtures/custom-policy");
const BUNDLE = path.join(FIXTURE, "org-policy.tar.gz");
const BUILTIN_IDS = new Set(loadCatalog().map((r) => r.id));

function tmp(): string {
  return mkdtempSync(path.join(tmpdir(), "ntp-policy-custom-"));
}

/** A tar archive from entries (ustar headers; `type` x/L for pax and GNU long names). */
function tar(entries: Array<{ name: string; body: Buffer | string; type?: string; prefix?: string }>): Buffer {
  const blocks: Buffer[] = [];
  for (const e of entries) {
    const body = Buffer.from(e.body);
    const h = Buffer.alloc(512);
    h.write(e.name.slice(0, 100), 0, "utf8");
    h.write("0000644\0", 100);
    h.write(`${body.length.toString(8).padStart(11, "0")}\0`, 124);
    h.write("00000000000\0", 136);
    h.write(e.type ?? "0", 156);
    h.write("ustar\0", 257);
    h.write("00", 263);
    if (e.prefix) h.write(e.prefix, 345);
    h.write("        ", 148);
    let sum = 0;
    for (const b of h) sum += b;
    h.write(`${sum.toString(8).padStart(6, "0")}\0 `, 148);
    blocks.push(h, body, Buffer.alloc((512 - (body.length % 512)) % 512));
  }
  blocks.push(Buffer.alloc(1024));
  return Buffer.concat(blocks);
}

function inputOf(host: string): PolicyInput {
  return inputsFor([path.join(FIXTURE, "hosts", host)], defaultConfig())[0]!;
}

describe("reading bundles", () => {
  it("reads regular files from ustar, pax and GNU long-name entries", () => {
    const long = `${"d/".repeat(60)}file.rego`;
    const files = readTar(
      tar([
        { name: "/policy.wasm", body: "wasm" },
        { name: "file.rego", prefix: "some/dir", body: "prefixed" },
        { name: "PaxHeader", type: "x", body: `${(long.length + 12).toString()} path=${long}\n` },
        { name: "truncated-name", body: "pax" },
        { name: "././@LongLink", type: "L", body: `${long}.gnu\0` },
        { name: "truncated-too", body: "gnu" },
        { name: "a-directory/", type: "5", body: "" },
      ]),
    );
    expect([...files.keys()]).toEqual(["policy.wasm", "some/dir/file.rego", long, `${long}.gnu`]);
    expect(files.get(long)!.toString()).toBe("pax");
  });

  it("rejects a truncated archive", () => {
    const t = tar([{ name: "policy.wasm", body: "x".repeat(2000) }]);
    expect(() => readTar(t.subarray(0, 1024))).toThrow(/truncated tar/);
  });

  it("takes policy.wasm and data.json from the bundle ntp-policy built", () => {
    const b = readBundle(readFileSync(BUNDLE), "org");
    expect(b.wasm.subarray(0, 4)).toEqual(Buffer.from([0, 0x61, 0x73, 0x6d]));
    expect(Object.keys(b.data!)).toEqual(["ntp_policy_custom"]);
  });

  it("accepts a bare .wasm module and refuses anything else", () => {
    const wasm = readBundle(readFileSync(BUNDLE), "org").wasm;
    expect(readBundle(wasm, "bare").data).toBeNull();
    expect(() => readBundle(Buffer.from("#!/bin/sh\n"), "x.tar.gz")).toThrow(/x\.tar\.gz: neither a bundle/);
    expect(() => readBundle(gzipSync(tar([{ name: "data.json", body: "{}" }])), "b.tar.gz")).toThrow(/b\.tar\.gz: the bundle has no \/policy\.wasm/);
  });
});

describe("rule metadata from opa inspect", () => {
  const annotation = (file: string, pkg: string[], custom: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
    annotations: { scope: "package", title: "Server key below 10", description: "why", custom, ...extra },
    location: { file, row: 12, col: 1 },
    path: [{ type: "var", value: "data" }, ...pkg.map((value) => ({ type: "string", value }))],
  });
  const good = { id: "ORG001", severity: "medium", remediation: "use key 10+", examples: { fail: "server a key 5", pass: "server a key 12" } };
  const inspect = (annotations: unknown[], namespaces: Record<string, string[]> = { "data.custom.server_key": ["p0/key.rego"] }) => ({ namespaces, annotations });
  const sourceOf = (s: string) => s.replace(/^p0\//, "org/");

  it("builds catalogue entries (every profile unless listed), ignoring the helper library", () => {
    const rules = customCatalogFromInspect(
      inspect(
        [
          annotation("p0/key.rego", ["custom", "server_key"], good),
          annotation("p0/internal.rego", ["custom", "internal"], { id: "ORG002", severity: "high", remediation: "add one", profiles: ["stig", "cis"] }),
          annotation("ntp_policy/lib/result.rego", ["ntp_policy", "lib", "result"], { id: "LIB001", severity: "info", remediation: "-" }),
        ],
        { "data.custom.server_key": ["p0/key.rego"], "data.custom.internal": ["p0/internal.rego"], "data.ntp_policy.lib.result": ["ntp_policy/lib/result.rego"] },
      ),
      BUILTIN_IDS,
      sourceOf,
    );
    expect(rules.map((r) => [r.id, r.package, r.source, r.profiles])).toEqual([
      ["ORG001", "custom.server_key", "p0/key.rego", ["baseline", "cis", "stig"]],
      ["ORG002", "custom.internal", "p0/internal.rego", ["cis", "stig"]],
    ]);
    expect(rules[0]!.examples).toEqual({ fail: "server a key 5", pass: "server a key 12" });
  });

  it("accepts METADATA at rule scope", () => {
    const a = annotation("p0/key.rego", ["custom", "server_key", "violations"], good);
    a.annotations.scope = "rule";
    expect(customCatalogFromInspect(inspect([a]), BUILTIN_IDS)[0]!.package).toBe("custom.server_key");
  });

  it.each([
    ["a built-in id", { ...good, id: "NTP001" }, /org\/key\.rego:12: rule id NTP001 is a built-in rule's id; give custom rules their own prefix/],
    ["a malformed id", { ...good, id: "org-1" }, /rule id "org-1" must be capital letters and three digits/],
    ["no remediation", { ...good, remediation: undefined }, /rule ORG001 has no custom\.remediation/],
    ["a bad severity", { ...good, severity: "severe" }, /bad severity "severe"/],
    ["an unknown profile", { ...good, profiles: ["pci"] }, /bad profiles/],
  ])("refuses %s", (_what, custom, message) => {
    const run = () => customCatalogFromInspect(inspect([annotation("p0/key.rego", ["custom", "server_key"], custom)]), BUILTIN_IDS, sourceOf);
    expect(run).toThrow(CustomPolicyError);
    expect(run).toThrow(message);
  });

  it("refuses packages outside custom.<name>, duplicate ids, a missing title, and a policy without rules", () => {
    const run = (annotations: unknown[], namespaces?: Record<string, string[]>) => () => customCatalogFromInspect(inspect(annotations, namespaces), BUILTIN_IDS, sourceOf);
    expect(run([annotation("p0/key.rego", ["org", "server_key"], good)], { "data.org.server_key": ["p0/key.rego"] })).toThrow(
      /org\/key\.rego: package org\.server_key: custom policies must be in a package custom\.<name>/,
    );
    expect(run([annotation("p0/a.rego", ["custom", "a"], good), annotation("p0/b.rego", ["custom", "b"], good)])).toThrow(/ORG001 is declared twice/);
    expect(run([annotation("p0/key.rego", ["custom", "server_key"], good, { title: undefined })])).toThrow(/rule ORG001 has no title/);
    expect(run([])).toThrow(/no custom rule found/);
  });
});

describe("finding OPA", () => {
  const dir = tmp();
  const opa = path.join(dir, "opa");
  writeFileSync(opa, "#!/bin/sh\necho 'Version: 1.22.3'\n");
  chmodSync(opa, 0o755);
  const plain = path.join(dir, "not-executable");
  writeFileSync(plain, "");

  it("uses OPA when it names an executable, and says so when it does not", () => {
    expect(findOpa({ OPA: opa, PATH: "" })).toBe(opa);
    expect(() => findOpa({ OPA: plain, PATH: "" })).toThrow(/OPA=.*not-executable is not an executable file/);
    expect(() => findOpa({ OPA: "/nonexistent/opa", PATH: "" })).toThrow(/is not an executable file/);
    expect(findOpa({ OPA: "opa", PATH: dir })).toBe(opa);
  });

  it("searches only the absolute entries of PATH (a checked directory can never supply the compiler)", () => {
    expect(findOpa({ PATH: `/nonexistent${path.delimiter}${dir}` })).toBe(opa);
    expect(findOpa({ OPA: "", PATH: dir })).toBe(opa);
    const relative = path.relative(process.cwd(), dir);
    expect(findOpa({ PATH: relative })).toBeNull();
    expect(findOpa({ PATH: "" })).toBeNull();
  });

  it("without a compiler, --policy is a one-line error that points to --bundle", () => {
    const policies = path.join(FIXTURE, "policies");
    const run = () => compileCustomPolicies([policies], { builtinIds: BUILTIN_IDS, env: { PATH: "" } });
    expect(run).toThrow(CustomPolicyError);
    expect(run).toThrow(/^--policy needs OPA to compile Rego, and none was found \(set OPA=\/path\/to\/opa or put opa on PATH\); .*--bundle FILE/);
    try {
      run();
    } catch (e) {
      expect((e as Error).message).not.toContain("\n");
    }
  });

  it("checks the policy directories before looking for a compiler", () => {
    const empty = tmp();
    writeFileSync(path.join(empty, "x_test.rego"), "package custom.x_test\n");
    expect(() => compileCustomPolicies(["/nonexistent/policies"], { builtinIds: BUILTIN_IDS, env: { PATH: "" } })).toThrow(/--policy \/nonexistent\/policies: no such file or directory/);
    expect(() => compileCustomPolicies([empty], { builtinIds: BUILTIN_IDS, env: { PATH: "" } })).toThrow(/no \.rego files \(other than \*_test\.rego\)/);
  });
});

describe("the cache location", () => {
  it("is $XDG_CACHE_HOME/ntp-policy, else ~/.cache/ntp-policy", () => {
    expect(cacheDirectory({ XDG_CACHE_HOME: "/var/cache/me", HOME: "/home/me" })).toBe("/var/cache/me/ntp-policy");
    expect(cacheDirectory({ XDG_CACHE_HOME: "relative/cache", HOME: "/home/me" })).toBe("/home/me/.cache/ntp-policy");
    expect(cacheDirectory({ HOME: "/home/me" })).toBe("/home/me/.cache/ntp-policy");
  });
});

describe("a custom policy bundle beside the built-in policy", () => {
  it("loads the rules the bundle declares, with sources inside the bundle", async () => {
    const [policy] = await loadCustomPolicies({ bundles: [BUNDLE], builtinIds: BUILTIN_IDS });
    expect(policy!.origin).toBe(`--bundle ${BUNDLE}`);
    expect(policy!.rules.map((r) => [r.id, r.severity, r.profiles, r.source])).toEqual([
      ["ORG001", "medium", ["baseline", "cis", "stig"], `${BUNDLE}:server_key/server_key.rego`],
      ["ORG002", "high", ["cis", "stig"], `${BUNDLE}:internal_source/internal_source.rego`],
    ]);
    expect(policy!.digest).toMatch(/^[0-9a-f]{64}$/);
  });

  it("evaluates the same input document into validated, located violations", async () => {
    const [policy] = await loadCustomPolicies({ bundles: [BUNDLE], builtinIds: BUILTIN_IDS });
    const lab = policy!.engine.evaluate(inputOf("lab-1"));
    expect(lab).toEqual([
      {
        rule: "ORG001",
        severity: "medium",
        message: "server 10.0.0.1 uses key 5, a lab key (below 10)",
        location: { file: "ntp.conf", line: 8, column: 1 },
        evidence: [{ location: { file: "ntp.conf", line: 8, column: 1 }, text: "server 10.0.0.1 key 5 iburst" }],
        remediation: expect.stringMatching(/^Authenticate the source with a production key/),
      },
    ]);
    expect(policy!.engine.evaluate(inputOf("edge-1")).map((v) => [v.rule, v.location.line, v.evidence.length])).toEqual([["ORG002", 1, 3]]);
  });

  it("merges custom violations with the built-in ones, in the engine's order, under a combined digest", async () => {
    const builtin = await loadPolicyEngine();
    const custom = await loadCustomPolicies({ bundles: [BUNDLE], builtinIds: BUILTIN_IDS });
    expect(combineEngines(builtin, [])).toBe(builtin);
    const both = combineEngines(builtin, custom);
    expect(both.digest).not.toBe(builtin.digest);
    const rules = both.evaluate(inputOf("lab-1")).map((v) => v.rule);
    expect(rules).toContain("ORG001");
    expect(rules).toEqual([...rules].sort());
  });

  it("refuses a bundle whose rule ids are built-in, or declared twice across custom policies", async () => {
    await expect(loadCustomPolicies({ bundles: [BUNDLE], builtinIds: new Set(["ORG002"]) })).rejects.toThrow(/rule id ORG002 is a built-in rule's id/);
    await expect(loadCustomPolicies({ bundles: [BUNDLE, BUNDLE], builtinIds: BUILTIN_IDS })).rejects.toThrow(/custom rule id ORG001 is declared by both/);
  });

  it("never lets a custom policy report a built-in id or an id its METADATA does not declare", async () => {
    const { wasm } = readBundle(readFileSync(BUNDLE), "org");
    const impostor = await customEngine(wasm, [], "org", new Set(["ORG001"]));
    expect(() => impostor.evaluate(inputOf("lab-1"))).toThrow(/custom policy org reported ORG001, a built-in rule's id/);
    const [policy] = await loadCustomPolicies({ bundles: [BUNDLE], builtinIds: BUILTIN_IDS });
    const partial = await customEngine(wasm, policy!.rules.filter((r) => r.id === "ORG002"), "org", BUILTIN_IDS);
    expect(() => partial.evaluate(inputOf("lab-1"))).toThrow(/reported ORG001, which no METADATA in it declares/);
  });

  it("refuses a module without the custom entrypoint, and a bundle that carries data", async () => {
    await expect(customEngine(readFileSync(DEFAULT_WASM_PATH), [], "builtin.wasm", BUILTIN_IDS)).rejects.toThrow(
      new RegExp(`builtin\\.wasm: the policy has no entrypoint ${CUSTOM_ENTRYPOINT} \\(found: ntp_policy/main/violations\\)`),
    );
    const { wasm } = readBundle(readFileSync(BUNDLE), "org");
    const dir = tmp();
    const withData = path.join(dir, "data.tar.gz");
    writeFileSync(withData, gzipSync(tar([{ name: "/policy.wasm", body: wasm }, { name: "/data.json", body: '{"allowed_keys":[12]}' }])));
    await expect(loadCustomPolicies({ bundles: [withData], builtinIds: BUILTIN_IDS })).rejects.toThrow(/carries data \(data\.allowed_keys\); ntp-policy loads only Rego/);
  });

  it("a bare wasm runs too, without a catalogue", async () => {
    const dir = tmp();
    mkdirSync(dir, { recursive: true });
    const bare = path.join(dir, "policy.wasm");
    writeFileSync(bare, readBundle(readFileSync(BUNDLE), "org").wasm);
    const [policy] = await loadCustomPolicies({ bundles: [bare], builtinIds: BUILTIN_IDS });
    expect(policy!.rules).toEqual([]);
    expect(policy!.engine.evaluate(inputOf("lab-1")).map((v) => v.rule)).toEqual(["ORG001"]);
  });

  it("a missing --bundle file is a clear error", async () => {
    await expect(loadCustomPolicies({ bundles: ["/nonexistent/org.tar.gz"], builtinIds: BUILTIN_IDS })).rejects.toThrow(/--bundle \/nonexistent\/org\.tar\.gz: no such file/);
  });
});
