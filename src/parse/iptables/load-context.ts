/**
 * What the command and declaration modules need from the loader (loader.ts) while it follows a file:
 * the line being applied, where to report, and the table being loaded. One interface, so each kind of
 * line can be applied in its own module without reaching into the loader's state.
 */
import type { Chain, Counters, IpFamily, IptablesBackend, Rule, Table } from "../../model/iptables.js";
import type { SourceLocation } from "../../model/location.js";

/** The table between its `*name` line and COMMIT. */
export interface OpenTable {
  table: Table;
  /** The table's chains by name, in creation order (built-in chains first). */
  chains: Map<string, Chain>;
  /** The `*name` line as written, for evidence. */
  text: string;
}

export interface LoadContext {
  readonly file: string;
  readonly family: IpFamily;
  /** The physical line being applied, and its number. */
  readonly lineNo: number;
  readonly lineText: string;
  loc(column: number): SourceLocation;
  /** A line iptables-restore rejects (both backends): the open table does not load. */
  syntax(column: number, message: string, expected?: string[]): void;
  /** A well-formed line in the wrong place; `rejects` (default true) when restore refuses it. */
  structure(location: SourceLocation, message: string, rejects?: boolean): void;
  /** A line `rejectedBy` rejects and the other backend accepts (judged by the host's backend). */
  backendDependent(column: number, what: string, rejectedBy: IptablesBackend): void;
  /** Rules added (positive) or removed (negative), for the statistics. */
  countRules(delta: number): void;
  /** Note the other-family addresses of a rule (one diagnostic per file, at the end). */
  noteOtherFamily(rule: Rule): void;
}

/** `[packets:bytes]` → counters; null for another shape. */
export function parseCounters(text: string): Counters | null {
  const m = /^\[(\d+):(\d+)\]$/.exec(text);
  return m ? { packets: m[1]!, bytes: m[2]! } : null;
}

/** A rule number as -I/-R/-D take it (1 … 2^31-1); null when the word is not one. */
export function parseRuleNumber(text: string): number | null {
  if (!/^\d+$/.test(text)) return null;
  const n = Number(text);
  return n >= 1 && n <= 2_147_483_647 ? n : null;
}
