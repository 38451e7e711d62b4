// Firewall analysis scaling (part of `npm run bench`): the time of the analysis alone (parsing
// excluded) on inputs 1×, 10× and 100× as large, and the ratio between them. Near-linear work gives a
// ratio near 10 per step; quadratic work near 100.
//  - a per-address allow list: N × `-A INPUT -s IP/32 -j ACCEPT` then the NTP rules (the FW005 shadowed-rule
//    check and the walk's reach set);
//  - N user chains each jumping to the next (the walk and the loop check without recursion).
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const { parseIptablesSave } = await import(path.join(root, "dist/parse/iptables/index.js"));
const { analyzeIptables } = await import(path.join(root, "dist/analyze/firewall/analysis.js"));
const { LOOPBACK } = await import(path.join(root, "dist/analyze/address-set.js"));

const HEAD = ["*filter", ":INPUT DROP [0:0]", ":FORWARD DROP [0:0]", ":OUTPUT ACCEPT [0:0]"];

function allowList(n) {
  const lines = [...HEAD];
  for (let i = 0; i < n; i++) lines.push(`-A INPUT -s ${10 + (i >> 16)}.${(i >> 8) & 255}.${i & 255}.1/32 -j ACCEPT`);
  lines.push("-A INPUT -s 10.0.0.0/8 -p udp -m udp --dport 123 -j DROP", "-A INPUT -p udp -m udp --dport 123 -j ACCEPT", "COMMIT", "");
  return lines.join("\n");
}

function chainOfChains(n) {
  const lines = [...HEAD];
  for (let i = 0; i < n; i++) lines.push(`:c${i} - [0:0]`);
  lines.push("-A INPUT -j c0");
  for (let i = 0; i < n - 1; i++) lines.push(`-A c${i} -j c${i + 1}`);
  lines.push(`-A c${n - 1} -s 192.0.2.0/24 -p udp -m udp --dport 123 -j ACCEPT`, "COMMIT", "");
  return lines.join("\n");
}

function analysisMs(text) {
  const ruleset = parseIptablesSave(text, "iptables-save", "ipv4");
  analyzeIptables(ruleset, LOOPBACK.ipv4, []); // warm-up
  const times = [];
  for (let k = 0; k < 3; k++) {
    const t0 = process.hrtime.bigint();
    analyzeIptables(ruleset, LOOPBACK.ipv4, []);
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  return times.sort((a, b) => a - b)[1];
}

for (const [name, make, sizes] of [
  ["per-address allow list + FW005 check", allowList, [400, 4_000, 40_000]],
  ["chain of chains (jump depth)", chainOfChains, [100, 1_000, 10_000]],
]) {
  const ms = sizes.map((n) => analysisMs(make(n)));
  const ratios = ms.slice(1).map((t, i) => (t / ms[i]).toFixed(1));
  console.log(`firewall ${name}: ${sizes.map((n, i) => `${n.toLocaleString("en")} → ${ms[i].toFixed(0)} ms`).join(", ")} (ratio per 10×: ${ratios.join(", ")})`);
}
