/**
 * File structure of iptables-save / restore input, outside the grammar: a state machine in the style
 * of kube-proxy's ParseIPTablesDump that follows iptables-restore line by line. `*table` opens a table
 * (flushing it), `:CHAIN POLICY [c]` declares chains, command lines are applied in order (-A appends,
 * -I inserts, -D deletes, -R replaces, -N/-X/-F/-Z/-P/-E manage chains), and COMMIT closes the table.
 * The result is the ruleset as loaded, plus located diagnostics for everything restore would reject
 * (`syntax`) or that is well-formed but misplaced (`structure`). Nothing here throws for bad content.
 */
import type { Diagnostic } from "../../model/diagnostic.js";
import { evidenceText } from "../../model/diagnostic.js";
import type {
  Chain,
  Counters,
  Generator,
  IncompleteReason,
  IpFamily,
  Rule,
  Ruleset,
  SkippedLine,
  Table,
} from "../../model/iptables.js";
import type { SourceLocation } from "../../model/location.js";
import { BUILTIN_CHAINS, TARGET_MODULES, VERDICTS } from "./extensions.js";
import { IptablesLineParser } from "./line-cache.js";
import { buildRule, ruleSpecKey } from "./rule-builder.js";
import type { CommandNode, LineToken } from "./syntax.js";
import { unquote } from "./values.js";

/**
 * iptables-restore reads lines into a 10240-byte buffer (fgets): a longer line is split and mangled.
 * Such lines are rejected with a located diagnostic and never fed to the lexer or nearley, which also
 * bounds the work a hostile multi-megabyte line can cause.
 */
export const MAX_LINE_LENGTH = 10_239;

const KNOWN_TABLES = new Set(Object.keys(BUILTIN_CHAINS));

interface OpenTable {
  table: Table;
  chains: Map<string, Chain>;
  /** The `*name` line as written, for evidence. */
  text: string;
}

export interface LoadOptions {
  /** Reuse parses of identical token-type sequences (default true; tests compare both ways). */
  cache?: boolean;
  /** Share one line parser (and its cache) across files. */
  lineParser?: IptablesLineParser;
}

let sharedParser: IptablesLineParser | null = null;

export function loadRuleset(text: string, file: string, family: IpFamily, options: LoadOptions = {}): Ruleset {
  const parser =
    options.lineParser ??
    (options.cache === false ? new IptablesLineParser(false) : (sharedParser ??= new IptablesLineParser(true)));
  return new Loader(text, file, family, parser).run();
}

class Loader {
  private readonly diagnostics: Diagnostic[] = [];
  private readonly incomplete: IncompleteReason[] = [];
  private readonly skipped: SkippedLine[] = [];
  private readonly tables: Table[] = [];
  private generator: Generator | null = null;
  private open: OpenTable | null = null;
  private otherFamilyAddresses = 0;
  private otherFamilyFirst: SourceLocation | null = null;
  private lineNo = 0;
  private lineText = "";
  private ruleCount = 0;

  constructor(
    private readonly source: string,
    private readonly file: string,
    private readonly family: IpFamily,
    private readonly parser: IptablesLineParser,
  ) {}

  run(): Ruleset {
    const text = this.source.charCodeAt(0) === 0xfeff ? this.source.slice(1) : this.source;
    let start = 0;
    let lines = 0;
    while (start < text.length) {
      let end = text.indexOf("\n", start);
      if (end < 0) end = text.length;
      let stop = end;
      lines++;
      // CRLF is tolerated: it is almost always a transfer or checkout artefact (iptables-save writes LF;
      // a file deployed with CRLF would make iptables-restore choke on "filter\r").
      if (stop > start && text.charCodeAt(stop - 1) === 13) stop--;
      this.line(text.slice(start, stop), lines);
      start = end + 1;
    }
    if (this.open) {
      const { table: t, text: tableLine } = this.open;
      this.closeTable(false);
      this.diagnostics.push({
        kind: "structure",
        message: `table ${t.name} has no COMMIT (the file ends at line ${lines}): iptables-restore applies nothing of it`,
        location: t.location,
        text: evidenceText(tableLine),
      });
    }
    if (this.otherFamilyAddresses > 0 && this.otherFamilyFirst) {
      const other = this.family === "ipv4" ? "IPv6" : "IPv4";
      this.diagnostics.push({
        kind: "structure",
        message:
          `${this.otherFamilyAddresses} ${other} address${this.otherFamilyAddresses === 1 ? "" : "es"} in a file read as ` +
          `${this.family === "ipv4" ? "iptables-save (IPv4)" : "ip6tables-save (IPv6)"}: is this the ` +
          `${this.family === "ipv4" ? "ip6tables" : "iptables"} dump? ${this.family === "ipv4" ? "iptables" : "ip6tables"}-restore rejects these rules`,
        location: this.otherFamilyFirst,
      });
    }
    this.diagnostics.sort((a, b) => a.location.line - b.location.line || a.location.column - b.location.column);
    let chains = 0;
    for (const t of this.tables) chains += t.chains.length;
    return {
      family: this.family,
      file: this.file,
      tables: this.tables,
      diagnostics: this.diagnostics,
      incomplete: this.incomplete,
      generator: this.generator,
      skipped: this.skipped,
      stats: { lines, rules: this.ruleCount, chains },
    };
  }

  // ------------------------------------------------------------------------------------------
  // Diagnostics

  private loc(column: number): SourceLocation {
    return { file: this.file, line: this.lineNo, column };
  }

  private syntax(column: number, message: string, expected?: string[]): void {
    const d: Diagnostic = { kind: "syntax", message, location: this.loc(column), text: evidenceText(this.lineText) };
    if (expected && expected.length > 0) d.expected = expected;
    this.diagnostics.push(d);
    if (this.open) this.open.table.loadable = false;
  }

  private structure(location: SourceLocation, message: string, rejects = true): void {
    this.diagnostics.push({ kind: "structure", message, location, text: evidenceText(this.lineText) });
    if (rejects && this.open) this.open.table.loadable = false;
  }

  // ------------------------------------------------------------------------------------------
  // Lines

  private line(text: string, lineNo: number): void {
    this.lineNo = lineNo;
    this.lineText = text;
    if (text.length > MAX_LINE_LENGTH) {
      this.syntax(1, `line of ${text.length} characters: iptables-restore reads at most ${MAX_LINE_LENGTH} per line`);
      return;
    }
    const r = this.parser.parse(text, lineNo);
    if (!r.ok) {
      this.syntax(r.column, r.message, r.expected);
      return;
    }
    const { node, tokens } = r;
    switch (node.k) {
      case "blank":
        if (text.length > 0) this.syntax(1, "line of only blanks: iptables-restore rejects it (no command specified)");
        return;
      case "comment":
        this.comment(tokens[0]!);
        return;
      case "table":
        this.openTable(tokens, node.extra);
        return;
      case "chain":
        this.declareChain(tokens, node.policy, node.extra);
        return;
      case "commit":
        if (!this.open) {
          this.structure(this.loc(1), "COMMIT outside a table (no *table line before it)");
          return;
        }
        this.closeTable(true);
        return;
      case "command":
        if (!this.open) {
          this.structure(this.loc(tokens[0]!.col), "command outside a table (no *table line before it): iptables-restore rejects it");
          return;
        }
        this.command(node, tokens);
        return;
    }
  }

  private comment(t: LineToken): void {
    const loc = this.loc(1);
    switch (t.type) {
      case "header": {
        if (this.generator) return;
        const m = /^# Generated by (\S+)(?: v(\S+))?(?: \(([^)]*)\))?/.exec(t.text);
        if (m) {
          const backend = m[3] === "nf_tables" ? "nf_tables" : m[3] === "legacy" ? "legacy" : null;
          this.generator = { program: m[1]!, version: m[2] ?? null, backend, location: loc };
        }
        return;
      }
      case "warnLegacy":
        this.incomplete.push({
          kind: "legacy-tables-present",
          reason: "iptables-legacy tables are loaded as well and are not in this dump (iptables-legacy-save shows them)",
          location: loc,
          table: null,
        });
        return;
      case "warnIncompatible": {
        const name = /`([^']*)'/.exec(t.text)?.[1] ?? null;
        this.incomplete.push({
          kind: "nft-incompatible-table",
          reason: `table ${name ?? "?"} holds nftables rules iptables-nft cannot show ('nft list ruleset' shows them)`,
          location: loc,
          table: name,
        });
        return;
      }
      default:
        return;
    }
  }

  // ------------------------------------------------------------------------------------------
  // Tables and chains

  private openTable(tokens: readonly LineToken[], extra: readonly number[]): void {
    if (this.open) {
      const prev = this.open.table;
      this.structure(this.loc(1), `*table while table ${prev.name} is still open (no COMMIT): iptables-restore rejects this line`);
      this.closeTable(false);
    }
    // restore takes the first word after '*' (strtok), so "* filter" names the filter table.
    let name = tokens[0]!.text.slice(1);
    if (name === "" && extra.length > 0) name = tokens[extra[0]!]!.text;
    if (name === "") {
      this.syntax(1, "table name missing after '*'", ["a table name"]);
      return;
    }
    const location = this.loc(1);
    const table: Table = { name, committed: false, loadable: true, location, chains: [] };
    const chains = new Map<string, Chain>();
    for (const c of BUILTIN_CHAINS[name] ?? []) {
      const chain: Chain = { name: c, builtin: true, policy: null, declared: false, location, counters: null, rules: [] };
      chains.set(c, chain);
    }
    this.open = { table, chains, text: this.lineText };
    if (!KNOWN_TABLES.has(name)) {
      this.structure(location, `unknown table ${JSON.stringify(name)} (iptables knows filter, nat, mangle, raw, security): iptables-restore rejects it`);
    }
    const index = this.tables.findIndex((t) => t.name === name);
    if (index >= 0) {
      this.structure(
        location,
        `table ${name} appears again (first at line ${this.tables[index]!.location.line}): iptables-restore flushes it, so only this later block counts`,
        false,
      );
      this.tables[index] = table;
    } else this.tables.push(table);
  }

  private closeTable(committed: boolean): void {
    const open = this.open;
    if (!open) return;
    this.open = null;
    const { table, chains } = open;
    table.committed = committed;
    table.chains = [...chains.values()];
    if (!committed) {
      this.incomplete.push({
        kind: "uncommitted-table",
        reason: `table ${table.name} has no COMMIT: iptables-restore applies nothing of it`,
        location: table.location,
        table: table.name,
      });
    }
    // Resolve targets now that every chain of the table exists.
    for (const chain of table.chains) {
      for (const rule of chain.rules) {
        const t = rule.target;
        if (!t) continue;
        if (chains.has(t.name) && !VERDICTS.has(t.name)) t.resolution = "chain";
        else if (VERDICTS.has(t.name)) t.resolution = "verdict";
        else if (TARGET_MODULES.has(t.name)) t.resolution = "extension";
        else {
          t.resolution = "unknown";
          this.diagnostics.push({
            kind: "structure",
            message: `-${t.kind === "goto" ? "g" : "j"} ${t.name}: neither a chain of table ${table.name} nor a target ntp-policy knows`,
            location: t.location,
            text: evidenceText(rule.text),
          });
        }
        if (t.kind === "goto" && t.resolution !== "chain") {
          this.diagnostics.push({
            kind: "structure",
            message: `-g ${t.name}: goto needs a user-defined chain of table ${table.name}`,
            location: t.location,
            text: evidenceText(rule.text),
          });
        }
      }
    }
  }

  private chainNameError(name: string): string | null {
    if (name.length >= 29) return `chain name ${JSON.stringify(name)} is too long (must be under 29 characters)`;
    if (name.startsWith("-") || name.startsWith("!")) return `chain name not allowed to start with '${name[0]}'`;
    if (VERDICTS.has(name) || TARGET_MODULES.has(name)) return `chain name ${JSON.stringify(name)} clashes with a target name`;
    return null;
  }

  private declareChain(tokens: readonly LineToken[], policyIndex: number, extra: readonly number[]): void {
    if (!this.open) {
      this.structure(this.loc(1), "chain declaration outside a table (no *table line before it)");
      return;
    }
    // ":NAME POLICY [counters]", split like strtok: ": NAME POLICY" names NAME.
    const words = [policyIndex, ...extra];
    let name = tokens[0]!.text.slice(1);
    let nameCol = 2;
    if (name === "") {
      const first = words.shift()!;
      name = tokens[first]!.text;
      nameCol = tokens[first]!.col;
      if (words.length === 0) {
        this.syntax(this.lineText.length + 1, "chain declaration without a policy", ["a policy (ACCEPT, DROP or -)"]);
        return;
      }
    }
    const policyToken = tokens[words[0]!]!;
    const policy = policyToken.text;
    const countersToken = words.length > 1 ? tokens[words[1]!]! : null;
    const counters = countersToken ? parseCounters(countersToken.text) : null;
    const { chains, table } = this.open;
    const existing = chains.get(name);
    const builtin = existing?.builtin ?? false;
    if (builtin) {
      if (policy !== "ACCEPT" && policy !== "DROP" && policy !== "-") {
        this.syntax(policyToken.col, `can't set policy ${JSON.stringify(policy)} on built-in chain ${name} (ACCEPT or DROP)`, ["ACCEPT", "DROP"]);
        return;
      }
      existing!.declared = true;
      existing!.location = this.loc(1);
      if (policy !== "-") existing!.policy = policy;
      existing!.counters = counters;
      return;
    }
    const nameError = this.chainNameError(name);
    if (nameError) {
      this.syntax(nameCol, nameError);
      return;
    }
    if (policy !== "-") {
      this.structure(
        this.loc(policyToken.col),
        `user-defined chain ${name} declared with policy ${JSON.stringify(policy)}: only built-in chains have a policy ` +
          `(iptables-legacy-restore rejects this line; iptables-nft-restore ignores the policy)`,
        false,
      );
    }
    if (existing) {
      this.structure(this.loc(1), `chain ${name} is declared twice in table ${table.name} (first at line ${existing.location.line})`, false);
      existing.rules = []; // a redeclared chain is flushed
      return;
    }
    chains.set(name, { name, builtin: false, policy: null, declared: true, location: this.loc(1), counters, rules: [] });
  }

  // ------------------------------------------------------------------------------------------
  // Commands

  private command(node: CommandNode, tokens: readonly LineToken[]): void {
    const open = this.open!;
    const cmdToken = tokens[node.cmd]!;
    const args = node.args.map((i) => tokens[i]!);
    const argText = args.map((t) => unquote(t.text));
    const counters = node.counters >= 0 ? parseCounters(tokens[node.counters]!.text) : null;
    const familyToken = node.family >= 0 ? tokens[node.family]! : null;
    const first = tokens[0]!;
    const type = cmdToken.type;

    if (this.foreignLine(node, tokens, familyToken)) return;

    if (type === "cmdAppend" || type === "cmdInsert" || type === "cmdDelete" || type === "cmdReplace") {
      const chainName = argText[0]!;
      // Rule number: -I optional, -R required, -D either a number or a rule specification.
      let num: number | null = null;
      if (args.length > 1) {
        num = parseRuleNumber(argText[1]!);
        if (num === null) {
          this.syntax(args[1]!.col, `invalid rule number ${JSON.stringify(argText[1])}`);
          return;
        }
      }
      if (type === "cmdDelete" && num !== null && node.items.length > 0) {
        const it = tokens[node.items[0]!.flag]!;
        this.syntax(it.col, "-D with a rule number takes no rule specification");
        return;
      }
      const built =
        type === "cmdDelete" && num !== null
          ? null
          : buildRule(
              node.items,
              tokens,
              {
                file: this.file,
                line: this.lineNo,
                family: this.family,
                chain: chainName,
                isChain: (n) => open.chains.has(n),
              },
              this.loc(first.col),
              evidenceText(this.lineText),
              counters,
              familyToken,
            );
      if (built && !("rule" in built)) {
        this.syntax(built.column, built.message, built.expected);
        return;
      }
      for (const w of built?.warnings ?? []) this.structure(this.loc(w.column), w.message, false);
      if (built && built.legacyNegationAt !== null) {
        // Version-dependent: iptables 1.4.x/1.6.x accepted it with a warning, 1.8+ (nft and legacy)
        // rejects the line. The rule is kept (as older iptables loaded it) and the table marked.
        this.syntax(
          built.legacyNegationAt,
          "intrapositioned negation ('-s ! x', '--dport ! 123'): iptables 1.8 and later reject this line " +
            "(older versions accepted it with a warning); write '! -s x' / '! --dport 123'",
          ["an option after '!' (modern form: ! --option value)"],
        );
      }
      const rule = built?.rule ?? null;
      if (rule) this.noteOtherFamily(rule);
      let chain = open.chains.get(chainName);
      if (!chain) {
        if (type !== "cmdAppend" && type !== "cmdInsert") {
          this.structure(this.loc(args[0]!.col), `chain ${chainName} does not exist in table ${open.table.name}`);
          return;
        }
        const nameError = this.chainNameError(chainName);
        if (nameError) {
          this.syntax(args[0]!.col, nameError);
          return;
        }
        this.structure(
          this.loc(args[0]!.col),
          `rule for chain ${chainName}, which is not declared in table ${open.table.name} (no :${chainName} line or -N): iptables-restore rejects it`,
        );
        chain = { name: chainName, builtin: false, policy: null, declared: false, location: this.loc(args[0]!.col), counters: null, rules: [] };
        open.chains.set(chainName, chain);
      }
      const rules = chain.rules;
      switch (type) {
        case "cmdAppend":
          rules.push(rule!);
          this.ruleCount++;
          return;
        case "cmdInsert": {
          const at = num ?? 1;
          if (at > rules.length + 1) {
            this.structure(this.loc(args[1]!.col), `-I ${chainName} ${at}: index of insertion too big (the chain has ${rules.length} rules)`);
            return;
          }
          rules.splice(at - 1, 0, rule!);
          this.ruleCount++;
          return;
        }
        case "cmdReplace":
          if (num! > rules.length) {
            this.structure(this.loc(args[1]!.col), `-R ${chainName} ${num}: no such rule (the chain has ${rules.length} rules)`);
            return;
          }
          rules[num! - 1] = rule!;
          return;
        case "cmdDelete": {
          if (num !== null) {
            if (num > rules.length) {
              this.structure(this.loc(args[1]!.col), `-D ${chainName} ${num}: no such rule (the chain has ${rules.length} rules)`);
              return;
            }
            rules.splice(num - 1, 1);
            this.ruleCount--;
            return;
          }
          const key = ruleSpecKey(rule!);
          const index = rules.findIndex((r) => ruleSpecKey(r) === key);
          if (index < 0) {
            this.structure(this.loc(cmdToken.col), `-D ${chainName}: no rule in the chain matches this specification`);
            return;
          }
          rules.splice(index, 1);
          this.ruleCount--;
          return;
        }
      }
      return;
    }

    switch (type) {
      case "cmdNew": {
        const name = argText[0]!;
        const err = this.chainNameError(name);
        if (err) {
          this.syntax(args[0]!.col, err);
          return;
        }
        if (open.chains.has(name)) {
          this.structure(this.loc(args[0]!.col), `-N ${name}: chain already exists`);
          return;
        }
        open.chains.set(name, { name, builtin: false, policy: null, declared: true, location: this.loc(first.col), counters: null, rules: [] });
        return;
      }
      case "cmdDeleteChain": {
        const names = args.length > 0 ? [argText[0]!] : [...open.chains.values()].filter((c) => !c.builtin).map((c) => c.name);
        for (const name of names) {
          const chain = open.chains.get(name);
          if (!chain) {
            this.structure(this.loc(args[0]!.col), `-X ${name}: no such chain`);
            continue;
          }
          if (chain.builtin) {
            this.structure(this.loc(args[0]!.col), `-X ${name}: built-in chains cannot be deleted`);
            continue;
          }
          if (chain.rules.length > 0) {
            this.structure(this.loc(args[0]?.col ?? cmdToken.col), `-X ${name}: chain is not empty (flush it first)`);
            continue;
          }
          const referenced = [...open.chains.values()].some((c) => c.name !== name && c.rules.some((r) => r.target?.name === name));
          if (referenced) {
            this.structure(this.loc(args[0]?.col ?? cmdToken.col), `-X ${name}: chain is still referenced by a rule`);
            continue;
          }
          open.chains.delete(name);
        }
        return;
      }
      case "cmdFlush":
      case "cmdZero": {
        if (args.length > 0) {
          const chain = open.chains.get(argText[0]!);
          if (!chain) {
            this.structure(this.loc(args[0]!.col), `${cmdToken.text} ${argText[0]}: no such chain`);
            return;
          }
          if (args.length > 1 && parseRuleNumber(argText[1]!) === null) {
            this.syntax(args[1]!.col, `invalid rule number ${JSON.stringify(argText[1])}`);
            return;
          }
          if (type === "cmdFlush") {
            this.ruleCount -= chain.rules.length;
            chain.rules = [];
          }
          return;
        }
        if (type === "cmdFlush") {
          for (const chain of open.chains.values()) {
            this.ruleCount -= chain.rules.length;
            chain.rules = [];
          }
        }
        return;
      }
      case "cmdPolicy": {
        const [name, policy] = argText as [string, string];
        const chain = open.chains.get(name);
        if (policy !== "ACCEPT" && policy !== "DROP") {
          this.syntax(args[1]!.col, `bad policy ${JSON.stringify(policy)} (ACCEPT or DROP)`, ["ACCEPT", "DROP"]);
          return;
        }
        if (open.table.name === "nat" && policy === "DROP") {
          this.syntax(args[1]!.col, "the nat table is not intended for filtering: DROP is not allowed");
          return;
        }
        if (!chain || !chain.builtin) {
          this.structure(this.loc(args[0]!.col), `-P ${name}: only built-in chains of table ${open.table.name} have a policy`);
          return;
        }
        chain.policy = policy;
        return;
      }
      case "cmdRename": {
        const [from, to] = argText as [string, string];
        const chain = open.chains.get(from);
        if (!chain || chain.builtin) {
          this.structure(this.loc(args[0]!.col), `-E ${from}: no such user-defined chain`);
          return;
        }
        const err = this.chainNameError(to);
        if (err) {
          this.syntax(args[1]!.col, err);
          return;
        }
        if (open.chains.has(to)) {
          this.structure(this.loc(args[1]!.col), `-E ${from} ${to}: chain ${to} already exists`);
          return;
        }
        // Rebuild the map to keep creation order, and move references along (the kernel does).
        const entries = [...open.chains.entries()].map(([k, c]): [string, Chain] => (k === from ? [to, c] : [k, c]));
        chain.name = to;
        open.chains.clear();
        for (const [k, c] of entries) open.chains.set(k, c);
        for (const c of open.chains.values()) for (const r of c.rules) if (r.target?.name === from) r.target.name = to;
        return;
      }
    }
  }

  /** A whole line for the other family is ignored by restore (do_parse returns at -4/-6). */
  private foreignLine(node: CommandNode, tokens: readonly LineToken[], familyToken: LineToken | null): boolean {
    const foreign = (t: LineToken): boolean => (t.text === "-4" || t.text === "--ipv4") !== (this.family === "ipv4");
    let marker: LineToken | null = familyToken && foreign(familyToken) ? familyToken : null;
    for (const item of node.items) if (!marker && item.k === "family" && foreign(tokens[item.flag]!)) marker = tokens[item.flag]!;
    if (!marker) return false;
    this.skipped.push({
      location: this.loc(tokens[0]!.col),
      text: evidenceText(this.lineText),
      family: this.family === "ipv4" ? "ipv6" : "ipv4",
      reason: `${marker.text} line: ${this.family === "ipv4" ? "iptables" : "ip6tables"}-restore ignores it`,
    });
    return true;
  }

  private noteOtherFamily(rule: Rule): void {
    for (const a of [rule.source, rule.destination]) {
      if (a && a.otherFamily.length > 0) {
        this.otherFamilyAddresses += a.otherFamily.length;
        this.otherFamilyFirst ??= rule.location;
      }
    }
  }
}

function parseCounters(text: string): Counters | null {
  const m = /^\[(\d+):(\d+)\]$/.exec(text);
  return m ? { packets: m[1]!, bytes: m[2]! } : null;
}

function parseRuleNumber(text: string): number | null {
  if (!/^\d+$/.test(text)) return null;
  const n = Number(text);
  return n >= 1 && n <= 2_147_483_647 ? n : null;
}
