/**
 * One error prefix: whatever fails — a usage mistake, commander's own parse errors, the configuration, a missing
 * path, an unwritable --output, a bad bundle, a host that could not be checked — every error line the command
 * prints starts with `ntp-policy: error: `, so a CI log or a wrapper script can find them all with one pattern.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { cli, type CliResult } from "../e2e/cli.js";

const PREFIX = "ntp-policy: error: ";
const BUNDLE = "test/fixtures/hostile/hostile-policies.tar.gz";

function scratch(): string {
  return mkdtempSync(path.join(tmpdir(), "ntp-policy-prefix-"));
}

/** Every line of stderr other than warnings and "wrote" notes is an error line with the prefix. */
function expectErrorLines(r: CliResult, count: number, message: RegExp): void {
  expect(r.code, r.stderr).toBe(2);
  const lines = r.stderr.split("\n").filter((l) => l !== "");
  const errors = lines.filter((l) => !l.startsWith("ntp-policy: warning: ") && !l.startsWith("ntp-policy: wrote "));
  expect(errors, r.stderr).toHaveLength(count);
  for (const l of errors) expect(l.startsWith(PREFIX), l).toBe(true);
  expect(r.stderr).toMatch(message);
  expect(r.stderr).not.toMatch(/\n\s+at |^error: |internal error:/m);
}

describe("every error line starts with `ntp-policy: error: `", () => {
  it("usage errors found by the option parser, including its did-you-mean on one line", () => {
    expectErrorLines(cli(["chek", "examples/host-dump"]), 1, /unknown command 'chek' \(Did you mean check\?\)/);
    expectErrorLines(cli(["check", "examples/host-dump", "--no-such-flag"]), 1, /unknown option '--no-such-flag'/);
    expectErrorLines(cli(["check"]), 1, /missing required argument 'path'/);
    expectErrorLines(cli(["check", "examples/host-dump", "--fail-on", "sometimes"]), 1, /argument 'sometimes' is invalid/);
    expectErrorLines(cli(["explain"]), 1, /missing required argument 'rule'/);
  });

  it("usage errors found by the command itself", () => {
    expectErrorLines(cli(["check", "examples/host-dump", "--host-timeout", "0"]), 1, /--host-timeout 0: expected seconds/);
    expectErrorLines(cli(["explain", "NTP999"]), 1, /unknown rule "NTP999"/);
    expectErrorLines(cli(["check", "examples/host-dump", "--output", path.join(scratch(), "no/such/dir/r.txt")]), 1, /--output .*does not exist/);
  });

  it("configuration, discovery and bundle errors", () => {
    const dir = scratch();
    const config = path.join(dir, "cfg.yaml");
    writeFileSync(config, "rules:\n  NPT001: off\n");
    expectErrorLines(cli(["check", "examples/host-dump", "--config", config]), 1, /unknown rule "NPT001"/);
    expectErrorLines(cli(["check", path.join(dir, "nonexistent")]), 1, /nonexistent: no such file/);
    const wasm = path.join(dir, "not-a-bundle.tar.gz");
    writeFileSync(wasm, "definitely not gzip");
    expectErrorLines(cli(["check", "examples/host-dump", "--bundle", wasm]), 1, /--bundle .*not-a-bundle/);
  });

  it("a host that could not be checked: one prefixed line per host, its name escaped", () => {
    const root = scratch();
    for (const name of ["ok", "broken\n::error title=x::y"]) {
      mkdirSync(path.join(root, name));
      writeFileSync(path.join(root, name, "ntp.conf"), `restrict default kod limited nomodify notrap nopeer noquery\nserver ${name === "ok" ? "192.0.2.1" : "broken.example.com"} iburst\n`);
    }
    const r = cli(["check", root, "--bundle", BUNDLE, "--format", "json"]);
    expectErrorLines(r, 1, /^ntp-policy: error: broken\\x0A::error title=x::y: internal error while checking this host/m);
  }, 60_000);
});
