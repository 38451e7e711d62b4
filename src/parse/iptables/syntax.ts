/**
 * What grammar/iptables.ne produces for one line. Nodes hold token INDICES (positions among the line's
 * non-blank tokens), never token text, so one node serves every line with the same token types.
 * `-1` means "absent". Nodes are frozen: never mutate them.
 */

export interface LineToken {
  type: string;
  text: string;
  /** 1-based column of the token's first character. */
  col: number;
}

export type LineNode =
  | { readonly k: "blank" }
  | { readonly k: "comment" }
  | { readonly k: "table"; readonly extra: readonly number[] }
  | { readonly k: "chain"; readonly policy: number; readonly extra: readonly number[] }
  | { readonly k: "commit" }
  | CommandNode;

export interface CommandNode {
  readonly k: "command";
  readonly counters: number;
  readonly family: number;
  readonly cmd: number;
  /** Positional words after the command flag (chain, rule number, policy, new name). */
  readonly args: readonly number[];
  readonly items: readonly ItemNode[];
}

export type ItemNode =
  | { readonly k: "basic"; readonly flag: number; readonly bang: number; readonly value: number }
  | { readonly k: "frag"; readonly flag: number }
  | { readonly k: "match"; readonly flag: number; readonly name: number }
  | { readonly k: "target"; readonly flag: number; readonly name: number }
  | { readonly k: "family"; readonly flag: number }
  | { readonly k: "counters"; readonly flag: number; readonly packets: number; readonly bytes: number }
  | { readonly k: "verbose"; readonly flag: number }
  | { readonly k: "opt"; readonly flag: number; readonly bang: number; readonly values: readonly number[] };
