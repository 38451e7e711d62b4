/** The command line at its edges: a reader that goes away, an --output that cannot be written, a broken bundle. */
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { BIN, cli, ROOT } from "../e2e/cli.js";

/** Run the CLI into `head -c 1`, large enough an output that the pipe is closed while it is still writing. */
function intoHead(args: string): { code: string; stderr: string } {
  const r = spawnSync("bash", ["-c", `"${process.execPath}" "${BIN}" ${args} 2>/tmp/ntp-policy-head-stderr | head -c 1 >/dev/null; echo "\${PIPESTATUS[0]}"; cat /tmp/ntp-policy-head-stderr`], {
    cwd: ROOT,
    encoding: "utf8",
    env: { ...process.env, NO_COLOR: "1" },
  });
  const [code, ...stderr] = r.stdout.split("\n");
  return { code: code!, stderr: stderr.join("\n") };
}

describe("command-line edges", () => {
  it.each([
    ["rules --format json", "0"],
    ["parse examples/host-dump examples/host-dump/* ", "0"],
    ["check examples/host-dump --format sarif", "1"],
  ])("`%s | head` stops quietly with the run's own exit code", (args, code) => {
    const r = intoHead(args);
    expect(r.stderr).not.toMatch(/EPIPE|Error|\n\s+at /);
    expect(r.code).toBe(code);
  });

  it("--output into a missing directory or onto a directory is a clear usage error", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "ntp-policy-output-"));
    const missing = cli(["check", "examples/host-dump", "--output", path.join(dir, "no/such/report.txt")]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe(`ntp-policy: error: --output ${path.join(dir, "no/such/report.txt")}: the directory ${path.join(dir, "no/such")} does not exist\n`);
    const onDir = cli(["check", "examples/host-dump", "--output", dir]);
    expect(onDir.code).toBe(2);
    expect(onDir.stderr).toBe(`ntp-policy: error: --output ${dir}: is a directory; give a file name\n`);
  });

  it("a wasm module that is not an OPA policy is one clear line", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "ntp-policy-badwasm-"));
    const wasm = path.join(dir, "empty.wasm");
    writeFileSync(wasm, Buffer.from([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]));
    const r = cli(["check", "examples/host-dump", "--bundle", wasm]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`ntp-policy: error: --bundle ${wasm}: cannot load the policy: not a policy compiled by OPA (the module lacks OPA's WebAssembly interface)\n`);
  });
});
