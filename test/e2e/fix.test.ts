/**
 * `ntp-policy fix` as a user runs it: the patch applies with `git apply` in the checked folder and leaves exactly
 * the findings fix said it could not fix; `--write` gives the same files; decisions are never guessed; hostile
 * dumps are neither written through links nor echoed raw.
 */
import { spawnSync } from "node:child_process";
import { cpSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import Ajv4Module from "ajv-draft-04";
import addFormatsModule from "ajv-formats";
import { afterAll, describe, expect, it } from "vitest";
import { cli, ROOT } from "./cli.js";

const scratch = mkdtempSync(path.join(tmpdir(), "ntpp-fix-e2e-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
let n = 0;
function copyOfExamples(): string {
  const dir = path.join(scratch, `dump-${++n}`);
  cpSync(path.join(ROOT, "examples/host-dump"), dir, { recursive: true });
  return dir;
}
const TRUSTED = ["--trusted", "192.168.1.0/24", "--trusted", "10.0.0.0/8", "--trusted", "2001:db8::/32"];

/** `ntp-policy: not fixed RULE at FILE:LINE: …` lines, as `RULE FILE` (the line moves once patched). */
function notFixed(stderr: string): string[] {
  return [...stderr.matchAll(/^ntp-policy: not fixed (\S+) at ([^:]+):\d+:/gm)].map((m) => `${m[1]} ${m[2]}`).sort();
}

function failing(dir: string): string[] {
  const r = cli(["check", dir, ...TRUSTED, "--format", "json"]);
  const report = JSON.parse(r.stdout) as { hosts: Array<{ findings: Array<{ rule: string; status: string; location: { file: string } }> }> };
  return report.hosts.flatMap((h) => h.findings.filter((f) => f.status === "fail").map((f) => `${f.rule} ${f.location.file}`)).sort();
}

describe("ntp-policy fix", () => {
  it("prints a patch that git apply takes in the checked folder; afterwards only what it could not fix still fails", () => {
    const dir = copyOfExamples();
    const before = failing(dir);
    const r = cli(["fix", dir, ...TRUSTED]);
    expect(r.code).toBe(1); // some findings need a decision
    expect(r.stdout).toMatch(/^--- a\/ntp-open\/ntp\.conf$/m);
    expect(r.stderr).toMatch(/^ntp-policy: fixed NTP001 at ntp-typo\/etc\/ntp\.conf:6: correct "noqeury" to "noquery"/m);
    expect(r.stderr).toMatch(/^ntp-policy: not fixed NTP003 at ntp-few-sources\/ntp\.conf:6: which upstream servers to add is a decision/m);
    // An nftables ruleset is not patched as if it were iptables-save: the finding's own fix is the nft command.
    expect(r.stderr).toMatch(/^ntp-policy: not fixed FW001 at nft-open\/nft-ruleset:12: .*nft-ruleset is an nftables ruleset: apply the nft command of the finding's fix/m);
    writeFileSync(path.join(scratch, "fix.patch"), r.stdout);
    const apply = spawnSync("git", ["apply", path.join(scratch, "fix.patch")], { cwd: dir, encoding: "utf8" });
    expect(apply.stderr).toBe("");
    expect(apply.status).toBe(0);
    const after = failing(dir);
    expect(after).toEqual(notFixed(r.stderr));
    expect(after.length).toBeLessThan(before.length);
    // Running it again finds nothing more to change.
    const again = cli(["fix", dir, ...TRUSTED]);
    expect(again.stdout).toBe("");
  });

  it("--write changes the files in place as the patch would, --backup keeps the old text", () => {
    const patched = copyOfExamples();
    spawnSync("git", ["apply"], { cwd: patched, input: cli(["fix", patched, ...TRUSTED]).stdout });
    const written = copyOfExamples();
    const r = cli(["fix", written, ...TRUSTED, "--write", "--backup"]);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(/^ntp-policy: wrote .*ntp-typo\/etc\/ntp\.conf$/m);
    for (const file of ["ntp-typo/etc/ntp.conf", "ntp-open/ntp.conf", "ntp-open/iptables-save", "ntp-typo/iptables-save"]) {
      expect(readFileSync(path.join(written, file), "utf8")).toBe(readFileSync(path.join(patched, file), "utf8"));
      expect(readFileSync(path.join(written, `${file}.orig`), "utf8")).toBe(readFileSync(path.join(ROOT, "examples/host-dump", file), "utf8"));
    }
  });

  it("only the rules asked for; exit 0 when each of their findings has a verified fix", () => {
    const dir = copyOfExamples();
    const r = cli(["fix", path.join(dir, "ntp-typo"), "--rule", "NTP001", "--rule", "PARSE001"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("+restrict default kod nomodify notrap nopeer noquery");
    expect(r.stdout).not.toContain("iptables-save");
    expect(cli(["fix", dir, "--rule", "NTP999"]).code).toBe(2);
    expect(cli(["fix", dir, "--backup"]).stderr).toMatch(/--backup .* add --write/);
  });

  it("never guesses a decision: without trusted networks FW001 is left alone, with the reason", () => {
    const dir = copyOfExamples();
    const r = cli(["fix", path.join(dir, "ntp-open"), "--rule", "FW001"]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(/not fixed FW001 at iptables-save:3: which IPv4 networks may query is a decision: set trusted_networks/);
  });

  it("keeps CRLF line endings and writes no file through a symbolic link", () => {
    const host = path.join(scratch, "crlf-host");
    mkdirSync(host);
    writeFileSync(path.join(host, "ntp.conf"), "server 192.0.2.1 iburst\r\nrestrict default kod nomodify notrap nopeer\r\nenable mode7\r\n");
    const r = cli(["fix", host, "--rule", "NTP001", "--rule", "NTP010"]);
    expect(r.stdout).toContain("+restrict default kod nomodify notrap nopeer noquery\r\n");
    expect(cli(["fix", host, "--rule", "NTP001", "--rule", "NTP010", "--write"]).code).toBe(0);
    expect(readFileSync(path.join(host, "ntp.conf"), "utf8")).toBe("server 192.0.2.1 iburst\r\nrestrict default kod nomodify notrap nopeer noquery\r\n");

    // A link that leads outside is not read at all (PARSE003), so nothing is fixed there.
    const linked = path.join(scratch, "linked-host");
    mkdirSync(path.join(linked, "etc"), { recursive: true });
    const outside = path.join(scratch, "outside.conf");
    writeFileSync(outside, "restrict default kod nomodify notrap nopeer\n");
    symlinkSync(outside, path.join(linked, "etc/ntp.conf"));
    cli(["fix", linked, "--write"]);
    expect(readFileSync(outside, "utf8")).toBe("restrict default kod nomodify notrap nopeer\n");
    // A link inside the host is read and checked, but --write replaces no link: it says so and exits 2.
    const inner = path.join(scratch, "inner-link-host");
    mkdirSync(inner);
    writeFileSync(path.join(inner, "real.conf"), "restrict default kod nomodify notrap nopeer\n");
    symlinkSync("real.conf", path.join(inner, "ntp.conf"));
    const w = cli(["fix", inner, "--rule", "NTP001", "--write"]);
    expect(w.code).toBe(2);
    expect(w.stderr).toMatch(/ntp-policy: error: not written .*ntp\.conf: not a regular file \(or a symbolic link\)/);
    expect(lstatSync(path.join(inner, "ntp.conf")).isSymbolicLink()).toBe(true);
    expect(readFileSync(path.join(inner, "real.conf"), "utf8")).toBe("restrict default kod nomodify notrap nopeer\n");
  });

  it("escapes what it quotes from the dump", () => {
    const host = path.join(scratch, "evil\u001b]0;owned\u0007host");
    mkdirSync(host);
    writeFileSync(path.join(host, "ntp.conf"), "restrict default nomodify \u202eevil\n");
    const r = cli(["fix", host, "--rule", "NTP001", "--rule", "PARSE001"]);
    // eslint-disable-next-line no-control-regex
    expect(r.stderr).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f\u202e]/);
  });

  it("check --format sarif carries each verified fix as SARIF fixes, valid against the SARIF 2.1.0 schema", () => {
    const Ajv4 = Ajv4Module.default;
    const addFormats = addFormatsModule.default;
    const ajv = new Ajv4({ allErrors: true, strict: false, unicodeRegExp: false });
    addFormats(ajv);
    const validate = ajv.compile(JSON.parse(readFileSync(path.join(ROOT, "test/fixtures/report/sarif-2.1.0-rtm.5.json"), "utf8")));
    const r = cli(["check", "examples/host-dump/ntp-typo", "--trusted", "10.0.0.0/8", "--format", "sarif"]);
    const log = JSON.parse(r.stdout);
    expect(validate(log), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
    /* eslint-disable @typescript-eslint/no-explicit-any */
    const results = log.runs[0].results as any[];
    const typo = results.find((x) => x.ruleId === "PARSE001");
    expect(typo.fixes[0].artifactChanges[0]).toEqual({
      artifactLocation: { uri: "examples/host-dump/ntp-typo/etc/ntp.conf" },
      replacements: [{ deletedRegion: { startLine: 6, startColumn: 45, endLine: 6, endColumn: 52 }, insertedContent: { text: "noquery" } }],
    });
    // FW005 (a shadowed rule) needs a decision: no fix is offered.
    expect(results.find((x) => x.ruleId === "FW005").fixes).toBeUndefined();
    // Without SARIF, no fix is computed and the JSON report is unchanged.
    expect(cli(["check", "examples/host-dump/ntp-typo", "--trusted", "10.0.0.0/8", "--format", "json"]).stdout).not.toContain("artifactChanges");
  });

  it("adds upstream servers only from those authorized_upstreams names, and only when nothing new breaks", () => {
    const config = path.join(scratch, "upstreams.yaml");
    writeFileSync(config, 'authorized_upstreams: ["203.0.113.10", "ntp1.example.net", "ntp2.example.net", "*.pool.ntp.org"]\n');
    const ntpHost = path.join(scratch, "few-ntp");
    mkdirSync(ntpHost);
    writeFileSync(path.join(ntpHost, "ntp.conf"), "restrict default kod nomodify notrap nopeer noquery\nserver 203.0.113.10 iburst\nserver 127.127.1.0\nfudge 127.127.1.0 stratum 10\n");
    const r = cli(["fix", ntpHost, "--config", config, "--rule", "NTP003"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(" server 203.0.113.10 iburst\n+server ntp1.example.net iburst\n+server ntp2.example.net iburst\n server 127.127.1.0");
    // The same for chronyd: the line is the same in chrony.conf.
    const chronyHost = path.join(scratch, "few-chrony");
    mkdirSync(chronyHost);
    writeFileSync(path.join(chronyHost, "chrony.conf"), "server 203.0.113.10 iburst\ndriftfile /var/lib/chrony/drift\n");
    const c = cli(["fix", chronyHost, "--config", config, "--rule", "NTP003"]);
    expect(c.stdout).toContain("+server ntp1.example.net iburst\n+server ntp2.example.net iburst\n");
    // Globs name no server: a decision, said so.
    const d = cli(["fix", ntpHost, "--rule", "NTP003"]);
    expect(d.code).toBe(1);
    expect(d.stderr).toMatch(/which upstream servers to add is a decision: 2 more usable sources are needed/);
    // On the example host the firewall drops NTP to new servers too (FW004): the change is refused, with the reason.
    const e = cli(["fix", "examples/host-dump/ntp-few-sources", "--config", config, "--rule", "NTP003"]);
    expect(e.stdout).toBe("");
    expect(e.stderr).toMatch(/checked and refused: it would bring FW004/);
  });
});
