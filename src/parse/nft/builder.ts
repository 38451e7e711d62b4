/**
 * Applies parsed nft statements, in input order, to the ruleset they describe — what the kernel holds
 * after `nft -f` (table blocks and flat `add`/`insert`/`delete`/`flush` commands alike). References that
 * nft would refuse (a rule for a missing chain, `jump` to a chain that does not exist, `@set` that was
 * never declared) become `structure` diagnostics.
 */
import type { Diagnostic } from "../../model/diagnostic.js";
import type {
  NftChain,
  NftFamily,
  NftLocation,
  NftRule,
  NftRuleItem,
  NftRuleset,
  NftSet,
  NftSetElement,
  NftTable,
  NftValue,
} from "../../model/nft.js";
import { NFT_FAMILIES } from "../../model/nft.js";
import { resolvePriority } from "./priority.js";
import { ruleProblems } from "./rule-checks.js";
import type { NftContext, StatementNode } from "./statement-parser.js";

type Node = StatementNode & Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export class RulesetBuilder {
  private readonly tables: NftTable[] = [];
  private readonly diagnostics: Diagnostic[] = [];
  /** The table / chain / set whose block is open. */
  private table: NftTable | null = null;
  private chain: NftChain | null = null;
  private set: NftSet | null = null;

  apply(context: NftContext, node: Node): void {
    switch (context) {
      case "top":
        return this.top(node);
      case "table":
        return this.inTable(node);
      case "chain":
        return this.inChain(node);
      case "set":
        return this.inSet(node);
    }
  }

  close(context: NftContext): void {
    if (context === "table") this.table = null;
    else if (context === "chain") {
      this.chain = null;
      if (this.tableOpenedFlat) {
        this.table = null;
        this.tableOpenedFlat = false;
      }
    } else if (context === "set") {
      this.set = null;
      if (this.tableOpenedFlat) {
        this.table = null;
        this.tableOpenedFlat = false;
      }
    }
  }

  /** True while a chain/set block was opened by a flat `add chain inet t c {` (no table block around it). */
  private tableOpenedFlat = false;

  finish(): Omit<NftRuleset, "files"> {
    for (const table of this.tables) {
      const chains = new Set(table.chains.map((c) => c.name));
      const sets = new Set(table.sets.map((s) => s.name));
      for (const chain of table.chains) {
        for (const rule of chain.rules) {
          for (const item of rule.items) this.checkReferences(item, chains, sets, table);
          for (const problem of ruleProblems(rule)) this.structure(problem.loc, problem.message);
        }
      }
    }
    return { tables: this.tables, diagnostics: this.diagnostics };
  }

  private checkReferences(item: NftRuleItem, chains: Set<string>, sets: Set<string>, table: NftTable): void {
    if (item.k === "verdict" && (item.verdict === "jump" || item.verdict === "goto") && item.target !== undefined) {
      if (!chains.has(item.target)) this.structure(item.loc, `${item.verdict} to chain "${item.target}", which table ${table.family} ${table.name} does not have`);
    }
    const refs: string[] = [];
    if (item.k === "match") collectSetRefs(item.right, refs);
    if (item.k === "vmap") collectSetRefs(item.map, refs);
    if (item.k === "vmap" && item.map.k === "set") {
      for (const e of item.map.elements) {
        const v = e.value;
        if (v && v.k === "verdict" && (v.verdict === "jump" || v.verdict === "goto") && v.target && !chains.has(v.target)) {
          this.structure(item.loc, `${v.verdict} to chain "${v.target}", which table ${table.family} ${table.name} does not have`);
        }
      }
    }
    for (const name of refs) {
      if (!sets.has(name)) this.structure(item.loc, `set @${name} is not declared in table ${table.family} ${table.name}`);
    }
  }

  // ------------------------------------------------------------------------------------------ top level
  private top(node: Node): void {
    const loc = node.loc as NftLocation;
    const family = (node.family ?? "ip") as NftFamily;
    switch (node.s) {
      case "flushRuleset": {
        const keep = this.tables.filter((t) => node.family !== undefined && t.family !== node.family);
        this.tables.splice(0, this.tables.length, ...keep);
        return;
      }
      case "table": {
        if (node.verb === "add" || node.verb === "create") {
          const existing = this.findTable(family, node.name);
          if (existing && node.verb === "create") this.structure(loc, `create table: ${family} ${node.name} already exists`);
          this.table = existing ?? this.addTable(family, node.name, loc);
          if (!node.block) this.table = null;
          return;
        }
        const table = this.needTable(family, node.name, loc, node.verb);
        if (!table) return;
        if (node.verb === "delete" || node.verb === "destroy") this.tables.splice(this.tables.indexOf(table), 1);
        else if (node.verb === "flush") for (const c of table.chains) c.rules = [];
        return;
      }
      case "chain": {
        const table = this.needTable(family, node.table, loc, `${node.verb} chain`);
        if (!table) return;
        if (node.verb === "add" || node.verb === "create") {
          const existing = table.chains.find((c) => c.name === node.name);
          if (existing && node.verb === "create") this.structure(loc, `create chain: ${node.name} already exists`);
          const chain = existing ?? this.addChain(table, node.name, loc);
          if (node.block) {
            this.table = table;
            this.chain = chain;
            this.tableOpenedFlat = true;
          }
          return;
        }
        const missing = `${node.verb} chain: ${table.family} ${table.name} has no chain "${node.name}"`;
        this.dropOrFlush(table.chains, node.name, node.verb, loc, missing, (c) => (c.rules = []));
        return;
      }
      case "set": {
        const table = this.needTable(family, node.table, loc, `${node.verb} ${node.map ? "map" : "set"}`);
        if (!table) return;
        if (node.verb === "add" || node.verb === "create") {
          const existing = table.sets.find((s) => s.name === node.name);
          const set = existing ?? addSet(table, node.name, node.map, loc);
          if (node.block) {
            this.table = table;
            this.set = set;
            this.tableOpenedFlat = true;
          }
          return;
        }
        const missing = `${node.verb}: ${table.family} ${table.name} has no set "${node.name}"`;
        this.dropOrFlush(table.sets, node.name, node.verb, loc, missing, (s) => (s.elements = []));
        return;
      }
      case "element": {
        const table = this.needTable(family, node.table, loc, `${node.verb} element`);
        const set = table?.sets.find((s) => s.name === node.set);
        if (!table) return;
        if (!set) {
          this.structure(loc, `${node.verb} element: ${table.family} ${table.name} has no set "${node.set}"`);
          return;
        }
        const elements = node.elements as NftSetElement[];
        if (node.verb === "add" || node.verb === "create") set.elements.push(...elements);
        else {
          const drop = new Set(elements.map((e) => JSON.stringify(e.key)));
          set.elements = set.elements.filter((e) => !drop.has(JSON.stringify(e.key)));
        }
        return;
      }
      case "rule": {
        const table = this.needTable(family, node.table, loc, `${node.verb} rule`);
        if (!table) return;
        const chain = table.chains.find((c) => c.name === node.chain);
        if (!chain) {
          this.structure(loc, `${node.verb} rule: ${table.family} ${table.name} has no chain "${node.chain}"`);
          return;
        }
        const rule = makeRule(node.items as RawItem[], loc);
        if (node.position !== undefined) {
          // Handles and positions refer to kernel state a file does not show; the rule is kept at the end
          // (insert: at the start) and the reader is told.
          this.structure(loc, `${node.verb} rule ${node.position.kind} ${node.position.value}: rule handles are not known offline; placed at the ${node.verb === "insert" ? "start" : "end"} of the chain`);
        }
        if (node.verb === "replace") {
          this.structure(loc, "replace rule: rule handles are not known offline; the rule is added at the end of the chain");
        }
        if (node.verb === "insert") chain.rules.unshift(rule);
        else chain.rules.push(rule);
        return;
      }
      case "cmd":
        if (node.verb === "list" || node.verb === "reset") return;
        this.structure(loc, `${node.verb} ${node.object} by handle: handles are not known offline; not applied`);
        return;
      case "object":
        return;
    }
  }

  // ------------------------------------------------------------------------------------------ blocks
  private inTable(node: Node): void {
    const table = this.table;
    if (!table) return;
    const loc = node.loc as NftLocation;
    switch (node.s) {
      case "chain":
        this.chain = table.chains.find((c) => c.name === node.name) ?? this.addChain(table, node.name, loc);
        return;
      case "set":
        this.set = table.sets.find((s) => s.name === node.name) ?? addSet(table, node.name, node.map, loc);
        return;
      case "tableFlags":
        table.flags.push(...(node.flags as string[]));
        return;
      default:
        return;
    }
  }

  private inChain(node: Node): void {
    const chain = this.chain;
    const table = this.table;
    if (!chain || !table) return;
    const loc = node.loc as NftLocation;
    switch (node.s) {
      case "chainType": {
        const devices = node.devices ? valueWords(node.devices as NftValue) : chain.base?.devices;
        chain.base = {
          type: node.type,
          hook: node.hook,
          priorityText: node.priorityText,
          priority: resolvePriority(node.priorityText, table.family),
          ...(devices ? { devices } : {}),
          loc,
        };
        if (chain.base.priority === null) this.structure(loc, `priority "${node.priorityText}" is not a number or a standard priority of family ${table.family}`);
        chain.policy ??= "accept";
        return;
      }
      case "policy":
        chain.policy = node.policy;
        if (!chain.base) this.structure(loc, "policy on a chain that is not a base chain (write `type … hook … priority …;` first)");
        return;
      case "devices":
        if (chain.base) chain.base.devices = valueWords(node.devices as NftValue);
        return;
      case "comment":
        chain.comment = node.text;
        return;
      case "rule":
        chain.rules.push(makeRule(node.items as RawItem[], loc));
        return;
      default:
        return;
    }
  }

  private inSet(node: Node): void {
    const set = this.set;
    if (!set) return;
    switch (node.s) {
      case "setType":
        set.keyType = node.keyType;
        if (node.dataType !== undefined) set.dataType = node.dataType;
        if (node.typeof) set.typeof = true;
        return;
      case "setFlags":
        set.flags.push(...(node.flags as string[]));
        return;
      case "elements":
        set.elements.push(...(node.elements as NftSetElement[]));
        return;
      case "setOption":
        if (node.option === "timeout") set.timeout = node.value;
        return;
      default:
        return;
    }
  }

  // ------------------------------------------------------------------------------------------ helpers
  private findTable(family: NftFamily, name: string): NftTable | undefined {
    return this.tables.find((t) => t.family === family && t.name === name);
  }

  private needTable(family: NftFamily, name: string, loc: NftLocation, what: string): NftTable | null {
    if (!(NFT_FAMILIES as readonly string[]).includes(family)) {
      this.structure(loc, `unknown family "${family}"`);
      return null;
    }
    const table = this.findTable(family, name);
    if (!table && !what.startsWith("destroy")) this.structure(loc, `${what}: there is no table ${family} ${name}`);
    return table ?? null;
  }

  private addTable(family: NftFamily, name: string, loc: NftLocation): NftTable {
    const table: NftTable = { family, name, chains: [], sets: [], flags: [], loc };
    this.tables.push(table);
    return table;
  }

  private addChain(table: NftTable, name: string, loc: NftLocation): NftChain {
    const chain: NftChain = { name, rules: [], loc };
    table.chains.push(chain);
    return chain;
  }

  /**
   * `delete`/`destroy` removes the named chain or set, `flush` empties it; a missing one is a structure
   * error (`missing`), except for `destroy`, which nft defines to accept a missing object.
   */
  private dropOrFlush<T extends { name: string }>(list: T[], name: string, verb: string, loc: NftLocation, missing: string, flush: (o: T) => void): void {
    const found = list.find((o) => o.name === name);
    if (!found) {
      if (verb !== "destroy") this.structure(loc, missing);
      return;
    }
    if (verb === "delete" || verb === "destroy") list.splice(list.indexOf(found), 1);
    else if (verb === "flush") flush(found);
  }

  private structure(location: NftLocation, message: string): void {
    this.diagnostics.push({ kind: "structure", message, location });
  }
}

type RawItem = NftRuleItem | { k: "comment"; text: string; loc: NftLocation };

function makeRule(raw: RawItem[], loc: NftLocation): NftRule {
  const items: NftRuleItem[] = [];
  let comment: string | undefined;
  for (const item of raw) {
    if (item.k === "comment") comment = item.text;
    else items.push(item);
  }
  const rule: NftRule = { items, understood: items.every((i) => i.k !== "unknown"), loc: items[0]?.loc ?? loc };
  if (comment !== undefined) rule.comment = comment;
  return rule;
}

function addSet(table: NftTable, name: string, map: boolean, loc: NftLocation): NftSet {
  const set: NftSet = { name, map, keyType: [], flags: [], elements: [], loc };
  table.sets.push(set);
  return set;
}

function collectSetRefs(value: NftValue, out: string[]): void {
  if (value.k === "setref") out.push(value.name);
  else if (value.k === "list") for (const v of value.items) collectSetRefs(v, out);
}

/** `device "eth0"`, `devices = { eth0, eth1 }` → ["eth0", "eth1"]. */
function valueWords(value: NftValue): string[] {
  switch (value.k) {
    case "value":
      return [value.text];
    case "list":
      return value.items.flatMap(valueWords);
    case "set":
      return value.elements.flatMap((e) => valueWords(e.key));
    default:
      return [];
  }
}
