#!/usr/bin/env node
// Writes a synthetic, seeded iptables-save dump of a kube-proxy (iptables mode) node: the benchmark
// input for the firewall parser and analysis (~135k lines, ~15 MB for 100,000 rules).
//
//   node scripts/gen-kube-iptables.mjs OUT [--rules N] [--seed S] [--counters]
//
// Shape (as kube-proxy 1.2x writes it, pessimistic: every rule keeps its comment):
//   *mangle  KUBE-IPTABLES-HINT / canary chains
//   *filter  INPUT DROP policy with a realistic host firewall (ssh, NTP from trusted networks, rate-limited
//            NTP logging, conntrack) plus the KUBE-FIREWALL / KUBE-FORWARD / KUBE-SERVICES / KUBE-NODEPORTS
//            hooks and REJECT rules for services without endpoints
//   *nat     KUBE-SERVICES → KUBE-SVC-* (statistic random) → KUBE-SEP-* (DNAT --to-destination),
//            NodePorts via KUBE-NODEPORTS → KUBE-EXT-*, load balancer IPs, KUBE-MARK-MASQ, KUBE-POSTROUTING
// Same arguments, same bytes.
import { createWriteStream } from "node:fs";

function usage(message) {
  if (message) process.stderr.write(`gen-kube-iptables: ${message}\n`);
  process.stderr.write("usage: node scripts/gen-kube-iptables.mjs OUT [--rules N] [--seed S] [--counters]\n");
  process.exit(2);
}

const args = process.argv.slice(2);
let out = null;
let rulesWanted = 100_000;
let seed = 20240601;
let withCounters = false;
for (let i = 0; i < args.length; i++) {
  const a = args[i];
  if (a === "--rules") rulesWanted = Number(args[++i]);
  else if (a === "--seed") seed = Number(args[++i]);
  else if (a === "--counters") withCounters = true;
  else if (a === "-h" || a === "--help") usage();
  else if (a.startsWith("-")) usage(`unknown option ${a}`);
  else if (out === null) out = a;
  else usage("only one output path");
}
if (out === null) usage("missing output path");
if (!Number.isInteger(rulesWanted) || rulesWanted < 50) usage("--rules must be an integer >= 50");
if (!Number.isInteger(seed)) usage("--seed must be an integer");

// mulberry32: small, fast, seeded.
let state = seed >>> 0;
function random() {
  state = (state + 0x6d2b79f5) >>> 0;
  let t = state;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const int = (lo, hi) => lo + Math.floor(random() * (hi - lo + 1));
const pick = (xs) => xs[Math.floor(random() * xs.length)];
const B32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
const usedHashes = new Set();
function hash16() {
  for (;;) {
    let s = "";
    for (let i = 0; i < 16; i++) s += B32[Math.floor(random() * 32)];
    if (!usedHashes.has(s)) {
      usedHashes.add(s);
      return s;
    }
  }
}
const counters = () => (withCounters ? `[${int(0, 5000)}:${int(0, 900000)}] ` : "");
const chainCounters = (builtin) => (builtin && withCounters ? `[${int(0, 10_000_000)}:${int(0, 2_000_000_000)}]` : "[0:0]");

const NAMESPACES = ["default", "kube-system", "monitoring", "ingress-nginx", "payments", "search", "checkout", "auth",
  "catalog", "logging", "batch", "web", "api", "data", "ml", "cache"];
const WORDS = ["api", "web", "db", "cache", "auth", "search", "cart", "queue", "worker", "metrics", "gateway", "frontend",
  "backend", "redis", "postgres", "kafka", "zookeeper", "grafana", "prometheus", "alertmanager", "elastic", "kibana"];
const PORTS = [["http", 80, "tcp"], ["https", 443, "tcp"], ["grpc", 9090, "tcp"], ["metrics", 9100, "tcp"],
  ["dns", 53, "udp"], ["dns-tcp", 53, "tcp"], ["redis", 6379, "tcp"], ["pg", 5432, "tcp"], ["kafka", 9092, "tcp"],
  ["web", 8080, "tcp"], ["syslog", 514, "udp"], ["sctp-sig", 38412, "sctp"]];

const CLUSTER_CIDR = "10.244.0.0/16";
let svcIp = 0;
let podIp = 0;
let nodePort = 30000;
let lbIp = 0;
const nextSvcIp = () => {
  svcIp++;
  return `10.96.${(svcIp >> 8) & 255}.${svcIp & 255}`;
};
const nextPodIp = () => {
  podIp++;
  return `10.244.${(podIp >> 8) & 255}.${(podIp & 255) || 1}`;
};

// ---------------------------------------------------------------------------------------------
// Filter table (host firewall + kube hooks)

const filterRules = [];
const filterChains = ["KUBE-EXTERNAL-SERVICES", "KUBE-FIREWALL", "KUBE-FORWARD", "KUBE-KUBELET-CANARY", "KUBE-NODEPORTS",
  "KUBE-PROXY-CANARY", "KUBE-PROXY-FIREWALL", "KUBE-SERVICES", "NTP-CLIENTS"];
filterRules.push(
  '-A INPUT -m conntrack --ctstate NEW -m comment --comment "kubernetes load balancer firewall" -j KUBE-PROXY-FIREWALL',
  '-A INPUT -m comment --comment "kubernetes health check service ports" -j KUBE-NODEPORTS',
  '-A INPUT -m conntrack --ctstate NEW -m comment --comment "kubernetes externally-visible service portals" -j KUBE-EXTERNAL-SERVICES',
  "-A INPUT -j KUBE-FIREWALL",
  "-A INPUT -i lo -j ACCEPT",
  "-A INPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT",
  "-A INPUT -m conntrack --ctstate INVALID -j DROP",
  "-A INPUT -p icmp -m icmp --icmp-type 8 -m limit --limit 5/sec --limit-burst 10 -j ACCEPT",
  "-A INPUT -s 10.0.0.0/8 -p tcp -m tcp --dport 22 -m conntrack --ctstate NEW -j ACCEPT",
  "-A INPUT -p tcp -m multiport --dports 10250,10256 -m comment --comment kubelet -j ACCEPT",
  '-A INPUT -p udp -m udp --dport 123 -m comment --comment "ntp clients" -j NTP-CLIENTS',
  "-A INPUT -p udp -m udp --sport 123 --dport 123 -m conntrack --ctstate ESTABLISHED -j ACCEPT",
  "-A NTP-CLIENTS -s 10.0.0.0/8 -j ACCEPT",
  "-A NTP-CLIENTS -s 192.168.0.0/16 -j ACCEPT",
  "-A NTP-CLIENTS -s 172.16.0.0/12 -m conntrack --ctstate NEW -j ACCEPT",
  "-A NTP-CLIENTS -m set --match-set ntp-allow src -j ACCEPT",
  '-A NTP-CLIENTS -m limit --limit 3/min --limit-burst 10 -j LOG --log-prefix "ntp-drop: " --log-level 6',
  "-A NTP-CLIENTS -j DROP",
  "-A INPUT -p tcp -m tcp --dport 6443 -j ACCEPT",
  "-A INPUT -p udp -m udp --dport 8472 -m comment --comment flannel-vxlan -j ACCEPT",
  '-A FORWARD -m comment --comment "kubernetes forwarding rules" -j KUBE-FORWARD',
  '-A FORWARD -m conntrack --ctstate NEW -m comment --comment "kubernetes service portals" -j KUBE-SERVICES',
  '-A FORWARD -m conntrack --ctstate NEW -m comment --comment "kubernetes externally-visible service portals" -j KUBE-EXTERNAL-SERVICES',
  '-A OUTPUT -m conntrack --ctstate NEW -m comment --comment "kubernetes load balancer firewall" -j KUBE-PROXY-FIREWALL',
  '-A OUTPUT -m conntrack --ctstate NEW -m comment --comment "kubernetes service portals" -j KUBE-SERVICES',
  "-A OUTPUT -j KUBE-FIREWALL",
  '-A KUBE-FIREWALL ! -s 127.0.0.0/8 -d 127.0.0.0/8 -m comment --comment "block incoming localnet connections" -m conntrack ! --ctstate RELATED,ESTABLISHED,DNAT -j DROP',
  "-A KUBE-FORWARD -m conntrack --ctstate INVALID -j DROP",
  '-A KUBE-FORWARD -m comment --comment "kubernetes forwarding rules" -m mark --mark 0x4000/0x4000 -j ACCEPT',
  '-A KUBE-FORWARD -m comment --comment "kubernetes forwarding conntrack rule" -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT',
);
const FILTER_TAIL = ["-A INPUT -j REJECT --reject-with icmp-host-prohibited"];

// ---------------------------------------------------------------------------------------------
// Nat table

const natChains = ["KUBE-KUBELET-CANARY", "KUBE-MARK-MASQ", "KUBE-NODEPORTS", "KUBE-POSTROUTING", "KUBE-PROXY-CANARY",
  "KUBE-SERVICES"];
const natHead = [
  '-A PREROUTING -m comment --comment "kubernetes service portals" -j KUBE-SERVICES',
  '-A OUTPUT -m comment --comment "kubernetes service portals" -j KUBE-SERVICES',
  '-A POSTROUTING -m comment --comment "kubernetes postrouting rules" -j KUBE-POSTROUTING',
  "-A KUBE-MARK-MASQ -j MARK --set-xmark 0x4000/0x4000",
  "-A KUBE-POSTROUTING -m mark ! --mark 0x4000/0x4000 -j RETURN",
  "-A KUBE-POSTROUTING -j MARK --set-xmark 0x4000/0x0",
  '-A KUBE-POSTROUTING -m comment --comment "kubernetes service traffic requiring SNAT" -j MASQUERADE --random-fully',
];
const services = []; // KUBE-SERVICES rules
const nodeports = []; // KUBE-NODEPORTS rules
const perChain = []; // [chain, rules[]] in creation order

const fixed = filterRules.length + FILTER_TAIL.length + natHead.length + 1; // +1: the nodeports jump at the end
let total = fixed;
let svcCount = 0;
while (total < rulesWanted) {
  svcCount++;
  const ns = pick(NAMESPACES);
  const name = `${pick(WORDS)}-${svcCount}`;
  const [portName, port, proto] = pick(PORTS);
  const ip = nextSvcIp();
  const svcName = `${ns}/${name}:${portName}`;
  const svcChain = `KUBE-SVC-${hash16()}`;
  const endpoints = random() < 0.06 ? 0 : int(1, 5);
  const isNodePort = random() < 0.15;
  const isLb = isNodePort && random() < 0.3;
  const m = proto === "sctp" ? "sctp" : proto;
  if (endpoints === 0) {
    filterRules.push(
      `-A KUBE-SERVICES -d ${ip}/32 -p ${proto} -m comment --comment "${svcName} has no endpoints" -m ${m} --dport ${port} -j REJECT --reject-with icmp-port-unreachable`,
    );
    total++;
    continue;
  }
  natChains.push(svcChain);
  services.push(`-A KUBE-SERVICES -d ${ip}/32 -p ${proto} -m comment --comment "${svcName} cluster IP" -m ${m} --dport ${port} -j ${svcChain}`);
  const svcRules = [
    `-A ${svcChain} ! -s ${CLUSTER_CIDR} -d ${ip}/32 -p ${proto} -m comment --comment "${svcName} cluster IP" -m ${m} --dport ${port} -j KUBE-MARK-MASQ`,
  ];
  total += 2;
  if (isNodePort) {
    const extChain = `KUBE-EXT-${svcChain.slice(9)}`;
    natChains.push(extChain);
    const np = nodePort++;
    nodeports.push(`-A KUBE-NODEPORTS -p ${proto} -m comment --comment "${svcName}" -m ${m} --dport ${np} -j ${extChain}`);
    perChain.push([extChain, [
      `-A ${extChain} -m comment --comment "masquerade traffic for ${svcName} external destinations" -j KUBE-MARK-MASQ`,
      `-A ${extChain} -j ${svcChain}`,
    ]]);
    total += 3;
    if (isLb) {
      lbIp++;
      services.push(`-A KUBE-SERVICES -d 203.0.${(lbIp >> 8) & 255}.${lbIp & 255}/32 -p ${proto} -m comment --comment "${svcName} loadbalancer IP" -m ${m} --dport ${port} -j ${extChain}`);
      total++;
    }
  }
  const seps = [];
  for (let e = 0; e < endpoints; e++) {
    const podAddr = nextPodIp();
    const target = port === 80 || port === 443 ? 8080 + int(0, 9) : port;
    const sepChain = `KUBE-SEP-${hash16()}`;
    natChains.push(sepChain);
    const remaining = endpoints - e;
    const stat = remaining > 1 ? ` -m statistic --mode random --probability ${(1 / remaining).toFixed(11)}` : "";
    svcRules.push(`-A ${svcChain} -m comment --comment "${svcName} -> ${podAddr}:${target}"${stat} -j ${sepChain}`);
    seps.push([sepChain, [
      `-A ${sepChain} -s ${podAddr}/32 -m comment --comment "${svcName}" -j KUBE-MARK-MASQ`,
      `-A ${sepChain} -p ${proto} -m comment --comment "${svcName}" -m ${m} -j DNAT --to-destination ${podAddr}:${target}`,
    ]]);
    total += 3;
  }
  perChain.push([svcChain, svcRules], ...seps);
}

// ---------------------------------------------------------------------------------------------
// Output

const stream = createWriteStream(out);
let lines = 0;
let ruleLines = 0;
const w = (line) => {
  stream.write(`${line}\n`);
  lines++;
};
const rule = (line) => {
  w(`${counters()}${line}`);
  ruleLines++;
};
const date = "Mon Jun  3 12:00:00 2024";
const header = () => w(`# Generated by iptables-save v1.8.9 (nf_tables) on ${date}`);
const trailer = () => w(`# Completed on ${date}`);

header();
w("*mangle");
for (const c of ["PREROUTING", "INPUT", "FORWARD", "OUTPUT", "POSTROUTING"]) w(`:${c} ACCEPT ${chainCounters(true)}`);
for (const c of ["KUBE-IPTABLES-HINT", "KUBE-KUBELET-CANARY", "KUBE-PROXY-CANARY"]) w(`:${c} - [0:0]`);
w("COMMIT");
trailer();

header();
w("*filter");
w(`:INPUT DROP ${chainCounters(true)}`);
w(`:FORWARD DROP ${chainCounters(true)}`);
w(`:OUTPUT ACCEPT ${chainCounters(true)}`);
for (const c of filterChains) w(`:${c} - [0:0]`);
for (const r of filterRules) rule(r);
for (const r of FILTER_TAIL) rule(r);
w("COMMIT");
trailer();

header();
w("*nat");
for (const c of ["PREROUTING", "INPUT", "OUTPUT", "POSTROUTING"]) w(`:${c} ACCEPT ${chainCounters(true)}`);
for (const c of natChains) w(`:${c} - [0:0]`);
for (const r of natHead) rule(r);
for (const r of services) rule(r);
rule('-A KUBE-SERVICES -m comment --comment "kubernetes service nodeports; NOTE: this must be the last rule in this chain" -m addrtype --dst-type LOCAL -j KUBE-NODEPORTS');
for (const r of nodeports) rule(r);
for (const [, rs] of perChain) for (const r of rs) rule(r);
w("COMMIT");
trailer();

stream.end(() => {
  process.stderr.write(`gen-kube-iptables: ${out}: ${ruleLines} rules, ${lines} lines, ${svcCount} services (seed ${seed})\n`);
});
