/**
 * The committed policy build (policies/build) is fresh: the manifest's digests match the Rego sources, policy.wasm
 * and catalog.json. This needs no Go, so a stale build fails the suite everywhere; CI also runs
 * `npm run build:policy -- --check`, which rebuilds with OPA and compares the bytes.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync, appendFileSync, unlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { policyDigest } from "../../src/policy/engine.js";
import { currentSourceDigests, loadManifest, verifyPolicyBuild } from "../../src/policy/manifest.js";
import { ENTRYPOINT, PACKAGE_ROOT } from "../../src/policy/paths.js";

describe("committed policy build", () => {
  it("is fresh: source, wasm and catalog digests match the manifest", () => {
    expect(verifyPolicyBuild()).toEqual([]);
  });

  it("records what was built and how", () => {
    const manifest = loadManifest();
    expect(manifest.generated_by).toContain("generated");
    expect(manifest.opa_version).toBe("1.22.3");
    expect(manifest.build_command).toBe(
      `opa build -t wasm -e ${ENTRYPOINT} --ignore *_test.rego -o <tmpdir>/bundle.tar.gz policies/ntp_policy`,
    );
    expect(manifest.entrypoints).toEqual([ENTRYPOINT]);
    expect(manifest.host_builtins).toEqual({});
    expect(manifest.wasm.sha256).toBe(policyDigest());
    expect(manifest.sources.map((s) => s.path)).toEqual(currentSourceDigests().sources.map((s) => s.path));
    expect(manifest.sources.some((s) => s.path.endsWith("_test.rego"))).toBe(false);
    const catalog = JSON.parse(readFileSync(path.join(PACKAGE_ROOT, manifest.catalog.path), "utf8")) as { generated_by: string };
    expect(catalog.generated_by).toContain("generated");
  });

  describe("detects a stale build (on a copy)", () => {
    const copy = mkdtempSync(path.join(tmpdir(), "ntp-policy-stale-"));
    cpSync(path.join(PACKAGE_ROOT, "policies"), path.join(copy, "policies"), { recursive: true });
    const rule = "policies/ntp_policy/rules/access/untrusted_query/untrusted_query.rego";
    afterAll(() => rmSync(copy, { recursive: true, force: true }));

    it("a changed rule", () => {
      appendFileSync(path.join(copy, rule), "\n# edited\n");
      expect(verifyPolicyBuild(copy)).toEqual([`${rule} changed since the build`]);
      writeFileSync(path.join(copy, rule), readFileSync(path.join(PACKAGE_ROOT, rule)));
      expect(verifyPolicyBuild(copy)).toEqual([]);
    });

    it("a new rule, but not a new test", () => {
      writeFileSync(path.join(copy, "policies/ntp_policy/rules/access/new_test.rego"), "package x_test\n");
      expect(verifyPolicyBuild(copy)).toEqual([]);
      writeFileSync(path.join(copy, "policies/ntp_policy/rules/access/new.rego"), "package x\n");
      expect(verifyPolicyBuild(copy)).toEqual(["policies/ntp_policy/rules/access/new.rego is new since the build"]);
      unlinkSync(path.join(copy, "policies/ntp_policy/rules/access/new.rego"));
    });

    it("a replaced policy.wasm and a missing catalog", () => {
      writeFileSync(path.join(copy, "policies/build/policy.wasm"), "not wasm");
      unlinkSync(path.join(copy, "policies/build/catalog.json"));
      expect(verifyPolicyBuild(copy)).toEqual([
        "policies/build/policy.wasm does not match the manifest",
        "policies/build/catalog.json is missing",
      ]);
    });

    it("a missing manifest", () => {
      unlinkSync(path.join(copy, "policies/build/manifest.json"));
      expect(verifyPolicyBuild(copy)[0]).toMatch(/^cannot read policies\/build\/manifest.json/);
    });
  });
});
