/**
 * integrations/ansible/ntp-policy.yml for real: ansible-core (from PyPI; .ci/run installs it) runs the playbook
 * against several inventory hosts on the local connection, each collecting with the real collector from its own
 * fake root (`-r ROOT`, an inventory variable) as root through `become`, fetching into one host-dump folder, and
 * checking it with the real command line on the controller. The report is judged, not only the exit code.
 */
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { Report } from "../../src/model/report.js";
import { BIN, cli, ROOT } from "../e2e/cli.js";
import { requireOrSkip } from "../requirements.js";

const PLAYBOOK = path.join(ROOT, "integrations/ansible/ntp-policy.yml");
const EXAMPLES = path.join(ROOT, "examples/host-dump");

/** ansible-playbook: $NTPP_ANSIBLE_PLAYBOOK, else the one on PATH. */
function findAnsiblePlaybook(): string | null {
  const given = process.env["NTPP_ANSIBLE_PLAYBOOK"];
  if (given) return existsSync(given) ? given : null;
  for (const dir of (process.env["PATH"] ?? "").split(path.delimiter)) {
    const candidate = path.join(dir, "ansible-playbook");
    if (dir !== "" && existsSync(candidate)) return candidate;
  }
  return null;
}

const ansiblePlaybook = findAnsiblePlaybook();
const available = requireOrSkip(
  "Ansible playbook (integrations/ansible)",
  ansiblePlaybook !== null,
  "ansible-playbook is not installed (pip install ansible-core, or set NTPP_ANSIBLE_PLAYBOOK)",
  "NTPP_REQUIRE_ANSIBLE",
);

/** Each inventory host's fake root: files at the paths the collector reads below -r ROOT. */
const ROOTS: Record<string, Array<[from: string, to: string]>> = {
  "ntp-open": [["ntp-open/ntp.conf", "etc/ntp.conf"]],
  "ntp-hardened": [
    ["ntp-hardened/etc/ntp.conf", "etc/ntp.conf"],
    ["ntp-hardened/etc/ntp/upstreams.conf", "etc/ntp/upstreams.conf"],
  ],
  "chrony-open": [
    ["chrony-open/etc/chrony.conf", "etc/chrony.conf"],
    ["chrony-open/etc/sysconfig/chronyd", "etc/sysconfig/chronyd"],
  ],
};
/** A host whose root holds nothing the collector reads: its collection fails, and only that host. */
const EMPTY_HOST = "nothing-here";

let dir: string;
let playbook: ReturnType<typeof spawnSync>;
let report: Report;

describe.skipIf(!available)("the Ansible playbook: collect on every host, fetch, check on the controller", () => {
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), "ntpp-ansible-"));
    for (const [host, files] of Object.entries(ROOTS)) {
      for (const [from, to] of files) {
        mkdirSync(path.dirname(path.join(dir, "roots", host, to)), { recursive: true });
        cpSync(path.join(EXAMPLES, from), path.join(dir, "roots", host, to));
      }
    }
    mkdirSync(path.join(dir, "roots", EMPTY_HOST, "etc"), { recursive: true });
    const hosts = [...Object.keys(ROOTS), EMPTY_HOST].map((h) => `    ${h}: { ntp_policy_collect_root: ${JSON.stringify(path.join(dir, "roots", h))} }`);
    writeFileSync(
      path.join(dir, "inventory.yml"),
      [
        "all:",
        "  vars:",
        "    ansible_connection: local",
        '    ansible_python_interpreter: "{{ ansible_playbook_python }}"',
        // become as the playbook asks; su, since a root shell needs no password for it (sudo may be absent).
        "    ansible_become_method: su",
        "  hosts:",
        ...hosts,
        "",
      ].join("\n"),
    );
    writeFileSync(path.join(dir, "ntp-policy.yaml"), 'trusted_networks: [192.0.2.0/24, "2001:db8::/32"]\n');
    const extra = {
      ntp_policy_dest: path.join(dir, "dump"),
      ntp_policy_command: [process.execPath, BIN],
      ntp_policy_config: path.join(dir, "ntp-policy.yaml"),
      ntp_policy_format: "json",
      ntp_policy_output: path.join(dir, "report.json"),
    };
    playbook = spawnSync(ansiblePlaybook!, ["-i", "inventory.yml", PLAYBOOK, "-e", JSON.stringify(extra)], {
      cwd: dir,
      encoding: "utf8",
      // PWD as the shell that starts ansible-playbook in `dir` sets it.
      env: { ...process.env, PWD: dir, ANSIBLE_NOCOLOR: "1", ANSIBLE_HOST_KEY_CHECKING: "0", ANSIBLE_LOCAL_TEMP: path.join(dir, "ansible-tmp"), ANSIBLE_RETRY_FILES_ENABLED: "0" },
      timeout: 240_000,
    });
    expect(existsSync(path.join(dir, "report.json")), `${String(playbook.stdout)}\n${String(playbook.stderr)}`).toBe(true);
    report = JSON.parse(readFileSync(path.join(dir, "report.json"), "utf8")) as Report;
  }, 300_000);

  it("fetches each host's dump into <dest>/<inventory_hostname>/, byte for byte", () => {
    for (const [host, files] of Object.entries(ROOTS)) {
      for (const [from, to] of files) {
        expect(readFileSync(path.join(dir, "dump", host, to), "utf8"), `${host}/${to}`).toBe(readFileSync(path.join(EXAMPLES, from), "utf8"));
      }
      expect(readFileSync(path.join(dir, "dump", host, "collected-at"), "utf8")).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\n?$/);
    }
  });

  it("the report has every collected host, with the verdicts of its own files", () => {
    expect(report.hosts.map((h) => h.host)).toEqual(Object.keys(ROOTS).sort());
    const outcome = (host: string, rule: string): string | undefined => report.hosts.find((h) => h.host === host)?.outcomes?.find((o) => o.rule === rule)?.status;
    expect(outcome("ntp-open", "NTP001")).toBe("fail");
    expect(outcome("ntp-hardened", "NTP001")).toBe("pass");
    expect(outcome("chrony-open", "CHRONY001")).toBe("fail");
    expect(report.config.trusted_networks).toEqual(["192.0.2.0/24", "2001:db8::/32"]); // ntp_policy_config was used
  });

  it("is the report `ntp-policy check` writes for the fetched folder", () => {
    const direct = cli(["check", path.join(dir, "dump"), "--config", path.join(dir, "ntp-policy.yaml"), "--format", "json"], { cwd: dir });
    const strip = (r: Report): Report => ({ ...r, run: { arguments: [], paths: r.run!.paths } });
    expect(strip(JSON.parse(direct.stdout) as Report)).toEqual(strip(report));
  });

  it("a host with nothing to collect fails in Ansible, and the others are still checked", () => {
    const out = String(playbook.stdout);
    expect(out).toMatch(new RegExp(`${EMPTY_HOST}\\s+: ok=\\d+\\s+changed=\\d+\\s+unreachable=0\\s+failed=1`));
    expect(existsSync(path.join(dir, "dump", EMPTY_HOST))).toBe(false);
  });

  it("fails the play when the check fails (ntp-open's NTP001), after writing the report", () => {
    expect(playbook.status).not.toBe(0);
    expect(String(playbook.stdout)).toContain("ntp-policy check exited 1: failing findings");
  });
});
