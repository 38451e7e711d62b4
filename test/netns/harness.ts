/**
 * Kernel lab: proves firewall claims against real netfilter.
 *
 * A lab is two private network namespaces joined by a veth pair:
 *
 *   sender ns "ntpp-<pid>-<n>-s"                    receiver ns "ntpp-<pid>-<n>-r"
 *   veth0 198.18.0.2/15, 2001:db8:ffff::2/64  <->   eth0 198.18.0.1/15, 2001:db8:ffff::1/64
 *
 * `load()` puts an iptables-save / ip6tables-save dump into the receiver's netfilter with
 * iptables-restore run inside the receiver namespace; `probe()` sends one UDP datagram per source
 * address from the sender (any source address: IP_TRANSPARENT + IP_FREEBIND, no address assigned)
 * to the receiver's address and reports which of them a socket listening in the receiver got.
 * Every packet stays inside the two namespaces; the host's own namespace is never changed.
 * See test/netns/README.md.
 */
import { execFile, spawnSync } from "node:child_process";
import { randomInt } from "node:crypto";
import { existsSync, readdirSync } from "node:fs";
import path from "node:path";
import ipaddr from "ipaddr.js";

/** Addresses of the lab. Benchmarking (RFC 2544) and documentation (RFC 3849) ranges only. */
export const LAB = {
  /** The receiver's interface; rulesets may say `-i eth0` / `-i eth+`. */
  receiverInterface: "eth0",
  senderInterface: "veth0",
  receiver: { v4: "198.18.0.1", v6: "2001:db8:ffff::1" },
  sender: { v4: "198.18.0.2", v6: "2001:db8:ffff::2" },
  /** The on-link prefixes of the veth link. */
  prefix: { v4: "198.18.0.0/15", v6: "2001:db8:ffff::/64" },
  receiverMac: "02:00:5e:00:00:01",
  senderMac: "02:00:5e:00:00:02",
} as const;

/** Namespaces created by this module are named `${NS_PREFIX}<pid>-…`. */
export const NS_PREFIX = "ntpp-";

/**
 * Which iptables binaries load the rules. "nft" = iptables-nft-restore (nf_tables with the xtables
 * compat layer, Debian's default), "legacy" = iptables-legacy-restore (the old x_tables API),
 * "default" = whatever `iptables-restore` points to.
 */
export type Backend = "nft" | "legacy" | "default";

export type Availability =
  | { ok: true; backend: Backend; python: string; ip: string }
  | { ok: false; reason: string };

/** The kernel refused a ruleset (iptables-restore exited non-zero). */
export class RulesetRejectedError extends Error {
  constructor(
    readonly family: 4 | 6,
    readonly stderr: string,
    readonly exitCode: number | null,
    backend: Backend,
  ) {
    super(
      `${family === 4 ? "iptables" : "ip6tables"}-restore (${backend}) rejected the IPv${family} ruleset ` +
        `(exit ${exitCode ?? "signal"}): ${stderr.trim() || "(no error text)"}`,
    );
    this.name = "RulesetRejectedError";
  }
}

export interface LabOptions {
  /** Overrides the backend found by netnsAvailable() (also: env NTPP_IPTABLES_BACKEND). */
  backend?: Backend;
}

export interface ProbeOptions {
  /** Source port of every datagram. Default: a random port in 1024..65535 per datagram. */
  sourcePort?: number;
  /**
   * Ports with a listening socket ([::]:port, dual-stack) in the receiver. Default: [port]. Add
   * e.g. 124 to see where a REDIRECT took the datagram (ProbeReport.delivered tells the port).
   */
  listenPorts?: number[];
  /**
   * When the receiver's IP counters cannot confirm that all datagrams arrived, stop after this
   * long without a delivery (default 25 ms)…
   */
  quietMs?: number;
  /** …but never longer than this (default 1000 ms). */
  maxMs?: number;
  /** Flush the receiver's conntrack table before sending (default true). */
  flushConntrack?: boolean;
}

export interface Delivery {
  /** The listening port that received the datagram (differs from the probed port after NAT). */
  port: number;
  /** The datagram's source address as the socket saw it (v4 as ::ffff:a.b.c.d). */
  peer: string;
  peerPort: number;
}

export interface ProbeReport {
  /** Source address (as given) → where its datagram arrived. */
  delivered: Map<string, Delivery>;
  notDelivered: string[];
  /** Source port used per source address. */
  sourcePorts: Map<string, number>;
  /** Time spent in the probe process (listen + send + drain), ms. */
  elapsedMs: number;
  /** Datagrams that arrived only after the last send (normally 0). */
  late: number;
  /** Datagrams sent per family. */
  sent: { v4: number; v6: number };
  /**
   * Packets the receiver's IPv4 / IPv6 input path counted (InReceives, before PREROUTING) during
   * the probe: ≥ sent when none was lost on the way (IPv6 may add an MLD report or so).
   */
  reachedReceiver: { v4: number; v6: number };
  /** Datagrams without the probe's payload (never expected). */
  stray: number;
  /**
   * Sources whose datagram arrived with another source address (only NAT in the receiver, e.g. an
   * SNAT in nat INPUT, should do that; anything else is a harness bug).
   */
  peerMismatch: string[];
  /** Set when the conntrack flush failed (the flows may then not all be NEW). */
  conntrackFlushError: string | null;
}

const SBIN_DIRS = ["/usr/local/sbin", "/usr/sbin", "/sbin", "/usr/local/bin", "/usr/bin", "/bin"];
const PROBE_SCRIPT = path.resolve(import.meta.dirname, "../../scripts/netns-probe.py");
const COMMAND_TIMEOUT_MS = 15_000;

function which(name: string): string | null {
  const dirs = [...(process.env.PATH ?? "").split(":").filter(Boolean), ...SBIN_DIRS];
  for (const dir of dirs) {
    const candidate = path.join(dir, name);
    if (existsSync(candidate)) return candidate;
  }
  return null;
}

interface RunResult {
  status: number | null;
  stdout: string;
  stderr: string;
  error?: Error;
}

function run(cmd: string, args: string[], input?: string): RunResult {
  const r = spawnSync(cmd, args, {
    input: input ?? "",
    encoding: "utf8",
    timeout: COMMAND_TIMEOUT_MS,
    killSignal: "SIGKILL",
    maxBuffer: 64 << 20,
  });
  const result: RunResult = { status: r.status, stdout: r.stdout ?? "", stderr: r.stderr ?? "" };
  if (r.error) result.error = r.error;
  return result;
}

function runOrThrow(cmd: string, args: string[], input?: string): string {
  const r = run(cmd, args, input);
  if (r.status !== 0) {
    const why = r.error ? r.error.message : r.stderr.trim() || `exit ${r.status ?? "signal"}`;
    throw new Error(`${cmd} ${args.join(" ")}: ${why}`);
  }
  return r.stdout;
}

function restoreBinary(backend: Backend, family: 4 | 6, what: "restore" | "save"): string {
  const base = family === 4 ? "iptables" : "ip6tables";
  const name = backend === "default" ? `${base}-${what}` : `${base}-${backend}-${what}`;
  // An absolute path: `ip netns exec` searches only PATH, which may lack the sbin directories.
  return which(name) ?? name;
}

function resolvePython(): string | null {
  const fromEnv = process.env.NTPP_PYTHON;
  if (fromEnv) return fromEnv;
  // Resolve through the interpreter itself so that version-manager shims (pyenv's bash wrapper
  // costs ~100 ms a start) are called once, not once per probe.
  const onPath = which("python3");
  if (onPath) {
    const r = run(onPath, ["-c", "import sys; print(sys.executable)"]);
    const exe = r.stdout.trim();
    if (r.status === 0 && exe && existsSync(exe)) return exe;
  }
  return existsSync("/usr/bin/python3") ? "/usr/bin/python3" : null;
}

const TRIAL_V4 = "*filter\n:INPUT DROP [0:0]\n-A INPUT -i eth0 -p udp -m udp --dport 123 -j ACCEPT\nCOMMIT\n";
const TRIAL_V6 = "*filter\n:INPUT DROP [0:0]\n-A INPUT -i eth0 -p udp -m udp --dport 123 -j ACCEPT\nCOMMIT\n";

let availability: Availability | null = null;

/**
 * Whether labs can run here: Linux, root, `ip`, python3, a namespace can be made, and
 * iptables-restore and ip6tables-restore work inside it. Also picks the backend: the env
 * NTPP_IPTABLES_BACKEND (nft | legacy | default) if set, else the first of nft, legacy, default
 * that loads a trial ruleset inside a namespace. NTPP_NETNS=0 disables the labs. Cached.
 */
export function netnsAvailable(): Availability {
  if (availability) return availability;
  availability = checkAvailability();
  return availability;
}

function checkAvailability(): Availability {
  if (process.env.NTPP_NETNS === "0") return { ok: false, reason: "disabled by NTPP_NETNS=0" };
  if (process.platform !== "linux") return { ok: false, reason: `not Linux (${process.platform})` };
  if (process.getuid?.() !== 0) return { ok: false, reason: "not root (network namespaces and iptables need root)" };
  const ip = which("ip");
  if (!ip) return { ok: false, reason: "`ip` (iproute2) not found: apt-get install -y iproute2" };
  const python = resolvePython();
  if (!python) return { ok: false, reason: "python3 not found (the probe sender/listener is scripts/netns-probe.py)" };
  if (!existsSync(PROBE_SCRIPT)) return { ok: false, reason: `missing ${PROBE_SCRIPT}` };

  const wanted = process.env.NTPP_IPTABLES_BACKEND as Backend | undefined;
  if (wanted && !["nft", "legacy", "default"].includes(wanted)) {
    return { ok: false, reason: `NTPP_IPTABLES_BACKEND=${wanted}: expected nft, legacy or default` };
  }
  const candidates: Backend[] = wanted ? [wanted] : ["nft", "legacy", "default"];
  const ns = `${NS_PREFIX}${process.pid}-check`;
  run(ip, ["netns", "del", ns]);
  const add = run(ip, ["netns", "add", ns]);
  if (add.status !== 0) {
    return { ok: false, reason: `\`ip netns add\` failed: ${add.error?.message ?? add.stderr.trim()}` };
  }
  const failures: string[] = [];
  try {
    for (const backend of candidates) {
      const bins = ([4, 6] as const).map((f) => restoreBinary(backend, f, "restore"));
      const missing = bins.filter((b) => !b.startsWith("/"));
      if (missing.length > 0) {
        failures.push(`${backend}: ${missing.join(", ")} not found`);
        continue;
      }
      const r4 = run(ip, ["netns", "exec", ns, bins[0]!], TRIAL_V4);
      const r6 = run(ip, ["netns", "exec", ns, bins[1]!], TRIAL_V6);
      if (r4.status === 0 && r6.status === 0) return { ok: true, backend, python, ip };
      failures.push(`${backend}: ${(r4.status !== 0 ? r4 : r6).stderr.trim() || "restore failed"}`);
    }
  } finally {
    run(ip, ["netns", "del", ns]);
  }
  return {
    ok: false,
    reason: `no iptables backend loads rules inside a namespace (apt-get install -y iptables): ${failures.join("; ")}`,
  };
}

/**
 * Source ranges the receiver cannot get a datagram from, whatever the rules say: the kernel drops
 * them before netfilter's INPUT (martians) or the sender cannot send from them. A differential
 * test must not draw probe sources from these.
 */
export const UNPROBEABLE_RANGES: readonly { cidr: string; why: string }[] = [
  { cidr: "0.0.0.0/8", why: "'this network' source (a martian on older kernels)" },
  { cidr: "127.0.0.0/8", why: "loopback source (the sender's kernel refuses it: EINVAL)" },
  { cidr: "224.0.0.0/4", why: "multicast: a socket bound to it sends from the interface address instead" },
  { cidr: "255.255.255.255/32", why: "limited broadcast: a socket bound to it sends from the interface address" },
  { cidr: "240.0.0.0/4", why: "class E source (a martian on older kernels)" },
  { cidr: "198.18.0.1/32", why: "the receiver's own address (a local source arriving on eth0 is a martian)" },
  { cidr: "198.19.255.255/32", why: "the lab link's broadcast: a socket bound to it sends from the interface address" },
  { cidr: "::/128", why: "unspecified source" },
  { cidr: "::1/128", why: "loopback source arriving on eth0 (dropped by the IPv6 input path)" },
  { cidr: "::ffff:0:0/96", why: "IPv4-mapped IPv6 source (cannot be sent; dropped by the IPv6 input path)" },
  { cidr: "fe80::/10", why: "link-local source (needs a zone)" },
  { cidr: "ff00::/8", why: "multicast source (EINVAL)" },
  { cidr: "2001:db8:ffff::1/128", why: "the receiver's own address" },
];
const unprobeable = UNPROBEABLE_RANGES.map((r) => ({ range: ipaddr.parseCIDR(r.cidr), why: r.why }));

let backends: Backend[] | null = null;

/**
 * Every backend that loads rules inside a namespace here (e.g. ["nft", "legacy", "default"]);
 * [] when labs are unavailable. Cached.
 */
export function availableBackends(): Backend[] {
  if (backends) return backends;
  const a = netnsAvailable();
  backends = [];
  if (!a.ok) return backends;
  const ns = `${NS_PREFIX}${process.pid}-backends`;
  run(a.ip, ["netns", "del", ns]);
  if (run(a.ip, ["netns", "add", ns]).status !== 0) return backends;
  try {
    for (const backend of ["nft", "legacy", "default"] as const) {
      const [b4, b6] = ([4, 6] as const).map((f) => restoreBinary(backend, f, "restore"));
      if (!b4!.startsWith("/") || !b6!.startsWith("/")) continue;
      const ok4 = run(a.ip, ["netns", "exec", ns, b4!], TRIAL_V4).status === 0;
      const ok6 = run(a.ip, ["netns", "exec", ns, b6!], TRIAL_V6).status === 0;
      if (ok4 && ok6) backends.push(backend);
      // Tables of one backend would still apply under the next: start each trial afresh.
      run(a.ip, ["netns", "del", ns]);
      run(a.ip, ["netns", "add", ns]);
    }
  } finally {
    run(a.ip, ["netns", "del", ns]);
  }
  return backends;
}

/** Why `address` cannot be a probe source, or null when it can. */
export function unprobeableReason(address: string): string | null {
  if (address.includes("%")) return "zone index not supported";
  if (!ipaddr.isValid(address) || (!address.includes(":") && !ipaddr.IPv4.isValidFourPartDecimal(address))) {
    return "not an IP address (dotted quad or IPv6)";
  }
  const parsed = ipaddr.parse(address);
  for (const { range, why } of unprobeable) {
    if (range[0].kind() === parsed.kind() && parsed.match(range)) return why;
  }
  return null;
}

interface LiveLab {
  names(): string[];
}
const liveLabs = new Set<LiveLab>();
let exitHookInstalled = false;
let labCounter = 0;

function installExitHook(ip: string): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once("exit", () => {
    const names = [...liveLabs].flatMap((l) => l.names());
    if (names.length > 0) run(ip, ["-force", "-batch", "-"], names.map((n) => `netns del ${n}\n`).join(""));
  });
}

/**
 * Deletes lab namespaces (`ntpp-<pid>-<n>-r|s`, `ntpp-<pid>-check|backends`) left behind by
 * processes that no longer exist (a crashed or killed run). Never touches a namespace of a live
 * process or of another naming scheme.
 * Returns the names deleted.
 */
export function cleanupStaleNamespaces(): string[] {
  const a = netnsAvailable();
  if (!a.ok || !existsSync("/run/netns")) return [];
  const stale: string[] = [];
  for (const name of readdirSync("/run/netns")) {
    const m = /^ntpp-(\d+)-(?:\d+-[rs]|check|backends)$/.exec(name);
    if (!m) continue;
    const pid = Number(m[1]);
    if (pid === process.pid) continue;
    try {
      process.kill(pid, 0);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === "ESRCH") stale.push(name);
    }
  }
  if (stale.length > 0) run(a.ip, ["-force", "-batch", "-"], stale.map((n) => `netns del ${n}\n`).join(""));
  return stale;
}

/**
 * Two namespaces and a veth pair; see the file comment. Create with `KernelLab.create()` or use
 * `withLab()`, and always `close()`.
 *
 * Every `load()` after the first rebuilds both namespaces from scratch, so each ruleset meets a
 * pristine kernel: no tables left over from an earlier ruleset (iptables-restore only replaces the
 * tables its input names), no conntrack entries or NAT bindings, no `recent` lists.
 */
export class KernelLab {
  readonly backend: Backend;
  readonly receiverNs: string;
  readonly senderNs: string;
  private readonly ip: string;
  private readonly python: string;
  private pristine = true;
  private closed = false;
  private readonly live: LiveLab;

  private constructor(availability: Extract<Availability, { ok: true }>, options: LabOptions) {
    this.backend = options.backend ?? availability.backend;
    this.ip = availability.ip;
    this.python = availability.python;
    const id = `${NS_PREFIX}${process.pid}-${++labCounter}`;
    this.receiverNs = `${id}-r`;
    this.senderNs = `${id}-s`;
    this.live = { names: () => [this.receiverNs, this.senderNs] };
  }

  /** Creates the namespaces. Throws when netnsAvailable() is not ok. */
  static create(options: LabOptions = {}): KernelLab {
    const a = netnsAvailable();
    if (!a.ok) throw new Error(`kernel lab unavailable: ${a.reason}`);
    const lab = new KernelLab(a, options);
    installExitHook(a.ip);
    liveLabs.add(lab.live);
    try {
      lab.build();
    } catch (e) {
      lab.close();
      throw e;
    }
    return lab;
  }

  /**
   * Loads the rulesets into the receiver (iptables-restore / ip6tables-restore inside it). null =
   * no rules for that family (no tables at all: everything ACCEPTed). Throws
   * RulesetRejectedError with the restore error text when the kernel refuses a ruleset.
   */
  load(v4Rules: string | null, v6Rules: string | null): void {
    this.assertOpen();
    if (!this.pristine) this.build();
    this.pristine = false;
    if (v4Rules !== null) this.restore(4, v4Rules);
    if (v6Rules !== null) this.restore(6, v6Rules);
  }

  /** iptables-save / ip6tables-save output of the receiver (the kernel's view of the rules). */
  save(): { v4: string; v6: string } {
    this.assertOpen();
    const dump = (family: 4 | 6): string =>
      runOrThrow(this.ip, ["netns", "exec", this.receiverNs, restoreBinary(this.backend, family, "save")])
        .split("\n")
        .filter((l) => !l.startsWith("#"))
        .join("\n");
    return { v4: dump(4), v6: dump(6) };
  }

  /** Runs a command inside the receiver namespace (diagnostics); returns stdout, throws on failure. */
  execInReceiver(cmd: string, args: string[], input?: string): string {
    this.assertOpen();
    return runOrThrow(this.ip, ["netns", "exec", this.receiverNs, cmd, ...args], input);
  }

  /** The sources (as given) whose datagram to `port` reached a listening socket. */
  async probe(sources: string[], port = 123, options: ProbeOptions = {}): Promise<Set<string>> {
    const report = await this.probeDetailed(sources, port, options);
    return new Set(report.delivered.keys());
  }

  /** Like probe(), with where each datagram arrived, the source ports and timings. */
  async probeDetailed(sources: string[], port = 123, options: ProbeOptions = {}): Promise<ProbeReport> {
    this.assertOpen();
    checkPort(port, "port");
    if (options.sourcePort !== undefined) checkPort(options.sourcePort, "sourcePort");
    const listenPorts = [...new Set(options.listenPorts ?? [port])];
    listenPorts.forEach((p) => checkPort(p, "listenPorts"));
    const unique = [...new Set(sources)];
    for (const s of unique) {
      const why = unprobeableReason(s);
      if (why) throw new Error(`cannot probe from ${s}: ${why}`);
    }
    const probes = unique.map((src) => {
      const v6 = ipaddr.parse(src).kind() === "ipv6";
      return {
        src,
        dst: v6 ? LAB.receiver.v6 : LAB.receiver.v4,
        sport: options.sourcePort ?? randomInt(1024, 65536),
        dport: port,
      };
    });
    const request = {
      receiver_ns: this.receiverNs,
      sender_ns: this.senderNs,
      listen_ports: listenPorts,
      quiet_ms: options.quietMs ?? 25,
      max_ms: options.maxMs ?? 1000,
      flush_conntrack: options.flushConntrack ?? true,
      probes,
    };
    const stdout = await runPython(this.python, JSON.stringify(request), request.max_ms + COMMAND_TIMEOUT_MS);
    const out = JSON.parse(stdout) as {
      delivered: { index: number; port: number; peer: string; peer_port: number }[];
      send_errors: { index: number; error: string }[];
      flush_error: string | null;
      stray: number;
      late: number;
      sent: [number, number];
      reached_ip: [number, number];
      elapsed_ms: number;
    };
    if (out.send_errors.length > 0) {
      throw new Error(`probe could not send: ${out.send_errors.map((e) => e.error).join("; ")}`);
    }
    const delivered = new Map<string, Delivery>();
    for (const d of out.delivered) {
      delivered.set(probes[d.index]!.src, { port: d.port, peer: d.peer, peerPort: d.peer_port });
    }
    return {
      delivered,
      notDelivered: unique.filter((s) => !delivered.has(s)),
      peerMismatch: [...delivered].filter(([src, d]) => !sameAddress(src, d.peer)).map(([src]) => src),
      sourcePorts: new Map(probes.map((p) => [p.src, p.sport])),
      elapsedMs: out.elapsed_ms,
      late: out.late,
      sent: { v4: out.sent[0], v6: out.sent[1] },
      reachedReceiver: { v4: out.reached_ip[0], v6: out.reached_ip[1] },
      stray: out.stray,
      conntrackFlushError: out.flush_error,
    };
  }

  /** Deletes both namespaces. Idempotent. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.destroy();
    liveLabs.delete(this.live);
  }

  private assertOpen(): void {
    if (this.closed) throw new Error("KernelLab is closed");
  }

  private destroy(): void {
    run(this.ip, ["-force", "-batch", "-"], `netns del ${this.receiverNs}\nnetns del ${this.senderNs}\n`);
  }

  /** (Re)creates both namespaces from nothing. */
  private build(): void {
    const { ip } = this;
    const R = this.receiverNs;
    const S = this.senderNs;
    // Names are ours by construction (our pid); any such namespace left over belongs to a dead
    // process that had the same pid, or to our previous build.
    this.destroy();
    runOrThrow(ip, ["-batch", "-"], `netns add ${R}\nnetns add ${S}\n`);
    // Created directly inside the namespaces: the host never sees an eth0/veth0 of ours.
    runOrThrow(ip, [
      "-n", R, "link", "add", LAB.receiverInterface, "address", LAB.receiverMac, "type", "veth",
      "peer", "name", LAB.senderInterface, "address", LAB.senderMac, "netns", S,
    ]);
    // Sysctls of these namespaces only (a shell writing /proc/sys: no procps needed). rp_filter
    // off; IPv6 on, without DAD and router advertisements, so the addresses are usable at once;
    // no forwarding (a DNAT elsewhere ends in the receiver; nothing is routed on).
    const sysctls = (dev: string): string =>
      [
        "echo 0 > /proc/sys/net/ipv4/ip_forward",
        ...["all", "default", dev].flatMap((c) => [
          `echo 0 > /proc/sys/net/ipv4/conf/${c}/rp_filter`,
          `echo 0 > /proc/sys/net/ipv6/conf/${c}/disable_ipv6`,
          `echo 0 > /proc/sys/net/ipv6/conf/${c}/forwarding`,
          `echo 0 > /proc/sys/net/ipv6/conf/${c}/accept_dad`,
          `echo 0 > /proc/sys/net/ipv6/conf/${c}/accept_ra`,
        ]),
      ].join(" && ");
    // Static neighbours: no ARP/ND needed, so a DROP policy in ip6tables INPUT (which also drops
    // neighbour solicitations) cannot stall the probe, and the first datagrams never wait in a
    // neighbour queue. Default routes both ways so that any source address works and replies
    // (REJECT's ICMP errors) stay inside the pair.
    const side = (dev: string, own: { v4: string; v6: string }, peer: { v4: string; v6: string }, peerMac: string) =>
      [
        "link set lo up",
        `link set ${dev} up`,
        `addr add ${own.v4}/15 dev ${dev}`,
        `addr add ${own.v6}/64 dev ${dev} nodad`,
        `neigh replace ${peer.v4} lladdr ${peerMac} dev ${dev} nud permanent`,
        `neigh replace ${peer.v6} lladdr ${peerMac} dev ${dev} nud permanent`,
        `route add default via ${peer.v4} dev ${dev}`,
        `route add default via ${peer.v6} dev ${dev}`,
        "",
      ].join("\n");
    // One process per side: the shell sets the sysctls, then becomes `ip -batch` reading stdin.
    const configure = (ns: string, dev: string, batch: string): void => {
      runOrThrow(ip, ["netns", "exec", ns, "sh", "-ec", `${sysctls(dev)} && exec "$0" -batch -`, ip], batch);
    };
    configure(R, LAB.receiverInterface, side(LAB.receiverInterface, LAB.receiver, LAB.sender, LAB.senderMac));
    configure(S, LAB.senderInterface, side(LAB.senderInterface, LAB.sender, LAB.receiver, LAB.receiverMac));
  }

  private restore(family: 4 | 6, rules: string): void {
    const text = rules.endsWith("\n") ? rules : `${rules}\n`;
    const r = run(this.ip, ["netns", "exec", this.receiverNs, restoreBinary(this.backend, family, "restore")], text);
    if (r.status !== 0) throw new RulesetRejectedError(family, r.error?.message ?? r.stderr, r.status, this.backend);
  }
}

function sameAddress(a: string, b: string): boolean {
  const norm = (x: string): string => {
    const p = ipaddr.parse(x);
    return p.kind() === "ipv6" && (p as ipaddr.IPv6).isIPv4MappedAddress()
      ? (p as ipaddr.IPv6).toIPv4Address().toString()
      : p.toString();
  };
  return norm(a) === norm(b);
}

function checkPort(port: number, what: string): void {
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`${what}: bad port ${port}`);
}

function runPython(python: string, input: string, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      python,
      ["-I", "-S", PROBE_SCRIPT],
      { encoding: "utf8", timeout: timeoutMs, killSignal: "SIGKILL", maxBuffer: 64 << 20 },
      (error, stdout, stderr) => {
        if (error) reject(new Error(`netns-probe.py failed: ${error.message}\n${stderr}`));
        else resolve(stdout);
      },
    );
    child.stdin?.end(input);
  });
}

/** Runs `fn` with a fresh lab and always deletes the namespaces afterwards. */
export async function withLab<T>(fn: (lab: KernelLab) => Promise<T> | T, options: LabOptions = {}): Promise<T> {
  const lab = KernelLab.create(options);
  try {
    return await fn(lab);
  } finally {
    lab.close();
  }
}
