/**
 * A hand-written scanner that gives, for one line, exactly the tokens the grammar's moo lexer gives
 * (grammar/iptables.ne; same types, texts and columns, blanks dropped, `--name=value` split), about
 * six times faster than moo's combined regular expression. The token rules stay defined by the grammar:
 * this scanner only takes lines made of printable ASCII and tabs, where the lexer's regular
 * expressions reduce to the simple character tests below (`\s` is a blank or a tab, `.` matches
 * anything, `^` and `$` are the ends of the line), and answers null for any other line so that moo
 * tokenises it. The fuzz, corpus and kube tests in test/parse/ compare the two token for token.
 *
 * Flags are typed by the grammar's own flagType / negatedFlagType.
 */
import { flagType, negatedFlagType } from "../generated/iptables.js";
import type { LineToken } from "./syntax.js";

const TAB = 9;
const SPACE = 32;
const QUOTE = 34; // "
const HASH = 35; // #
const STAR = 42; // *
const DASH = 45; // -
const COLON = 58; // :
const BANG = 33; // !
const OPEN_BRACKET = 91; // [
const BACKSLASH = 92; // \
const CLOSE_BRACKET = 93; // ]
const EQUALS = 61; // =
const APOSTROPHE = "'";

const INCOMPATIBLE_PREFIX = "# Table `";

/** Anything but printable ASCII and tab: lines holding one are left to moo. */
const NOT_PRINTABLE = /[^\t\x20-\x7e]/;

/** `-x` flags (x a letter, 4 or 6) by the character code of x: their text and the grammar's type. */
const SHORT_FLAGS: Array<{ text: string; type: string } | undefined> = [];
for (const x of "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz46") {
  SHORT_FLAGS[x.charCodeAt(0)] = { text: `-${x}`, type: flagType(`-${x}`) };
}

/**
 * The tokens of `text` (one physical line, no newline), or null when the line holds a character
 * outside printable ASCII and tab: such lines are left to the grammar's moo lexer.
 */
export function scanLine(text: string): LineToken[] | null {
  if (NOT_PRINTABLE.test(text)) return null;
  const n = text.length;
  const tokens: LineToken[] = [];
  let p = 0;
  while (p < n) {
    const c = text.charCodeAt(p);
    if (c === SPACE || c === TAB) {
      p++;
      continue;
    }
    if (p === 0) {
      const end = lineStartToken(text, tokens);
      if (end > 0) {
        p = end;
        continue;
      }
    }
    if (c === BANG) {
      let j = p + 1;
      while (j < n && isBlank(text.charCodeAt(j))) j++;
      if (j > p + 1) {
        const end = flagEnd(text, j);
        if (end > 0) {
          const t = text.slice(p, end);
          tokens.push({ type: negatedFlagType(t), text: t, col: p + 1 });
          p = end;
          continue;
        }
      }
      if (p + 1 === n || isBlank(text.charCodeAt(p + 1))) {
        tokens.push({ type: "bang", text: "!", col: p + 1 });
        p++;
        continue;
      }
    } else if (c === DASH) {
      const end = flagEnd(text, p);
      if (end === p + 2) {
        // `-x`: typed by table, and one shared string per flag rather than a copy per line.
        const short = SHORT_FLAGS[text.charCodeAt(p + 1)]!;
        tokens.push({ type: short.type, text: short.text, col: p + 1 });
        p = end;
        continue;
      }
      if (end > 0) {
        const t = text.slice(p, end);
        tokens.push({ type: flagType(t), text: t, col: p + 1 });
        p = end;
        continue;
      }
      const eq = flagWithValue(text, p);
      if (eq > 0) {
        // getopt's "--dport=123" is "--dport" "123": the flag, then the value as a word.
        const end = flagValueEnd(text, eq + 1);
        const flag = text.slice(p, eq);
        tokens.push({ type: flagType(flag), text: flag, col: p + 1 });
        tokens.push({ type: "val", text: text.slice(eq + 1, end), col: eq + 2 });
        p = end;
        continue;
      }
    }
    const end = wordEnd(text, p);
    tokens.push({ type: "val", text: text.slice(p, end), col: p + 1 });
    p = end;
  }
  return tokens;
}

/**
 * The tokens anchored at column 1 (comments, COMMIT, *table, :chain, [counters]): pushes the token
 * and returns where it ends, or 0 when none applies.
 */
function lineStartToken(text: string, tokens: LineToken[]): number {
  const n = text.length;
  const c = text.charCodeAt(0);
  if (c === HASH) {
    tokens.push({ type: commentType(text), text, col: 1 });
    return n;
  }
  if (c === STAR || c === COLON) {
    let j = 1;
    while (j < n && !isBlank(text.charCodeAt(j))) j++;
    tokens.push({ type: c === STAR ? "table" : "chaindecl", text: text.slice(0, j), col: 1 });
    return j;
  }
  if (c === OPEN_BRACKET) {
    let j = 1;
    for (let d = text.charCodeAt(j); j < n && !isBlank(d) && d !== CLOSE_BRACKET && d !== COLON; d = text.charCodeAt(++j));
    if (j < n && text.charCodeAt(j) === COLON) {
      j++;
      for (let d = text.charCodeAt(j); j < n && !isBlank(d) && d !== CLOSE_BRACKET; d = text.charCodeAt(++j));
      if (j < n && text.charCodeAt(j) === CLOSE_BRACKET) {
        tokens.push({ type: "counters", text: text.slice(0, j + 1), col: 1 });
        return j + 1;
      }
    }
    return 0;
  }
  if (text === "COMMIT") {
    tokens.push({ type: "commit", text, col: 1 });
    return n;
  }
  return 0;
}

/** Which kind of comment a line starting with '#' is (the grammar's order of comment tokens). */
function commentType(text: string): string {
  if (text.startsWith("# Warning: iptables-legacy tables present")) return "warnLegacy";
  if (text.startsWith(INCOMPATIBLE_PREFIX)) {
    const quote = text.indexOf(APOSTROPHE, INCOMPATIBLE_PREFIX.length);
    if (quote >= 0 && text.startsWith("' is incompatible", quote)) return "warnIncompatible";
  }
  if (text.startsWith("# Generated by ")) return "header";
  if (text.startsWith("# Completed on")) return "trailer";
  return "comment";
}

/**
 * End of a flag (`--name` or `-x`, x a letter, 4 or 6) starting at `p` and followed by a blank or the
 * end of the line; 0 when there is none.
 */
function flagEnd(text: string, p: number): number {
  const n = text.length;
  if (text.charCodeAt(p) !== DASH || p + 1 >= n) return 0;
  const c = text.charCodeAt(p + 1);
  let end: number;
  if (c === DASH) {
    if (p + 2 >= n || !isAlnum(text.charCodeAt(p + 2))) return 0;
    end = p + 3;
    while (end < n && isNameChar(text.charCodeAt(end))) end++;
  } else {
    if (!isLetter(c) && c !== 52 && c !== 54) return 0;
    end = p + 2;
  }
  return end === n || isBlank(text.charCodeAt(end)) ? end : 0;
}

/** Where the '=' of a `--name=` starting at `p` is; 0 when `p` does not start one. */
function flagWithValue(text: string, p: number): number {
  const n = text.length;
  if (p + 2 >= n || text.charCodeAt(p + 1) !== DASH || !isAlnum(text.charCodeAt(p + 2))) return 0;
  let j = p + 3;
  while (j < n && isNameChar(text.charCodeAt(j))) j++;
  return j < n && text.charCodeAt(j) === EQUALS ? j : 0;
}

/** End of the value after `--name=`: plain characters, then at most one quoted section (maybe open). */
function flagValueEnd(text: string, p: number): number {
  const q = plainEnd(text, p);
  if (q < text.length && text.charCodeAt(q) === QUOTE) {
    const r = quotedBodyEnd(text, q + 1);
    return r < text.length && text.charCodeAt(r) === QUOTE ? r + 1 : r;
  }
  return q;
}

/**
 * End of a word starting at `p` (not a blank): plain characters up to a blank, or a plain prefix and
 * one quoted section ended by its closing quote; a quote left open runs to the end of the line.
 */
function wordEnd(text: string, p: number): number {
  const n = text.length;
  const q = plainEnd(text, p);
  if (q < n && text.charCodeAt(q) === QUOTE) {
    const r = quotedBodyEnd(text, q + 1);
    if (r < n && text.charCodeAt(r) === QUOTE) return r + 1;
    // An open quote: the rest of the line, a lone trailing backslash included.
    return n;
  }
  return q;
}

/** First blank, quote or end of line from `p`. */
function plainEnd(text: string, p: number): number {
  const n = text.length;
  let q = p;
  for (let d = text.charCodeAt(q); q < n && d !== QUOTE && !isBlank(d); d = text.charCodeAt(++q));
  return q;
}

/** End of a quoted body from `p`: stops at a closing quote, at a backslash that ends the line, or at the end. */
function quotedBodyEnd(text: string, p: number): number {
  const n = text.length;
  let r = p;
  while (r < n) {
    const d = text.charCodeAt(r);
    if (d === QUOTE) break;
    if (d === BACKSLASH) {
      if (r + 1 >= n) break;
      r += 2;
    } else r++;
  }
  return r;
}

function isBlank(c: number): boolean {
  return c === SPACE || c === TAB;
}

function isLetter(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

function isAlnum(c: number): boolean {
  return isLetter(c) || (c >= 48 && c <= 57);
}

function isNameChar(c: number): boolean {
  return isAlnum(c) || c === DASH;
}
