/**
 * Reading the options of one rule the way iptables' do_parse reads its argv: basic options (-p -s -d -i
 * -o -f), `-m` modules, `-j`/`-g`, counters and family markers, each checked as iptables checks it. Long
 * options are resolved to their owner by long-options.ts. A rejected line abandons the reading through
 * rule-errors.ts; nothing else throws.
 */
import type { AddressMatch, Counters, InterfaceMatch, Match, MatchOption, ProtocolMatch, Target } from "../../model/iptables.js";
import type { SourceLocation } from "../../model/location.js";
import { MATCH_MODULES, TARGET_MODULES, VERDICTS, specName, type ModuleSpec } from "./extensions.js";
import { intern } from "./interning.js";
import { addressMatch } from "./match-values.js";
import { normaliseProtocol } from "./protocols.js";
import { unquote } from "./quoting.js";
import type { RuleContext } from "./rule-builder.js";
import { fail } from "./rule-errors.js";
import type { LineToken } from "./syntax.js";

/** Longest word iptables-restore's tokenizer accepts ("Parameter too long!"). */
const MAX_WORD = 1023;

/** A module loaded on the line (a match, or the target's extension) that may receive long options. */
export interface Loaded {
  /** The options list of the model object that receives them (a Match, or the Target). */
  options: MatchOption[];
  spec: ModuleSpec | null;
  name: string;
}

/** The state of one line being read: what it has given so far. */
export class RuleReader {
  protocol: ProtocolMatch | null = null;
  source: AddressMatch | null = null;
  destination: AddressMatch | null = null;
  inInterface: InterfaceMatch | null = null;
  outInterface: InterfaceMatch | null = null;
  fragment: { negated: boolean } | null = null;
  target: Target | null = null;
  legacyNegationAt: number | null = null;
  setCounters: Counters | null = null;
  familyMarker: "-4" | "-6" | null = null;
  /** The protocol's own match was loaded implicitly (`-p udp --dport 123`). */
  protoUsed = false;
  readonly matches: Match[] = [];
  readonly loaded: Loaded[] = [];
  /** Letters of the basic options already given (-s twice is an error). */
  private seen = "";

  constructor(
    readonly tokens: readonly LineToken[],
    readonly ctx: RuleContext,
  ) {}

  loc(column: number): SourceLocation {
    return { file: this.ctx.file, line: this.ctx.line, column };
  }

  /** Token `i` as restore's tokenizer delivers it (quotes removed), within its length limit. */
  word(i: number): string {
    const t = this.tokens[i]!;
    const v = unquote(t.text);
    if (v.length > MAX_WORD) fail(t.col, `word of ${v.length} characters: iptables-restore accepts at most ${MAX_WORD}`);
    return v;
  }

  noteFamily(t: LineToken): void {
    this.familyMarker ??= t.text === "-4" || t.text === "--ipv4" ? "-4" : "-6";
  }

  noteLegacyNegation(bangIndex: number): void {
    if (bangIndex >= 0) this.legacyNegationAt ??= this.tokens[bangIndex]!.col;
  }

  /** `-c PKTS BYTES` (--set-counters): the same as a [PKTS:BYTES] prefix. */
  counters(packetsIndex: number, bytesIndex: number): void {
    const packets = this.word(packetsIndex);
    const bytes = this.word(bytesIndex);
    if (!/^\d+$/.test(packets)) fail(this.tokens[packetsIndex]!.col, "-c packet counter not numeric");
    if (!/^\d+$/.test(bytes)) fail(this.tokens[bytesIndex]!.col, "-c byte counter not numeric");
    this.setCounters = { packets, bytes };
  }

  /** -p/-s/-d/-i/-o with its value token. */
  basic(letter: string, flagCol: number, negated: boolean, valueIndex: number): void {
    if (this.seen.includes(letter)) fail(flagCol, `multiple -${letter} flags not allowed`);
    this.seen += letter;
    const valueToken = this.tokens[valueIndex]!;
    const value = this.word(valueIndex);
    if (letter === "p") {
      const p = normaliseProtocol(value);
      if (p.error) fail(valueToken.col, p.error);
      if (p.number === 0 && negated) fail(flagCol, "rule would never match protocol (! -p all)");
      this.protocol = intern(negated ? "p!" : "p", p.value, (): ProtocolMatch => ({ value: p.value, number: p.number, negated }));
    } else if (letter === "s" || letter === "d") {
      const m = addressMatch(value, negated, this.ctx.family, valueToken.col);
      if (letter === "s") this.source = m;
      else this.destination = m;
    } else {
      this.interfaceMatch(letter, flagCol, negated, value, valueToken.col);
    }
  }

  private interfaceMatch(letter: string, flagCol: number, negated: boolean, value: string, valueCol: number): void {
    if (value === "") fail(valueCol, "empty interface name");
    if (value.length > 15) fail(valueCol, `interface name ${JSON.stringify(value)} is longer than 15 characters`);
    const wildcard = value.endsWith("+");
    const m = intern(negated ? "i!" : "i", value, (): InterfaceMatch => ({
      name: value,
      wildcard,
      prefix: wildcard ? value.slice(0, -1) : value,
      negated,
    }));
    const chain = this.ctx.chain;
    if (letter === "i") {
      if (chain === "POSTROUTING" || chain === "OUTPUT") fail(flagCol, `can't use -i with ${chain}`);
      this.inInterface = m;
    } else {
      if (chain === "PREROUTING" || chain === "INPUT") fail(flagCol, `can't use -o with ${chain}`);
      this.outInterface = m;
    }
  }

  fragmentFlag(flagCol: number, negated: boolean): void {
    if (this.ctx.family === "ipv6") fail(flagCol, "-f is not supported in IPv6, use -m frag instead");
    if (this.fragment) fail(flagCol, "multiple -f flags not allowed");
    this.fragment = { negated };
  }

  matchFlag(flagCol: number, nameIndex: number): void {
    const name = this.word(nameIndex);
    if (name === "") fail(this.tokens[nameIndex]!.col, "empty match name");
    const spec = MATCH_MODULES.get(specName(name)) ?? null;
    const match: Match = { module: name, implicit: false, known: spec !== null, options: [], location: this.loc(flagCol) };
    this.matches.push(match);
    this.loaded.push({ options: match.options, spec, name });
  }

  targetFlag(flagCol: number, kind: "jump" | "goto", nameIndex: number): void {
    if (this.target) fail(flagCol, "multiple -j/-g flags not allowed");
    const name = this.word(nameIndex);
    if (name === "") fail(this.tokens[nameIndex]!.col, "invalid target name (too short)");
    if (name.length >= 29) fail(this.tokens[nameIndex]!.col, `target name ${JSON.stringify(name)} is longer than 28 characters`);
    const target: Target = { kind, name, resolution: "unknown", options: [], location: this.loc(flagCol) };
    this.target = target;
    // A chain of this table takes no options; a verdict neither; any other name loads an extension.
    if (!this.ctx.isChain(name) && !VERDICTS.has(name)) {
      this.loaded.push({ options: target.options, spec: TARGET_MODULES.get(name) ?? null, name });
    }
  }
}
