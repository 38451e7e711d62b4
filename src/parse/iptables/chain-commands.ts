/**
 * The commands that manage chains rather than rules, applied to the open table as iptables-restore
 * does: -N (new chain), -X (delete), -F (flush), -Z (zero counters), -P (policy), -E (rename).
 */
import type { Chain } from "../../model/iptables.js";
import { chainNameError } from "./chain-declarations.js";
import { parseRuleNumber, type LoadContext, type OpenTable } from "./load-context.js";
import type { LineToken } from "./syntax.js";

/** One chain command: the command word, its positional words (tokens and unquoted text). */
export interface ChainCommand {
  type: string;
  cmdToken: LineToken;
  first: LineToken;
  args: readonly LineToken[];
  argText: readonly string[];
}

export function applyChainCommand(ctx: LoadContext, open: OpenTable, command: ChainCommand): void {
  switch (command.type) {
    case "cmdNew":
      return newChain(ctx, open, command);
    case "cmdDeleteChain":
      return deleteChains(ctx, open, command);
    case "cmdFlush":
    case "cmdZero":
      return flushOrZero(ctx, open, command);
    case "cmdPolicy":
      return setPolicy(ctx, open, command);
    case "cmdRename":
      return renameChain(ctx, open, command);
  }
}

function newChain(ctx: LoadContext, open: OpenTable, { args, argText, first }: ChainCommand): void {
  const name = argText[0]!;
  const err = chainNameError(name);
  if (err) {
    ctx.syntax(args[0]!.col, err);
    return;
  }
  if (open.chains.has(name)) {
    ctx.structure(ctx.loc(args[0]!.col), `-N ${name}: chain already exists`);
    return;
  }
  open.chains.set(name, { name, builtin: false, policy: null, declared: true, location: ctx.loc(first.col), counters: null, rules: [] });
}

function deleteChains(ctx: LoadContext, open: OpenTable, { args, argText, cmdToken }: ChainCommand): void {
  const names = args.length > 0 ? [argText[0]!] : [...open.chains.values()].filter((c) => !c.builtin).map((c) => c.name);
  for (const name of names) {
    const chain = open.chains.get(name);
    if (!chain) {
      ctx.structure(ctx.loc(args[0]!.col), `-X ${name}: no such chain`);
      continue;
    }
    if (chain.builtin) {
      ctx.structure(ctx.loc(args[0]!.col), `-X ${name}: built-in chains cannot be deleted`);
      continue;
    }
    if (chain.rules.length > 0) {
      ctx.structure(ctx.loc(args[0]?.col ?? cmdToken.col), `-X ${name}: chain is not empty (flush it first)`);
      continue;
    }
    const referenced = [...open.chains.values()].some((c) => c.name !== name && c.rules.some((r) => r.target?.name === name));
    if (referenced) {
      ctx.structure(ctx.loc(args[0]?.col ?? cmdToken.col), `-X ${name}: chain is still referenced by a rule`);
      continue;
    }
    open.chains.delete(name);
  }
}

function flushOrZero(ctx: LoadContext, open: OpenTable, { type, args, argText, cmdToken }: ChainCommand): void {
  const flush = (chain: Chain): void => {
    ctx.countRules(-chain.rules.length);
    chain.rules = [];
  };
  if (args.length === 0) {
    if (type === "cmdFlush") for (const chain of open.chains.values()) flush(chain);
    return;
  }
  const chain = open.chains.get(argText[0]!);
  if (!chain) {
    ctx.structure(ctx.loc(args[0]!.col), `${cmdToken.text} ${argText[0]}: no such chain`);
    return;
  }
  if (args.length > 1 && parseRuleNumber(argText[1]!) === null) {
    ctx.syntax(args[1]!.col, `invalid rule number ${JSON.stringify(argText[1])}`);
    return;
  }
  if (type === "cmdFlush") flush(chain);
}

function setPolicy(ctx: LoadContext, open: OpenTable, { args, argText }: ChainCommand): void {
  const [name, policy] = argText as [string, string];
  const chain = open.chains.get(name);
  if (policy !== "ACCEPT" && policy !== "DROP") {
    ctx.syntax(args[1]!.col, `bad policy ${JSON.stringify(policy)} (ACCEPT or DROP)`, ["ACCEPT", "DROP"]);
    return;
  }
  if (open.table.name === "nat" && policy === "DROP") {
    ctx.syntax(args[1]!.col, "the nat table is not intended for filtering: DROP is not allowed");
    return;
  }
  if (!chain || !chain.builtin) {
    ctx.structure(ctx.loc(args[0]!.col), `-P ${name}: only built-in chains of table ${open.table.name} have a policy`);
    return;
  }
  chain.policy = policy;
}

function renameChain(ctx: LoadContext, open: OpenTable, { args, argText }: ChainCommand): void {
  const [from, to] = argText as [string, string];
  const chain = open.chains.get(from);
  if (!chain || chain.builtin) {
    ctx.structure(ctx.loc(args[0]!.col), `-E ${from}: no such user-defined chain`);
    return;
  }
  const err = chainNameError(to);
  if (err) {
    ctx.syntax(args[1]!.col, err);
    return;
  }
  if (open.chains.has(to)) {
    ctx.structure(ctx.loc(args[1]!.col), `-E ${from} ${to}: chain ${to} already exists`);
    return;
  }
  // Rebuild the map to keep creation order, and move references along (the kernel does).
  const entries = [...open.chains.entries()].map(([k, c]): [string, Chain] => (k === from ? [to, c] : [k, c]));
  chain.name = to;
  open.chains.clear();
  for (const [k, c] of entries) open.chains.set(k, c);
  for (const c of open.chains.values()) for (const r of c.rules) if (r.target?.name === from) r.target.name = to;
}
