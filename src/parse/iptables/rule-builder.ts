/**
 * Turns the items of one parsed command line (-A/-I/-D/-R) into a model Rule, the way iptables'
 * do_parse reads its argv: basic options, `-m` modules, `-j`/`-g`, and long options given to the
 * most recent loaded module that knows them (or to an implicit protocol match). Values are
 * normalised (addresses, ports, states). Anything iptables-restore would reject on this line is
 * reported as a RuleError and the rule is not built.
 */
import type {
  AddressMatch,
  Counters,
  InterfaceMatch,
  IpFamily,
  IpRangeMatch,
  Match,
  MatchOption,
  PortSet,
  ProtocolMatch,
  Rule,
  RulePorts,
  StateSet,
  Target,
} from "../../model/iptables.js";
import type { SourceLocation } from "../../model/location.js";
import { MATCH_MODULES, TARGET_MODULES, VERDICTS, implicitMatchFor, lookupOption, type ModuleSpec } from "./extensions.js";
import type { ItemNode, LineToken } from "./syntax.js";
import { addressValue, parseAddress, rangeToPrefixes } from "./addresses.js";
import { intersectStateSets, parseStates } from "./conntrack-states.js";
import { intersectPortSets, parsePorts } from "./ports.js";
import { normaliseProtocol } from "./protocols.js";
import { unquote } from "./quoting.js";

export interface RuleError {
  column: number;
  message: string;
  expected?: string[];
}

export interface RuleContext {
  file: string;
  line: number;
  family: IpFamily;
  /** The chain the command names (for -i/-o direction checks). */
  chain: string;
  /** Is `name` a chain of the current table right now (so `-j name` loads no target extension)? */
  isChain: (name: string) => boolean;
}

export interface BuiltRule {
  rule: Rule;
  /** Where the pre-1.4.3 intrapositioned `!` was used (iptables 1.8+ rejects it), if anywhere. */
  legacyNegationAt: number | null;
}

/** Longest word iptables-restore's tokenizer accepts ("Parameter too long!"). */
const MAX_WORD = 1023;

const NO_PORTS: RulePorts = Object.freeze({ sport: null, dport: null, either: null });
const NO_RANGE: Rule["ipRange"] = Object.freeze({ source: null, destination: null });

const PORT_MODULES = new Set(["tcp", "udp", "udplite", "sctp", "dccp"]);

/** Shared empty list (frozen): most rules have no host names, no options on a target, … */
const EMPTY: never[] = Object.freeze([]) as unknown as never[];

/**
 * Interning of immutable value records (protocols, interfaces, addresses, port and state sets): a
 * kube-proxy dump repeats `-p tcp`, `--dport 53`, `! -s 10.244.0.0/16` thousands of times, and one
 * frozen object per distinct value keeps the model small and the garbage collector idle.
 * Shared records are deep-frozen: the model must never be mutated in place.
 */
const interned = new Map<string, unknown>();
const MAX_INTERNED = 200_000;

function intern<T>(key: string, make: () => T): T {
  let v = interned.get(key) as T | undefined;
  if (v === undefined) {
    v = deepFreeze(make());
    if (interned.size >= MAX_INTERNED) interned.clear();
    interned.set(key, v);
  }
  return v;
}

function deepFreeze<T>(v: T): T {
  if (v !== null && typeof v === "object" && !Object.isFrozen(v)) {
    for (const x of Object.values(v)) deepFreeze(x);
    Object.freeze(v);
  }
  return v;
}

/** Exact-size copy: arrays grown by push keep ~17 slots, which adds up over 100k rules. */
function compact<T>(a: T[]): T[] {
  return a.length === 0 ? EMPTY : a.slice();
}

/**
 * Long spellings of the basic options, for getopt's unambiguous abbreviations (`--proto tcp`).
 * The exact spellings are typed by the lexer; only abbreviations reach the option path.
 */
const BASIC_LONG: Record<string, string> = {
  protocol: "p", source: "s", src: "s", destination: "d", dst: "d", "in-interface": "i", "out-interface": "o",
  jump: "j", goto: "g", match: "m", fragment: "f",
};

/** Other long options of iptables itself: an abbreviation that reaches one of them is an error here. */
const OTHER_LONG = [
  "append", "insert", "delete", "replace", "new-chain", "new", "delete-chain", "flush", "zero", "policy", "rename-chain",
  "list", "list-rules", "check", "table", "ipv4", "ipv6", "set-counters", "verbose", "numeric", "exact", "line-numbers",
  "modprobe", "wait", "wait-interval", "help", "version",
];

/** Modules whose options may legitimately repeat (`-m policy … --next …`; old multi-range NAT). */
const REPEATABLE = new Set(["policy", "DNAT", "SNAT", "NETMAP", "SAME"]);

interface Loaded {
  /** The model object that receives options (a Match, or the Target). */
  options: MatchOption[];
  spec: ModuleSpec | null;
  name: string;
}

/** Thrown inside `build` to abandon a rejected line; not an Error, so no stack trace is captured. */
class Fail {
  constructor(readonly error: RuleError) {}
}

function fail(column: number, message: string, expected?: string[]): never {
  throw new Fail(expected ? { column, message, expected } : { column, message });
}

function basicLetter(flag: string): string {
  return flag.startsWith("--") ? BASIC_LONG[flag.slice(2)]! : flag.slice(1);
}

/** Build the rule from `items`; a RuleError when iptables-restore would reject the line. */
export function buildRule(
  items: readonly ItemNode[],
  tokens: readonly LineToken[],
  ctx: RuleContext,
  location: SourceLocation,
  text: string,
  counters: Counters | null,
  familyToken: LineToken | null,
): BuiltRule | RuleError {
  try {
    return build(items, tokens, ctx, location, text, counters, familyToken);
  } catch (e) {
    if (e instanceof Fail) return e.error;
    throw e;
  }
}

function build(
  items: readonly ItemNode[],
  tokens: readonly LineToken[],
  ctx: RuleContext,
  location: SourceLocation,
  text: string,
  counters: Counters | null,
  familyToken: LineToken | null,
): BuiltRule {
  const loc = (col: number): SourceLocation => ({ file: ctx.file, line: ctx.line, column: col });
  const word = (i: number): string => {
    const t = tokens[i]!;
    const v = unquote(t.text);
    if (v.length > MAX_WORD) fail(t.col, `word of ${v.length} characters: iptables-restore accepts at most ${MAX_WORD}`);
    return v;
  };

  let protocol: ProtocolMatch | null = null;
  let source: AddressMatch | null = null;
  let destination: AddressMatch | null = null;
  let inInterface: InterfaceMatch | null = null;
  let outInterface: InterfaceMatch | null = null;
  let fragment: { negated: boolean } | null = null;
  let target: Target | null = null;
  let legacyNegationAt: number | null = null;
  let setCounters: Counters | null = null;
  let familyMarker: "-4" | "-6" | null = null;
  let protoUsed = false;
  const matches: Match[] = [];
  const loaded: Loaded[] = [];
  // Basic options already given (-s twice is an error).
  const seen = new Set<string>();

  const noteFamily = (t: LineToken): void => {
    familyMarker ??= t.text === "-4" || t.text === "--ipv4" ? "-4" : "-6";
  };
  if (familyToken) noteFamily(familyToken);

  /** -p/-s/-d/-i/-o with its value token. */
  const basic = (letter: string, flagCol: number, negated: boolean, valueIndex: number): void => {
    if (seen.has(letter)) fail(flagCol, `multiple -${letter} flags not allowed`);
    seen.add(letter);
    const valueToken = tokens[valueIndex]!;
    const value = word(valueIndex);
    if (letter === "p") {
      const p = normaliseProtocol(value);
      if (p.error) fail(valueToken.col, p.error);
      if (p.number === 0 && negated) fail(flagCol, "rule would never match protocol (! -p all)");
      protocol = intern(`p\u0000${negated}\u0000${p.value}`, (): ProtocolMatch => ({ value: p.value, number: p.number, negated }));
    } else if (letter === "s" || letter === "d") {
      const m = addressMatch(value, negated, ctx.family, valueToken.col);
      if (letter === "s") source = m;
      else destination = m;
    } else {
      if (value === "") fail(valueToken.col, "empty interface name");
      if (value.length > 15) fail(valueToken.col, `interface name ${JSON.stringify(value)} is longer than 15 characters`);
      const wildcard = value.endsWith("+");
      const m = intern(`i\u0000${negated}\u0000${value}`, (): InterfaceMatch => ({
        name: value,
        wildcard,
        prefix: wildcard ? value.slice(0, -1) : value,
        negated,
      }));
      if (letter === "i") {
        if (ctx.chain === "POSTROUTING" || ctx.chain === "OUTPUT") fail(flagCol, `can't use -i with ${ctx.chain}`);
        inInterface = m;
      } else {
        if (ctx.chain === "PREROUTING" || ctx.chain === "INPUT") fail(flagCol, `can't use -o with ${ctx.chain}`);
        outInterface = m;
      }
    }
  };

  const fragmentFlag = (flagCol: number, negated: boolean): void => {
    if (ctx.family === "ipv6") fail(flagCol, "-f is not supported in IPv6, use -m frag instead");
    if (fragment) fail(flagCol, "multiple -f flags not allowed");
    fragment = { negated };
  };

  const matchFlag = (flagCol: number, nameIndex: number): void => {
    const name = word(nameIndex);
    if (name === "") fail(tokens[nameIndex]!.col, "empty match name");
    const spec = MATCH_MODULES.get(specName(name)) ?? null;
    const match: Match = { module: name, implicit: false, known: spec !== null, options: [], location: loc(flagCol) };
    matches.push(match);
    loaded.push({ options: match.options, spec, name });
  };

  const targetFlag = (flagCol: number, kind: "jump" | "goto", nameIndex: number): void => {
    if (target) fail(flagCol, "multiple -j/-g flags not allowed");
    const name = word(nameIndex);
    if (name === "") fail(tokens[nameIndex]!.col, "invalid target name (too short)");
    if (name.length >= 29) fail(tokens[nameIndex]!.col, `target name ${JSON.stringify(name)} is longer than 28 characters`);
    target = { kind, name, resolution: "unknown", options: [], location: loc(flagCol) };
    // A chain of this table takes no options; a verdict neither; any other name loads an extension.
    if (!ctx.isChain(name) && !VERDICTS.has(name)) {
      loaded.push({ options: target.options, spec: TARGET_MODULES.get(name) ?? null, name });
    }
  };

  for (const item of items) {
    const flag = tokens[item.flag]!;
    switch (item.k) {
      case "family":
        noteFamily(flag);
        break;
      case "verbose":
        break;
      case "counters": {
        // `-c PKTS BYTES` (--set-counters): the same as a [PKTS:BYTES] prefix.
        const packets = word(item.packets);
        const bytes = word(item.bytes);
        if (!/^\d+$/.test(packets)) fail(tokens[item.packets]!.col, "-c packet counter not numeric");
        if (!/^\d+$/.test(bytes)) fail(tokens[item.bytes]!.col, "-c byte counter not numeric");
        setCounters = { packets, bytes };
        break;
      }
      case "basic": {
        const negatedModern = flag.type === "negBasic";
        if (item.bang >= 0) legacyNegationAt ??= tokens[item.bang]!.col;
        basic(basicLetter(negatedModern ? flag.text.replace(/^![ \t]+/, "") : flag.text), flag.col, negatedModern || item.bang >= 0, item.value);
        break;
      }
      case "frag":
        fragmentFlag(flag.col, flag.type === "negFragment");
        break;
      case "match":
        matchFlag(flag.col, item.name);
        break;
      case "target":
        targetFlag(flag.col, flag.text === "-g" || flag.text === "--goto" ? "goto" : "jump", item.name);
        break;
      case "opt": {
        const negatedModern = flag.type === "negLong";
        const written = (negatedModern ? flag.text.replace(/^![ \t]+/, "") : flag.text).slice(2);
        const negated = negatedModern || item.bang >= 0;
        if (item.bang >= 0) legacyNegationAt ??= tokens[item.bang]!.col;
        let owner: Loaded | null = null;
        let name = written;
        let arity: number | null = null;
        // 1. the most recent loaded module that knows the option (getopt sees every loaded module);
        for (let i = loaded.length - 1; i >= 0 && !owner; i--) {
          const o = loaded[i]!.spec?.options.get(written);
          if (o) [owner, name, arity] = [loaded[i]!, o.name, o.arity];
        }
        // 2. … or an unambiguous abbreviation, of a loaded module's option (`--to` for DNAT's
        //    `--to-destination`) or of a basic option (`--proto` for `--protocol`);
        if (!owner) {
          const basicLetters = new Set(Object.keys(BASIC_LONG).filter((b) => b.startsWith(written)).map((b) => BASIC_LONG[b]!));
          const others = OTHER_LONG.filter((o) => o.startsWith(written));
          let moduleHit: { owner: Loaded; name: string; arity: number } | null = null;
          for (let i = loaded.length - 1; i >= 0 && !moduleHit; i--) {
            const spec = loaded[i]!.spec;
            const o = spec ? lookupOption(spec, written) : null;
            if (o) moduleHit = { owner: loaded[i]!, name: o.name, arity: o.arity };
          }
          if (basicLetters.size + others.length + (moduleHit ? 1 : 0) > 1) fail(flag.col, `option --${written} is ambiguous`);
          if (others.length === 1) fail(flag.col, `--${written} (--${others[0]}) is not allowed here`);
          if (basicLetters.size === 1) {
            const letter = [...basicLetters][0]!;
            const takes = letter === "f" ? 0 : 1;
            if (item.values.length !== takes) {
              if (item.values.length < takes) fail(flag.col, `option --${written} requires an argument`, ["value"]);
              fail(tokens[item.values[takes]!]!.col, `bad argument ${JSON.stringify(word(item.values[takes]!))}`);
            }
            if (negated && "mjg".includes(letter)) fail(flag.col, `cannot have ! before --${written}`);
            if (letter === "f") fragmentFlag(flag.col, negated);
            else if (letter === "m") matchFlag(flag.col, item.values[0]!);
            else if (letter === "j" || letter === "g") targetFlag(flag.col, letter === "g" ? "goto" : "jump", item.values[0]!);
            else basic(letter, flag.col, negated, item.values[0]!);
            break;
          }
          if (moduleHit) [owner, name, arity] = [moduleHit.owner, moduleHit.name, moduleHit.arity];
        }
        // 3. … or the protocol's own match, loaded implicitly (`-p udp --dport 123`);
        if (!owner && protocol && !protoUsed) {
          const implicit = implicitMatchFor((protocol as ProtocolMatch).value);
          const spec = implicit ? MATCH_MODULES.get(implicit) : undefined;
          const o = spec ? lookupOption(spec, written) : null;
          if (implicit && spec && o) {
            protoUsed = true;
            const match: Match = { module: implicit, implicit: true, known: true, options: [], location: loc(flag.col) };
            matches.push(match);
            owner = { options: match.options, spec, name: implicit };
            loaded.push(owner);
            [name, arity] = [o.name, o.arity];
          }
        }
        // 4. … or, open end, the most recent module ntp-policy does not know: kept verbatim.
        for (let i = loaded.length - 1; i >= 0 && !owner; i--) if (!loaded[i]!.spec) owner = loaded[i]!;
        if (!owner) fail(flag.col, `unknown option --${written}`);
        const values = item.values.map(word);
        if (arity !== null) {
          if (values.length < arity) {
            fail(flag.col, `option --${written} requires ${arity === 1 ? "an argument" : `${arity} arguments`}`, ["value"]);
          }
          if (values.length > arity) {
            const extra = tokens[item.values[arity]!]!;
            fail(extra.col, `bad argument ${JSON.stringify(values[arity])} (--${written} takes ${arity === 0 ? "no value" : arity === 1 ? "one value" : `${arity} values`})`);
          }
          if (!REPEATABLE.has(owner.name) && owner.options.some((o) => o.name === name)) {
            fail(flag.col, `${owner.name}: option --${name} can only be used once`);
          }
        }
        owner.options.push({ name, values, negated, location: loc(flag.col) });
        break;
      }
    }
  }

  const proto = protocol as ProtocolMatch | null;
  const protoMatch = proto && !proto.negated ? implicitMatchFor(proto.value) : null;
  for (const m of matches) {
    const spec = specName(m.module);
    // Protocol matches are only valid for their protocol (the kernel refuses the rule otherwise).
    if (!m.implicit && (PORT_MODULES.has(spec) || spec === "icmp" || spec === "icmp6") && protoMatch !== spec) {
      fail(m.location.column, `the ${m.module} match needs -p ${spec === "icmp6" ? "ipv6-icmp" : spec}`);
    }
    if (spec === "multiport" && m.options.length > 0 && !(protoMatch && PORT_MODULES.has(protoMatch))) {
      fail(m.location.column, "multiport needs -p tcp, -p udp, -p udplite, -p sctp or -p dccp");
    }
  }

  for (const m of matches) m.options = compact(m.options);
  const t = target as Target | null;
  if (t) t.options = compact(t.options);
  const rule: Rule = {
    location,
    text,
    familyMarker,
    counters: setCounters ?? counters,
    protocol: proto,
    source,
    destination,
    inInterface,
    outInterface,
    fragment,
    matches: compact(matches),
    target: t,
    ports: NO_PORTS,
    conntrack: null,
    ipRange: NO_RANGE,
    legacyNegation: legacyNegationAt !== null,
  };
  normaliseMatches(rule, ctx.family);
  return { rule, legacyNegationAt };
}

/** The name iptables looks up (`-m icmpv6` and `-m ipv6-icmp` load icmp6). */
function specName(module: string): string {
  return module === "icmpv6" || module === "ipv6-icmp" ? "icmp6" : module;
}

function addressMatch(value: string, negated: boolean, family: IpFamily, col: number): AddressMatch {
  const key = `a\u0000${family}\u0000${negated}\u0000${value}`;
  const known = interned.get(key) as AddressMatch | undefined;
  if (known) return known;
  const parts = value.split(",");
  if (negated && parts.length > 1) fail(col, "! not allowed with multiple source or destination IP addresses");
  const prefixes: string[] = [];
  const hostnames: string[] = [];
  const otherFamily: string[] = [];
  const nonContiguous: string[] = [];
  for (const part of parts) {
    const a = parseAddress(part, family);
    if (a.error) fail(col, a.error);
    if (a.prefix) prefixes.push(a.prefix);
    else if (a.hostname) hostnames.push(a.hostname);
    else if (a.otherFamily) otherFamily.push(a.otherFamily);
    else if (a.nonContiguous) nonContiguous.push(a.nonContiguous);
  }
  return intern(key, () => ({
    prefixes: compact(prefixes),
    negated,
    written: value,
    hostnames: compact(hostnames),
    otherFamily: compact(otherFamily),
    nonContiguous: compact(nonContiguous),
  }));
}

/** Fill `ports`, `conntrack` and `ipRange` from the known matches; value errors reject the rule. */
function normaliseMatches(rule: Rule, family: IpFamily): void {
  let sport: PortSet | null = null;
  let dport: PortSet | null = null;
  let either: PortSet | null = null;
  let states: StateSet | null = null;
  let src: IpRangeMatch | null = null;
  let dst: IpRangeMatch | null = null;
  const addPorts = (cur: PortSet | null, o: MatchOption, list: boolean): PortSet => {
    const text = o.values[0]!;
    const key = `P\u0000${list}\u0000${o.negated}\u0000${text}`;
    let set = interned.get(key) as PortSet | undefined;
    if (!set) {
      const p = parsePorts(text, list);
      if (p.error) fail(o.location.column, p.error);
      if (list && p.count > 15) fail(o.location.column, "too many ports specified (multiport takes at most 15; a range counts as 2)");
      set = intern(key, (): PortSet => ({ ranges: p.ranges, negated: o.negated, unresolved: p.unresolved }));
    }
    return cur ? intersectPortSets(cur, set) : set;
  };
  for (const m of rule.matches) {
    const module = specName(m.module);
    for (const o of m.options) {
      if (o.values.length === 0) continue; // arity already checked for known modules
      if (PORT_MODULES.has(module)) {
        if (o.name === "sport") sport = addPorts(sport, o, false);
        else if (o.name === "dport") dport = addPorts(dport, o, false);
      } else if (module === "multiport") {
        if (o.name === "sports") sport = addPorts(sport, o, true);
        else if (o.name === "dports") dport = addPorts(dport, o, true);
        else if (o.name === "ports") either = addPorts(either, o, true);
      } else if ((module === "state" && o.name === "state") || (module === "conntrack" && o.name === "ctstate")) {
        const key = `S\u0000${module}\u0000${o.negated}\u0000${o.values[0]}`;
        let set = interned.get(key) as StateSet | undefined;
        if (!set) {
          const s = parseStates(o.values[0]!, module === "conntrack");
          if (s.error) fail(o.location.column, s.error);
          set = intern(key, (): StateSet => ({ states: s.states, negated: o.negated }));
        }
        states = states ? intersectStateSets(states, set) : set;
      } else if (module === "iprange" && (o.name === "src-range" || o.name === "dst-range")) {
        const r = ipRange(o, family);
        if (o.name === "src-range") src = r;
        else dst = r;
      }
    }
  }
  if (sport || dport || either) {
    const [a, b, c] = [sport, dport, either] as Array<PortSet | null>;
    // Intern the record by the identity of its (interned or fresh) parts.
    rule.ports = a && !b && !c ? portsOnly(a, "s") : !a && b && !c ? portsOnly(b, "d") : { sport, dport, either };
  }
  rule.conntrack = states;
  if (src || dst) rule.ipRange = { source: src, destination: dst };
}

const portsRecords = new WeakMap<PortSet, { s?: RulePorts; d?: RulePorts }>();

/** One shared `{sport, dport, either}` record per interned PortSet for the common single-field case. */
function portsOnly(set: PortSet, field: "s" | "d"): RulePorts {
  if (!Object.isFrozen(set)) return field === "s" ? { sport: set, dport: null, either: null } : { sport: null, dport: set, either: null };
  let entry = portsRecords.get(set);
  if (!entry) portsRecords.set(set, (entry = {}));
  return (entry[field] ??= Object.freeze(field === "s" ? { sport: set, dport: null, either: null } : { sport: null, dport: set, either: null }));
}

function ipRange(o: MatchOption, family: IpFamily): IpRangeMatch {
  const text = o.values[0]!;
  const dash = text.indexOf("-");
  const fromText = dash < 0 ? text : text.slice(0, dash);
  const toText = dash < 0 ? text : text.slice(dash + 1);
  const from = addressValue(fromText, family);
  const to = addressValue(toText, family);
  if (from === null || to === null) fail(o.location.column, `invalid ${family === "ipv4" ? "IPv4" : "IPv6"} range ${JSON.stringify(text)}`);
  return {
    from: fromText,
    to: toText,
    prefixes: from <= to ? rangeToPrefixes(from, to, family) : [],
    negated: o.negated,
  };
}

/** A key equal for two rule specifications iptables -D would consider the same rule. */
export function ruleSpecKey(rule: Rule): string {
  const addr = (a: AddressMatch | null) => (a ? [a.negated, a.prefixes, a.hostnames, a.otherFamily, a.nonContiguous] : null);
  const opts = (os: MatchOption[]) =>
    os.map((o) => [o.name, o.values, o.negated]).sort((a, b) => (String(a[0]) < String(b[0]) ? -1 : String(a[0]) > String(b[0]) ? 1 : 0));
  return JSON.stringify([
    rule.protocol ? [rule.protocol.value, rule.protocol.negated] : null,
    addr(rule.source),
    addr(rule.destination),
    rule.inInterface ? [rule.inInterface.name, rule.inInterface.negated] : null,
    rule.outInterface ? [rule.outInterface.name, rule.outInterface.negated] : null,
    rule.fragment,
    rule.matches.map((m) => [specName(m.module), opts(m.options)]),
    rule.target ? [rule.target.kind, rule.target.name, opts(rule.target.options)] : null,
  ]);
}
