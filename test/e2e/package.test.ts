/**
 * The package as published: `npm pack` ships dist/ (built by `prepack`), the command, the compiled policy and
 * the docs, and nothing a user does not need; installing the tarball runs no build script (no `prepare`,
 * which npm 11 asks about before running for a tarball or git install).
 */
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "./cli.js";

const pkg = JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8"));

describe("the npm package", () => {
  it("is publish-ready: bin, engines, files, and a build before packing rather than on install", () => {
    expect(pkg.bin).toEqual({ "ntp-policy": "bin/ntp-policy.js" });
    expect(pkg.engines.node).toBe(">=20");
    expect(pkg.scripts.prepack).toBe("npm run build");
    for (const hook of ["prepare", "preinstall", "install", "postinstall"]) expect(pkg.scripts[hook], hook).toBeUndefined();
  });

  it("npm pack --dry-run lists the command, dist/, the compiled policy and the docs, and no sources or tests", () => {
    // --ignore-scripts: the global setup has built dist/ already; what is checked is the file selection.
    const r = spawnSync("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], { cwd: ROOT, encoding: "utf8" });
    expect(r.status, r.stderr).toBe(0);
    const files: string[] = JSON.parse(r.stdout)[0].files.map((f: { path: string }) => f.path);
    for (const needed of [
      "package.json",
      "README.md",
      "bin/ntp-policy.js",
      "dist/cli/main.js",
      "dist/check/check-worker.js",
      "dist/report/html.js",
      "policies/build/policy.wasm",
      "policies/build/catalog.json",
      "policies/build/manifest.json",
      "docs/config.schema.json",
      "docs/integrations.md",
      "policies/ntp_policy/lib/result.rego",
    ]) {
      expect(files, needed).toContain(needed);
    }
    const unwanted = files.filter((f) => /^(src|test|scripts|grammar|examples|node_modules|tools)\//.test(f) || f.endsWith("_test.rego") || f.endsWith(".ts") && !f.endsWith(".d.ts"));
    expect(unwanted).toEqual([]);
  });
});
