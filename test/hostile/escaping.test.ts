/**
 * Strings from a host dump or a configuration file never reach a terminal, a CI log or a text-like report
 * raw: host folder names with a newline and a GitHub workflow command, or an OSC sequence that retitles the
 * terminal, come out escaped in every people-facing format and on stderr.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { cli } from "../e2e/cli.js";

const WORKFLOW_COMMAND_HOST = "web\n::error title=x::pwned";
const OSC_HOST = "db\u001b]0;owned\u0007";
const BIDI_HOST = "lb\u202eorp\u009b31m";

// Raw C0 (but tab and newline), DEL, C1, bidi controls and line/paragraph separators.
// eslint-disable-next-line no-control-regex
const RAW_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028-\u202e\u2066-\u2069]/;

function hostileDump(): string {
  const root = mkdtempSync(path.join(tmpdir(), "ntp-policy-escape-"));
  for (const name of [WORKFLOW_COMMAND_HOST, OSC_HOST, BIDI_HOST]) {
    mkdirSync(path.join(root, name));
    // Open to everyone: findings on every host, so every host name is printed.
    writeFileSync(path.join(root, name, "ntp.conf"), "server 192.0.2.1 # \u202eevil\u001b[2J\nrestrict default\n");
  }
  return root;
}

describe("escaping of untrusted strings", () => {
  const root = hostileDump();

  it.each(["text", "markdown", "github"])("--format %s prints no raw control, C1 or bidi character and no forged line", (format) => {
    const r = cli(["check", root, "--format", format]);
    expect(r.code).toBe(1);
    expect(r.stdout).not.toMatch(RAW_CONTROL);
    expect(r.stderr).not.toMatch(RAW_CONTROL);
    // The newline in the host name never starts a line of its own.
    for (const line of r.stdout.split("\n")) expect(line.startsWith("::error title=x::")).toBe(false);
  });

  it("configuration errors escape C1 and bidi characters from the configuration file", () => {
    const d = mkdtempSync(path.join(tmpdir(), "ntp-policy-escape-cfg-"));
    writeFileSync(path.join(d, "cfg.yaml"), 'trusted_networks:\n  - "10.0.0.0/8\u009b2J\u202e\u001b]0;x\u0007"\n');
    const r = cli(["check", "examples/host-dump", "--config", path.join(d, "cfg.yaml")]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/\\x9B2J\\u202E\\u001b\]0;x\\u0007/);
    expect(r.stderr).not.toMatch(RAW_CONTROL);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
  });

  it("usage errors escape the argument the user gave", () => {
    const r = cli(["check", "examples/host-dump", "--trusted", "10.0.0.0/99\u001b]0;x\u0007\n::error::y"]);
    expect(r.code).toBe(2);
    expect(r.stderr).not.toMatch(RAW_CONTROL);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
  });
});
