/**
 * Seeded random chrony configurations for the differential lab test: allow/deny/cmdallow/cmddeny (with and
 * without `all`, every subnet form, prefix lengths on and off chronyd's 4-bit node boundaries),
 * bindaddress/bindcmdaddress (wildcard, the lab's address, loopback), port/cmdport (default, moved, 0) and
 * -4/-6 on the command line. Each configuration comes with the probes worth sending: remote sources around
 * every subnet it names and loopback sources from inside the server.
 */
import { LAB } from "./harness.js";
import type { ChronyProbe } from "./chrony-lab.js";

export interface GeneratedChronyConfig {
  seed: number;
  text: string;
  /** chronyd command-line options (`-4`, `-6`) and the same as an /etc/sysconfig/chronyd text. */
  args: string[];
  optionsFile: string;
  ntpPort: number;
  cmdPort: number;
  probes: ChronyProbe[];
}

function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 0x100000000;
  };
}

const V4_SUBNETS = [
  "10", "10/8", "10.1", "10.1/16", "10.0.0.0/9", "10.0.0.0/10", "10.0.0.0/12", "10.1.2.3", "10.1.2", "192.0.2.0/24",
  "192.0.2.128/25", "192.0.2.1", "198.18.0.0/15", "198.18.0.2", "198.18", "0.0.0.0/0", "0/1", "128/1", "203.0.113.0/27",
];
const NESTED_V4 = ["10/8", "10.1/16", "10.1.2.3", "10.0.0.0/9", "10.0.0.0/10", "0.0.0.0/0"];
const V6_SUBNETS = ["2001:db8::/32", "2001:db8:1::/48", "2001:db8:ffff::2", "2001:db8::/33", "fd00::/8", "::/0", "2000::/3", "2001:db8:ffff::/64"];
const LOOPBACK_SUBNETS = ["127.0.0.2", "127/8", "127.0.0.1", "::1"];

/** Remote sources probed for every configuration (plus the edges of the subnets it names). */
const REMOTE_V4 = ["10.0.0.1", "10.1.2.3", "10.255.255.254", "10.128.0.1", "192.0.2.1", "192.0.2.200", "203.0.113.9", "198.18.0.2", "172.16.0.1", "9.9.9.9"];
const REMOTE_V6 = ["2001:db8::1", "2001:db8:1::5", "2001:db8:8000::1", "2001:db8:ffff::2", "fd00::1", "2400:cb00::1"];
const LOCAL = ["127.0.0.1", "127.0.0.2", "::1"];

export function generateChronyConfig(seed: number): GeneratedChronyConfig {
  const r = rng(seed * 2654435761);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const chance = (p: number): boolean => r() < p;
  const lines: string[] = [];
  const word = (w: string): string => (chance(0.1) ? w.toUpperCase() : w);

  const accessLine = (directive: string, pool: readonly string[]): string => {
    const all = chance(0.35) ? " all" : "";
    const subnet = chance(0.15) ? "" : ` ${pick(pool)}`;
    return `${word(directive)}${all}${subnet}`;
  };
  const n = Math.floor(r() * 5);
  // Half of the configurations draw from a few nested subnets, so entries overlap and their order and `all` matter.
  const v4Pool = chance(0.5) ? NESTED_V4 : V4_SUBNETS;
  for (let i = 0; i < n; i++) lines.push(accessLine(chance(0.55) ? "allow" : "deny", chance(0.7) ? v4Pool : V6_SUBNETS));
  const c = Math.floor(r() * 4);
  for (let i = 0; i < c; i++) {
    const pool = pick([V4_SUBNETS, V6_SUBNETS, LOOPBACK_SUBNETS]);
    lines.push(accessLine(chance(0.6) ? "cmdallow" : "cmddeny", pool));
  }

  const bind4 = pick([null, null, "0.0.0.0", LAB.receiver.v4, "127.0.0.1"]);
  const bind6 = pick([null, null, "::", LAB.receiver.v6, "::1"]);
  const cmd4 = pick([null, null, "0.0.0.0", LAB.receiver.v4, "127.0.0.1"]);
  const cmd6 = pick([null, null, "::", LAB.receiver.v6, "::1"]);
  if (bind4) lines.push(`bindaddress ${bind4}`);
  if (bind6) lines.push(`bindaddress ${bind6}`);
  if (cmd4) lines.push(`bindcmdaddress ${cmd4}`);
  if (cmd6) lines.push(`bindcmdaddress ${cmd6}`);
  const portChoice = pick([null, null, null, 0, 1123]);
  const cmdPortChoice = pick([null, null, null, 0, 1323]);
  if (portChoice !== null) lines.push(`${word("port")} ${portChoice}`);
  if (cmdPortChoice !== null) lines.push(`cmdport ${cmdPortChoice}`);
  // Shuffle: chronyd's result depends on the order of access lines only, which shuffling keeps varied.
  for (let i = lines.length - 1; i > 0; i--) {
    const j = Math.floor(r() * (i + 1));
    [lines[i], lines[j]] = [lines[j]!, lines[i]!];
  }
  if (chance(0.3)) lines.splice(Math.floor(r() * (lines.length + 1)), 0, "# a comment");
  const args = pick([[], [], [], ["-4"], ["-6"]]);

  const ntpPort = portChoice === null || portChoice === 0 ? 123 : portChoice;
  const cmdPort = cmdPortChoice === null || cmdPortChoice === 0 ? 323 : cmdPortChoice;
  const localDst = (family: "v4" | "v6", bound: string | null): string => {
    const loop = family === "v4" ? "127.0.0.1" : "::1";
    if (bound === null || bound === "0.0.0.0" || bound === "::") return loop;
    return bound;
  };
  const probes: ChronyProbe[] = [];
  for (const [kind, port, b4, b6] of [["ntp", ntpPort, bind4, bind6], ["cmd", cmdPort, cmd4 ?? "127.0.0.1", cmd6 ?? "::1"]] as const) {
    for (const src of [...REMOTE_V4, ...REMOTE_V6]) probes.push({ src, kind, port });
    for (const src of LOCAL) probes.push({ src, kind, port, local: true, dst: localDst(src.includes(":") ? "v6" : "v4", src.includes(":") ? b6 : b4) });
  }
  return {
    seed,
    text: `${lines.join("\n")}\n`,
    args,
    optionsFile: `OPTIONS="${args.join(" ")}"\n`,
    ntpPort,
    cmdPort,
    probes,
  };
}
