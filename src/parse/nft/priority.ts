/**
 * Base chain priorities as nft resolves them: a number, or a standard name plus an optional offset
 * (`filter + 10`, `dstnat - 5`). Names and values are nft's (nft(8) "PRIORITY" tables; bridge has its own).
 */
import type { NftFamily } from "../../model/nft.js";

const INET_NAMES: Record<string, number> = { raw: -300, mangle: -150, dstnat: -100, filter: 0, security: 50, srcnat: 100 };
const BRIDGE_NAMES: Record<string, number> = { dstnat: -300, filter: -200, out: 100, srcnat: 300 };

/** The numeric priority, or null when the text names no standard priority of the family. */
export function resolvePriority(text: string, family: NftFamily): number | null {
  const m = /^(\S+)(?: ([+-]) (\S+))?$/.exec(text.trim());
  if (!m) return null;
  const base = parseNumber(m[1]!) ?? (family === "bridge" ? BRIDGE_NAMES : INET_NAMES)[m[1]!];
  if (base === undefined) return null;
  if (m[2] === undefined) return base;
  const offset = parseNumber(m[3]!);
  if (offset === null) return null;
  return m[2] === "+" ? base + offset : base - offset;
}

function parseNumber(text: string): number | null {
  return /^-?\d+$/.test(text) ? Number(text) : null;
}
