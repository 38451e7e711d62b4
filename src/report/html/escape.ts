/**
 * Escaping for the HTML report. Everything that comes from input files, the configuration or the report goes
 * through here: a hostile comment in an ntp.conf stays text, and invisible or bidi-control characters are shown
 * as U+XXXX rather than obeyed.
 */
const HTML_ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };
/** C0/C1 controls (except tab, LF, CR), zero-width and bidirectional-override characters: shown, never obeyed. */
// eslint-disable-next-line no-control-regex
const INVISIBLE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u200B-\u200F\u2028\u2029\u202A-\u202E\u2060-\u2069\uFEFF]/g;

function codePoint(c: string): string {
  return `U+${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, "0")}`;
}

/** Escape for an attribute value (always double-quoted) or text; invisible characters become U+XXXX. */
export function escapeAttr(s: string): string {
  return s.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!).replace(INVISIBLE, (c) => codePoint(c));
}

/** Escape for element content; invisible and bidi-control characters are shown as a marked U+XXXX. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!).replace(INVISIBLE, (c) => `<span class="cc" title="invisible or control character">${codePoint(c)}</span>`);
}

export const t = escapeHtml;
export const a = escapeAttr;

/** Catalogue prose: escaped, with `code spans` set as code. */
export function prose(s: string): string {
  return t(s).replace(/`([^`\n]+)`/g, "<code>$1</code>");
}

/** A link when the URL is http(s), else the URL as text (never a javascript: or data: href). */
export function link(url: string, label: string): string {
  if (!/^https?:\/\/[^\s]+$/i.test(url)) return `${t(label)} <span class="mono small break">${t(url)}</span>`;
  const text = label === url ? "" : `${t(label)} — `;
  return `${text}<a class="ext break" href="${a(url)}" rel="noopener noreferrer">${t(url)}</a>`;
}

/** An id attribute value made of safe characters. */
export function slug(id: string): string {
  return id.replace(/[^A-Za-z0-9_-]/g, "_");
}
