/**
 * Differential test against the real iptables-restore (`--test`, in a private network namespace),
 * where the machine has it (Linux, root, iptables 1.8.x, unshare): for every case, a line we report
 * as `syntax` must be one iptables-nft-restore rejects, and vice versa — except the documented
 * differences below. Skipped (with a notice) elsewhere.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { parseIptablesSave } from "../../src/parse/iptables/index.js";

function restoreAvailable(): boolean {
  if (process.platform !== "linux" || process.getuid?.() !== 0) return false;
  const r = spawnSync("unshare", ["-n", "iptables-nft-restore", "--test"], { input: "*filter\nCOMMIT\n", encoding: "utf8" });
  return r.status === 0;
}
const available = restoreAvailable();
if (!available) console.warn("iptables-restore oracle tests skipped: needs Linux, root, unshare and iptables-nft-restore");

/** Cases where ntp-policy deliberately differs from `iptables-nft-restore --test`, with the reason. */
const KNOWN: Record<string, string> = {
  "-A INPUT -p udp --dport frobnitz -j ACCEPT": "service names depend on the host's /etc/services: kept as unresolved",
  "-A INPUT -p frob -j ACCEPT": "protocol names depend on the host's /etc/protocols: kept with number null",
  "-A INPUT -m set --match-set foo src -j DROP": "ipsets live in the kernel, not in the dump",
  "-A INPUT -m frobnicate --x 1 -j ACCEPT": "unknown modules are kept verbatim (open end), not rejected",
  ":INPUT REJECT [0:0]": "nft --test never asks the kernel; legacy restore and the kernel reject it",
  "-P INPUT REJECT": "nft --test never asks the kernel; legacy restore and the kernel reject it",
  "-A INPUT -d ::1 -j ACCEPT": "other-family addresses: one structure diagnostic per file (v6 dump read as v4)",
};

const L = "x".repeat(30);
const LINES = [
  "   ", "  # indented comment", "-A INPUT -s ! 1.2.3.4 -j DROP", "-A INPUT -p tcp --dport ! 22 -j DROP", "-A INPUT -i ! lo -j DROP",
  "-A INPUT -c 10 20 -j ACCEPT", "-A INPUT -p udp --dp 123 -j ACCEPT", "-A INPUT -m tcp --dport 22 -j ACCEPT",
  "-A INPUT -m multiport --dports 22 -j ACCEPT", '-A INPUT -m comment --comment pre"fix x" -j ACCEPT',
  '-A INPUT -m comment --comment "abc -j ACCEPT', ":X [0:0]", ":INPUT - [0:0]", "-A INPUT -p tcp --syn yes -j ACCEPT",
  `-A INPUT -j LOG --log-prefix ${L}`, `-A INPUT -m comment --comment ${"c".repeat(256)}`, "-A INPUT -6 -p tcp -j ACCEPT",
  "-6 -A INPUT -p tcp -j ACCEPT", "-A INPUT -o eth0 -j ACCEPT", "-A INPUT -p tcp --dport 200:100 -j ACCEPT",
  "-A INPUT -p udp --dport frobnitz -j ACCEPT", "-A INPUT -p udp --dport ntp -j ACCEPT", "-A INPUT -s localhost -j ACCEPT",
  "-A INPUT -s 10.0.0.0/255.0.255.0 -j ACCEPT", "-A INPUT -p ALL -j ACCEPT", "-A INPUT ! -p all -j ACCEPT",
  "-A INPUT -i verylonginterfacename0 -j DROP", "-A INPUT -m state --state NEW,BOGUS -j ACCEPT",
  "-A INPUT -m conntrack --ctstate SNAT -j ACCEPT", "-A INPUT -m state --state UNTRACKED -j ACCEPT", "-A INPUT -m state --state SNAT -j ACCEPT",
  "-A INPUT -f -j DROP", "-A INPUT ! -f -j DROP", "-A INPUT -p tcp -m tcp --tcp-flags SYN,ACK SYN -j ACCEPT", "-I INPUT 1 -j ACCEPT",
  "-N LOG", "-A INPUT --dport 22 -j ACCEPT", "[1:2]-A INPUT -j ACCEPT", "[a:b] -A INPUT -j ACCEPT", "[1:2 -A INPUT -j ACCEPT",
  "-A INPUT -p icmp --icmp-type echo-request -j ACCEPT", "-A INPUT -p udp -m udp --sport 123 --sport 124 -j ACCEPT", "-A INPUT -j",
  "-A INPUT -s 1.2.3.4 -s 5.6.7.8 -j ACCEPT", "-A INPUT -p tcp -m tcp --dport 22 -m tcp --sport 1 -j ACCEPT",
  "-A INPUT -m set --match-set foo src -j DROP", ":INPUT REJECT [0:0]", "-P INPUT REJECT", "-A INPUT -p tcp --dport=22 -j ACCEPT",
  "-A INPUT -ptcp -j ACCEPT", "-A INPUT -m comment --comment x -m comment --comment y -j ACCEPT", "-A INPUT -d ::1 -j ACCEPT",
  "-A INPUT -m frobnicate --x 1 -j ACCEPT", "-A INPUT -j ACCEPT -m comment --comment later", "-A INPUT -p tcp -m tcp -j ACCEPT --dport 22",
  "-A INPUT -m comment --comment a b -j ACCEPT", "-A INPUT ! -s 10.0.0.1,10.0.0.2 -j ACCEPT",
  "-A INPUT -p udp -m multiport --dports 1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16 -j ACCEPT",
  "-A INPUT -p tcp ! --syn -j DROP", "-A INPUT -t filter -j ACCEPT", "-A INPUT -v -j ACCEPT", "-A INPUT -n -j ACCEPT",
  "-A INPUT --proto tcp -j ACCEPT", "--append INPUT -j ACCEPT", "-A INPUT -p 999 -j ACCEPT", "-A INPUT -m icmp6 -j ACCEPT",
  "-A INPUT --in eth0 -j ACCEPT", "-A INPUT -p tcp -m tcp --dport 22 -j ACCEPT --reject-with tcp-reset", "-A INPUT -j REJECT --reject-with tcp-reset",
  "-A INPUT -m statistic --mode random --probability 0.5 -j DROP", "-A INPUT -m limit --limit 3/min --limit-burst 10 -j LOG --log-level 7",
  "-A INPUT -p udp -m udp --dport 123 -m conntrack --ctstate NEW -m comment --comment ntp -j ACCEPT",
];

const FILES: Array<[string, string]> = [
  ...LINES.map((l): [string, string] => [l, `*filter\n:INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n${l}\nCOMMIT\n`]),
  ["COMMIT with a trailing blank", "*filter\n-A INPUT -j ACCEPT\nCOMMIT \n"],
  ["indented chain declaration", "*filter\n  :X - [0:0]\nCOMMIT\n"],
  ["indented rule", "*filter\n   -A INPUT -j ACCEPT\nCOMMIT\n"],
  ["'* filter'", "* filter\n-A INPUT -j ACCEPT\nCOMMIT\n"],
  ["': X - [0:0]'", "*filter\n: X - [0:0]\n-A X -j ACCEPT\nCOMMIT\n"],
];

function restore(text: string): { ok: boolean; message: string } {
  const r = spawnSync("unshare", ["-n", "iptables-nft-restore", "--test"], { input: text, encoding: "utf8" });
  return { ok: r.status === 0, message: (r.stderr ?? "").trim().split("\n")[0] ?? "" };
}

describe.skipIf(!available)("against iptables-nft-restore --test", () => {
  test("the generated kube-proxy benchmark dump is valid restore input (ipset references aside)", () => {
    const script = path.resolve(import.meta.dirname, "../../scripts/gen-kube-iptables.mjs");
    const dir = mkdtempSync(path.join(tmpdir(), "ntp-policy-kube-oracle-"));
    const out = path.join(dir, "iptables-save");
    execFileSync(process.execPath, [script, out, "--rules", "5000"], { stdio: "pipe" });
    const text = readFileSync(out, "utf8");
    rmSync(dir, { recursive: true, force: true });
    const withoutSets = text.split("\n").filter((l) => !l.includes("--match-set")).join("\n");
    expect(restore(withoutSets)).toEqual({ ok: true, message: "" });
    expect(parseIptablesSave(text, "iptables-save", "ipv4").diagnostics).toEqual([]);
  });

  test.each(FILES)("%s", (name, text) => {
    const real = restore(text);
    const ours = parseIptablesSave(text, "t", "ipv4").diagnostics.filter((d) => d.kind === "syntax");
    const oursOk = ours.length === 0;
    if (KNOWN[name]) {
      expect(oursOk, `known difference (${KNOWN[name]}) no longer differs`).not.toBe(real.ok);
      return;
    }
    expect(oursOk, `iptables-nft-restore: ${real.ok ? "accepted" : real.message}; ours: ${ours[0]?.message ?? "accepted"}`).toBe(real.ok);
  });
});
