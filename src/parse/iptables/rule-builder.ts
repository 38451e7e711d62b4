/**
 * Turns the items of one parsed command line (-A/-I/-D/-R) into a model Rule, the way iptables'
 * do_parse reads its argv (rule-reader.ts for basic options, modules and targets; long-options.ts for
 * which module owns a long option), then checks what the kernel checks across options and normalises
 * the values (match-values.ts). Anything iptables-restore would reject on this line is reported as a
 * RuleError and the rule is not built.
 */
import type { AddressMatch, Counters, IpFamily, MatchOption, Rule, RulePorts } from "../../model/iptables.js";
import type { SourceLocation } from "../../model/location.js";
import { basicLetter } from "./basic-options.js";
import { implicitMatchFor, PORT_MODULES, specName } from "./extensions.js";
import { compact } from "./interning.js";
import { applyLongOption } from "./long-options.js";
import { normaliseMatches } from "./match-values.js";
import { Fail, fail, type RuleError } from "./rule-errors.js";
import { RuleReader } from "./rule-reader.js";
import type { ItemNode, LineToken } from "./syntax.js";

export type { RuleError } from "./rule-errors.js";

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

const NO_PORTS: RulePorts = Object.freeze({ sport: null, dport: null, either: null });
const NO_RANGE: Rule["ipRange"] = Object.freeze({ source: null, destination: null });

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
    const reader = new RuleReader(tokens, ctx);
    if (familyToken) reader.noteFamily(familyToken);
    // Indexed: the items are a frozen (cached) node, and for…of over a frozen array allocates per step.
    for (let i = 0; i < items.length; i++) readItem(reader, items[i]!);
    checkProtocolMatches(reader);
    return toRule(reader, location, text, counters);
  } catch (e) {
    if (e instanceof Fail) return e.error;
    throw e;
  }
}

function readItem(reader: RuleReader, item: ItemNode): void {
  const flag = reader.tokens[item.flag]!;
  switch (item.k) {
    case "family":
      return reader.noteFamily(flag);
    case "verbose":
      return;
    case "counters":
      return reader.counters(item.packets, item.bytes);
    case "basic": {
      const negatedModern = flag.type === "negBasic";
      reader.noteLegacyNegation(item.bang);
      const letter = basicLetter(negatedModern ? flag.text.replace(/^![ \t]+/, "") : flag.text);
      return reader.basic(letter, flag.col, negatedModern || item.bang >= 0, item.value);
    }
    case "frag":
      return reader.fragmentFlag(flag.col, flag.type === "negFragment");
    case "match":
      return reader.matchFlag(flag.col, item.name);
    case "target":
      return reader.targetFlag(flag.col, flag.text === "-g" || flag.text === "--goto" ? "goto" : "jump", item.name);
    case "opt":
      return applyLongOption(reader, item);
  }
}

/** Protocol matches are only valid for their protocol (the kernel refuses the rule otherwise). */
function checkProtocolMatches(reader: RuleReader): void {
  const proto = reader.protocol;
  const protoMatch = proto && !proto.negated ? implicitMatchFor(proto.value) : null;
  for (let i = 0; i < reader.matches.length; i++) {
    const m = reader.matches[i]!;
    const spec = specName(m.module);
    if (!m.implicit && (PORT_MODULES.has(spec) || spec === "icmp" || spec === "icmp6") && protoMatch !== spec) {
      fail(m.location.column, `the ${m.module} match needs -p ${spec === "icmp6" ? "ipv6-icmp" : spec}`);
    }
    if (spec === "multiport" && m.options.length > 0 && !(protoMatch && PORT_MODULES.has(protoMatch))) {
      fail(m.location.column, "multiport needs -p tcp, -p udp, -p udplite, -p sctp or -p dccp");
    }
  }
}

function toRule(reader: RuleReader, location: SourceLocation, text: string, counters: Counters | null): BuiltRule {
  for (let i = 0; i < reader.matches.length; i++) reader.matches[i]!.options = compact(reader.matches[i]!.options);
  const t = reader.target;
  if (t) t.options = compact(t.options);
  const rule: Rule = {
    location,
    text,
    familyMarker: reader.familyMarker,
    counters: reader.setCounters ?? counters,
    protocol: reader.protocol,
    source: reader.source,
    destination: reader.destination,
    inInterface: reader.inInterface,
    outInterface: reader.outInterface,
    fragment: reader.fragment,
    matches: compact(reader.matches),
    target: t,
    ports: NO_PORTS,
    conntrack: null,
    ipRange: NO_RANGE,
    legacyNegation: reader.legacyNegationAt !== null,
  };
  normaliseMatches(rule, reader.ctx.family);
  return { rule, legacyNegationAt: reader.legacyNegationAt };
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
