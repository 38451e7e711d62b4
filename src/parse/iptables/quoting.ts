/**
 * Quoting in iptables-restore input: a word may hold one double-quoted section (which runs to the end of
 * the line when its quote is never closed; both backends accept that), with backslash escapes inside.
 */

/** The word as iptables-restore's tokenizer delivers it: quotes removed, `\x` → `x` inside quotes. */
export function unquote(text: string): string {
  const open = text.indexOf('"');
  if (open < 0) return text;
  // The lexer guarantees the shape: plain prefix, one quoted section (maybe left open at the end of
  // the line), nothing after it.
  const body = text.slice(open + 1, isClosedQuote(text, open) ? text.length - 1 : text.length);
  // `\x` → `x`; a lone `\` at the very end (open quote) escapes nothing and is dropped, as restore does.
  const unescaped = body.includes("\\") ? body.replace(/\\(.)|\\$/gs, "$1") : body;
  return open === 0 ? unescaped : text.slice(0, open) + unescaped;
}

/** Does the quoted section opened at `open` end with its closing quote (an unescaped `"` at the end)? */
export function isClosedQuote(text: string, open: number): boolean {
  if (text.length < open + 2 || !text.endsWith('"')) return false;
  let backslashes = 0;
  for (let i = text.length - 2; i > open && text[i] === "\\"; i--) backslashes++;
  return backslashes % 2 === 0;
}
