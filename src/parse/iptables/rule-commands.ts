/**
 * The commands that change a chain's rules, applied to the open table as iptables-restore does: -A
 * (append), -I (insert at a position, default 1), -R (replace the rule at a position) and -D (delete by
 * position or by specification). The rule itself is built by rule-builder.ts.
 */
import { evidenceText } from "../../model/diagnostic.js";
import type { Chain, Counters, Rule } from "../../model/iptables.js";
import { chainNameError } from "./chain-declarations.js";
import { parseRuleNumber, type LoadContext, type OpenTable } from "./load-context.js";
import { buildRule, ruleSpecKey } from "./rule-builder.js";
import type { CommandNode, LineToken } from "./syntax.js";

export const RULE_COMMANDS: ReadonlySet<string> = new Set(["cmdAppend", "cmdInsert", "cmdDelete", "cmdReplace"]);

/** One rule command as written: the node, the line's tokens, its positional words and counters. */
export interface RuleCommand {
  node: CommandNode;
  tokens: readonly LineToken[];
  type: string;
  cmdToken: LineToken;
  args: readonly LineToken[];
  argText: readonly string[];
  counters: Counters | null;
  familyToken: LineToken | null;
}

export function applyRuleCommand(ctx: LoadContext, open: OpenTable, command: RuleCommand): void {
  const { type, args, argText, node, tokens } = command;
  const chainName = argText[0]!;
  // Rule number: -I optional, -R required, -D either a number or a rule specification.
  let num: number | null = null;
  if (args.length > 1) {
    num = parseRuleNumber(argText[1]!);
    if (num === null) {
      ctx.syntax(args[1]!.col, `invalid rule number ${JSON.stringify(argText[1])}`);
      return;
    }
  }
  if (type === "cmdDelete" && num !== null && node.items.length > 0) {
    ctx.syntax(tokens[node.items[0]!.flag]!.col, "-D with a rule number takes no rule specification");
    return;
  }
  let rule: Rule | null = null;
  if (!(type === "cmdDelete" && num !== null)) {
    rule = buildFor(ctx, open, command, chainName);
    if (!rule) return;
    ctx.noteOtherFamily(rule);
  }
  const chain = targetChain(ctx, open, command, chainName);
  if (!chain) return;
  switch (type) {
    case "cmdAppend":
      chain.rules.push(rule!);
      ctx.countRules(1);
      return;
    case "cmdInsert":
      return insert(ctx, chain, rule!, num ?? 1, args);
    case "cmdReplace":
      return replace(ctx, chain, rule!, num!, args);
    case "cmdDelete":
      return num !== null ? deleteAt(ctx, chain, num, args) : deleteMatching(ctx, chain, rule!, command.cmdToken);
  }
}

/** The rule the line specifies; null (after a syntax diagnostic) when restore rejects the line. */
function buildFor(ctx: LoadContext, open: OpenTable, command: RuleCommand, chainName: string): Rule | null {
  const { node, tokens, counters, familyToken } = command;
  const built = buildRule(
    node.items,
    tokens,
    { file: ctx.file, line: ctx.lineNo, family: ctx.family, chain: chainName, isChain: (n) => open.chains.has(n) },
    ctx.loc(tokens[0]!.col),
    evidenceText(ctx.lineText),
    counters,
    familyToken,
  );
  if (!("rule" in built)) {
    ctx.syntax(built.column, built.message, built.expected);
    return null;
  }
  if (built.legacyNegationAt !== null) {
    // Version-dependent: iptables 1.4.x/1.6.x accepted it with a warning, 1.8+ (nft and legacy)
    // rejects the line. The rule is kept (as older iptables loaded it) and the table marked.
    ctx.syntax(
      built.legacyNegationAt,
      "intrapositioned negation ('-s ! x', '--dport ! 123'): iptables 1.8 and later reject this line " +
        "(older versions accepted it with a warning); write '! -s x' / '! --dport 123'",
      ["an option after '!' (modern form: ! --option value)"],
    );
  }
  return built.rule;
}

/**
 * The chain the command names. A rule for a chain the table never declared is rejected by restore (both
 * backends); -A/-I still model the chain so the rest of the file reads as intended.
 */
function targetChain(ctx: LoadContext, open: OpenTable, { type, args }: RuleCommand, chainName: string): Chain | null {
  const chain = open.chains.get(chainName);
  if (chain) return chain;
  if (type !== "cmdAppend" && type !== "cmdInsert") {
    ctx.structure(ctx.loc(args[0]!.col), `chain ${chainName} does not exist in table ${open.table.name}`);
    return null;
  }
  const nameError = chainNameError(chainName);
  if (nameError) {
    ctx.syntax(args[0]!.col, nameError);
    return null;
  }
  ctx.structure(
    ctx.loc(args[0]!.col),
    `rule for chain ${chainName}, which is not declared in table ${open.table.name} (no :${chainName} line or -N): iptables-restore rejects it`,
  );
  const created: Chain = { name: chainName, builtin: false, policy: null, declared: false, location: ctx.loc(args[0]!.col), counters: null, rules: [] };
  open.chains.set(chainName, created);
  return created;
}

function insert(ctx: LoadContext, chain: Chain, rule: Rule, at: number, args: readonly LineToken[]): void {
  if (at > chain.rules.length + 1) {
    ctx.structure(ctx.loc(args[1]!.col), `-I ${chain.name} ${at}: index of insertion too big (the chain has ${chain.rules.length} rules)`);
    return;
  }
  chain.rules.splice(at - 1, 0, rule);
  ctx.countRules(1);
}

function replace(ctx: LoadContext, chain: Chain, rule: Rule, at: number, args: readonly LineToken[]): void {
  if (at > chain.rules.length) {
    ctx.structure(ctx.loc(args[1]!.col), `-R ${chain.name} ${at}: no such rule (the chain has ${chain.rules.length} rules)`);
    return;
  }
  chain.rules[at - 1] = rule;
}

function deleteAt(ctx: LoadContext, chain: Chain, at: number, args: readonly LineToken[]): void {
  if (at > chain.rules.length) {
    ctx.structure(ctx.loc(args[1]!.col), `-D ${chain.name} ${at}: no such rule (the chain has ${chain.rules.length} rules)`);
    return;
  }
  chain.rules.splice(at - 1, 1);
  ctx.countRules(-1);
}

function deleteMatching(ctx: LoadContext, chain: Chain, rule: Rule, cmdToken: LineToken): void {
  const key = ruleSpecKey(rule);
  const index = chain.rules.findIndex((r) => ruleSpecKey(r) === key);
  if (index < 0) {
    ctx.structure(ctx.loc(cmdToken.col), `-D ${chain.name}: no rule in the chain matches this specification`);
    return;
  }
  chain.rules.splice(index, 1);
  ctx.countRules(-1);
}
