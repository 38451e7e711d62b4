/**
 * What iptables knows about its match and target extensions, as far as parsing needs it: which long
 * options each module takes and how many words follow each (iptables-extensions(8), libxt_*.c).
 *
 * The table decides which module an option belongs to (getopt merges the options of every module
 * loaded so far, so `-p tcp -m state --state NEW --dport 22` gives `--dport` to an implicit tcp
 * match) and checks arity (`--dport` with no value, `--comment a b`). Modules that are not listed are
 * kept verbatim: their options are attached to them positionally and never rejected.
 */

export interface OptionSpec {
  /** Canonical name without dashes. */
  name: string;
  /** Number of words that follow the option. */
  arity: number;
}

export interface ModuleSpec {
  name: string;
  /** Option lookup by every accepted spelling (canonical names and aliases, without dashes). */
  options: Map<string, OptionSpec>;
  /** Canonical names, for getopt-style unique-prefix matching (`--to` for `--to-destination`). */
  canonical: string[];
}

/**
 * `name[/alias…]:arity` words. Sources: iptables-extensions(8) (iptables 1.8.x) and the libxt_*.c
 * option tables; old options still accepted by 1.4.x restore are included.
 */
const MATCHES: Record<string, string> = {
  tcp: "sport/source-port:1 dport/destination-port:1 tcp-flags:2 syn:0 tcp-option:1",
  udp: "sport/source-port:1 dport/destination-port:1",
  udplite: "sport/source-port:1 dport/destination-port:1",
  sctp: "sport/source-port:1 dport/destination-port:1 chunk-types:2",
  dccp: "sport/source-port:1 dport/destination-port:1 dccp-types:1 dccp-option:1",
  icmp: "icmp-type:1",
  icmp6: "icmpv6-type:1",
  multiport: "sports/source-ports:1 dports/destination-ports:1 ports:1",
  state: "state:1",
  conntrack:
    "ctstate:1 ctproto:1 ctorigsrc:1 ctorigdst:1 ctreplsrc:1 ctrepldst:1 ctorigsrcport:1 ctorigdstport:1 " +
    "ctreplsrcport:1 ctrepldstport:1 ctstatus:1 ctexpire:1 ctdir:1",
  comment: "comment:1",
  limit: "limit:1 limit-burst:1",
  hashlimit:
    "hashlimit-upto:1 hashlimit-above:1 hashlimit-burst:1 hashlimit-mode:1 hashlimit-srcmask:1 hashlimit-dstmask:1 " +
    "hashlimit-name:1 hashlimit-htable-size:1 hashlimit-htable-max:1 hashlimit-htable-expire:1 " +
    "hashlimit-htable-gcinterval:1 hashlimit-rate-match:0 hashlimit-rate-interval:1 hashlimit:1",
  recent: "name:1 set:0 rsource:0 rdest:0 mask:1 rcheck:0 update:0 remove:0 seconds:1 reap:0 hitcount:1 rttl:0",
  addrtype: "src-type:1 dst-type:1 limit-iface-in:0 limit-iface-out:0",
  mark: "mark:1",
  connmark: "mark:1",
  owner: "uid-owner:1 gid-owner:1 socket-exists:0 suppl-groups:0 pid-owner:1 sid-owner:1 cmd-owner:1",
  physdev: "physdev-in:1 physdev-out:1 physdev-is-in:0 physdev-is-out:0 physdev-is-bridged:0",
  iprange: "src-range:1 dst-range:1",
  set:
    "match-set/set:2 return-nomatch:0 update-counters:0 update-subcounters:0 packets-eq:1 packets-lt:1 " +
    "packets-gt:1 bytes-eq:1 bytes-lt:1 bytes-gt:1",
  u32: "u32:1",
  statistic: "mode:1 probability:1 every:1 packet:1",
  string: "algo:1 from:1 to:1 string:1 hex-string:1 icase:0",
  length: "length:1",
  ttl: "ttl-eq:1 ttl-gt:1 ttl-lt:1",
  hl: "hl-eq:1 hl-gt:1 hl-lt:1",
  tos: "tos:1",
  dscp: "dscp:1 dscp-class:1",
  ecn: "ecn-tcp-cwr:0 ecn-tcp-ece:0 ecn-ip-ect:1",
  pkttype: "pkt-type:1",
  mac: "mac-source:1",
  socket: "transparent:0 nowildcard:0 restore-skmark:0",
  policy: "dir:1 pol:1 strict:0 reqid:1 spi:1 proto:1 mode:1 tunnel-src:1 tunnel-dst:1 next:0",
  rpfilter: "loose:0 validmark:0 accept-local:0 invert:0",
  connlimit: "connlimit-upto:1 connlimit-above:1 connlimit-mask:1 connlimit-saddr:0 connlimit-daddr:0",
  connbytes: "connbytes:1 connbytes-dir:1 connbytes-mode:1",
  helper: "helper:1",
  time: "datestart:1 datestop:1 timestart:1 timestop:1 monthdays:1 weekdays:1 contiguous:0 kerneltz:0 utc:0 localtz:0",
  frag: "fragid:1 fraglen:1 fragres:0 fragfirst:0 fragmore:0 fraglast:0",
  ipv6header: "header:1 soft:0",
  rt: "rt-type:1 rt-segsleft:1 rt-len:1 rt-0-res:0 rt-0-addrs:1 rt-0-not-strict:0",
  hbh: "hbh-len:1 hbh-opts:1",
  dst: "dst-len:1 dst-opts:1",
  mh: "mh-type:1",
  eui64: "",
  ah: "ahspi:1 ahlen:1 ahres:0",
  esp: "espspi:1",
  devgroup: "src-group:1 dst-group:1",
  cgroup: "path:1 cgroup:1",
  cpu: "cpu:1",
  quota: "quota:1",
  realm: "realm:1",
  tcpmss: "mss:1",
  nfacct: "nfacct-name:1",
  bpf: "bytecode:1 object-pinned:1",
  osf: "genre:1 ttl:1 log:1",
  ipvs: "ipvs:0 vproto:1 vaddr:1 vport:1 vdir:1 vmethod:1 vportctl:1",
  cluster: "cluster-total-nodes:1 cluster-local-node:1 cluster-local-nodemask:1 cluster-hash-seed:1",
  connlabel: "label:1 set:0",
  rateest:
    "rateest:1 rateest1:1 rateest2:1 rateest-delta:0 rateest-bps:0 rateest-pps:0 rateest-bps1:0 rateest-bps2:0 " +
    "rateest-pps1:0 rateest-pps2:0 rateest-lt:0 rateest-gt:0 rateest-eq:0",
  ipcomp: "ipcompspi:1 compres:0",
};

const TARGETS: Record<string, string> = {
  REJECT: "reject-with:1",
  LOG: "log-level:1 log-prefix:1 log-tcp-sequence:0 log-tcp-options:0 log-ip-options:0 log-uid:0 log-macdecode:0",
  ULOG: "ulog-nlgroup:1 ulog-prefix:1 ulog-cprange:1 ulog-qthreshold:1",
  NFLOG: "nflog-group:1 nflog-prefix:1 nflog-range:1 nflog-size:1 nflog-threshold:1",
  DNAT: "to-destination:1 random:0 persistent:0 random-fully:0",
  SNAT: "to-source:1 random:0 random-fully:0 persistent:0",
  MASQUERADE: "to-ports:1 random:0 random-fully:0",
  REDIRECT: "to-ports:1 random:0",
  NETMAP: "to:1",
  MARK: "set-mark:1 set-xmark:1 and-mark:1 or-mark:1 xor-mark:1",
  CONNMARK:
    "set-mark:1 set-xmark:1 save-mark:0 restore-mark:0 nfmask:1 ctmask:1 mask:1 and-mark:1 or-mark:1 xor-mark:1",
  CT: "notrack:0 helper:1 ctevents:1 expevents:1 zone:1 zone-orig:1 zone-reply:1 timeout:1",
  NOTRACK: "",
  TCPMSS: "set-mss:1 clamp-mss-to-pmtu:0",
  CHECKSUM: "checksum-fill:0",
  TPROXY: "on-port:1 on-ip:1 tproxy-mark:1",
  NFQUEUE: "queue-num:1 queue-balance:1 queue-bypass:0 fail-open:0 queue-cpu-fanout:0",
  TEE: "gateway:1",
  DSCP: "set-dscp:1 set-dscp-class:1",
  TOS: "set-tos:1 and-tos:1 or-tos:1 xor-tos:1",
  TTL: "ttl-set:1 ttl-dec:1 ttl-inc:1",
  HL: "hl-set:1 hl-dec:1 hl-inc:1",
  SET: "add-set:2 del-set:2 map-set:2 timeout:1 exist:0 map-mark:0 map-prio:0 map-queue:0",
  CLASSIFY: "set-class:1",
  SECMARK: "selctx:1",
  CONNSECMARK: "save:0 restore:0",
  AUDIT: "type:1",
  IDLETIMER: "timeout:1 label:1 alarm:0",
  LED: "led-trigger-id:1 led-delay:1 led-always-blink:0",
  SYNPROXY: "mss:1 wscale:1 sack-perm:0 timestamp:0 ecn:0",
  TRACE: "",
  ECN: "ecn-tcp-remove:0",
  RATEEST: "rateest-name:1 rateest-interval:1 rateest-ewmalog:1",
  CLUSTERIP: "new:0 hashmode:1 clustermac:1 total-nodes:1 local-node:1 hash-init:1",
  TCPOPTSTRIP: "strip-options:1",
  MIRROR: "",
  SAME: "to:1 nodst:0 random:0",
};

/** Targets that are verdicts of the standard target (no extension is loaded for them). */
export const VERDICTS = new Set(["ACCEPT", "DROP", "RETURN", "QUEUE"]);

function build(source: Record<string, string>): Map<string, ModuleSpec> {
  const out = new Map<string, ModuleSpec>();
  for (const [module, spec] of Object.entries(source)) {
    const options = new Map<string, OptionSpec>();
    const canonical: string[] = [];
    for (const word of spec.split(/\s+/).filter(Boolean)) {
      const [names, arity] = word.split(":") as [string, string];
      const [name, ...aliases] = names.split("/") as [string, ...string[]];
      const option: OptionSpec = { name, arity: Number(arity) };
      canonical.push(name);
      options.set(name, option);
      for (const alias of aliases) options.set(alias, option);
    }
    out.set(module, { name: module, options, canonical });
  }
  return out;
}

export const MATCH_MODULES: ReadonlyMap<string, ModuleSpec> = build(MATCHES);
export const TARGET_MODULES: ReadonlyMap<string, ModuleSpec> = build(TARGETS);

/**
 * The match a protocol loads implicitly (`-p tcp --dport 22` loads `tcp`). iptables looks the
 * protocol name up as a match name; numbers are first turned into names.
 */
export function implicitMatchFor(protocol: string): string | null {
  switch (protocol) {
    case "tcp":
    case "udp":
    case "udplite":
    case "sctp":
    case "dccp":
    case "icmp":
    case "esp":
    case "ah":
    case "mh":
      return protocol;
    case "ipv6-icmp":
    case "icmpv6":
    case "icmp6":
      return "icmp6";
    case "ipv6-mh":
      return "mh";
    default:
      return null;
  }
}

/** Resolve `name` (without dashes) in a module: exact spelling first, then a unique prefix. */
export function lookupOption(spec: ModuleSpec, name: string): OptionSpec | null {
  const exact = spec.options.get(name);
  if (exact) return exact;
  let found: OptionSpec | null = null;
  for (const canonical of spec.canonical) {
    if (canonical.startsWith(name)) {
      if (found && found.name !== canonical) return null; // ambiguous abbreviation
      found = spec.options.get(canonical) ?? null;
    }
  }
  return found;
}

/** Built-in chains per table, in kernel order. */
export const BUILTIN_CHAINS: Readonly<Record<string, readonly string[]>> = {
  filter: ["INPUT", "FORWARD", "OUTPUT"],
  nat: ["PREROUTING", "INPUT", "OUTPUT", "POSTROUTING"],
  mangle: ["PREROUTING", "INPUT", "FORWARD", "OUTPUT", "POSTROUTING"],
  raw: ["PREROUTING", "OUTPUT"],
  security: ["INPUT", "FORWARD", "OUTPUT"],
};

/** The name iptables looks up (`-m icmpv6` and `-m ipv6-icmp` load icmp6). */
export function specName(module: string): string {
  return module === "icmpv6" || module === "ipv6-icmp" ? "icmp6" : module;
}

/** Match modules that take `--sport`/`--dport` (each valid only with its own `-p`). */
export const PORT_MODULES: ReadonlySet<string> = new Set(["tcp", "udp", "udplite", "sctp", "dccp"]);
