/**
 * Template detection. A Jinja/ERB template or a file with `%PLACEHOLDER%`/`${VAR}` holes is not what
 * the daemon reads: the rendered file is. Such a file is reported once, at its first template marker,
 * and is not parsed (its "syntax errors" would only be the template's own markup).
 */
import type { SourceLocation } from "../../model/location.js";
import { codePart } from "./text.js";

export type TemplateEngine = "jinja" | "erb" | "placeholder";

export interface NtpTemplate {
  engine: TemplateEngine;
  location: SourceLocation;
  /** The marker as written (capped), for messages. */
  marker: string;
}

/**
 * Jinja and ERB tags are recognised anywhere on a line, comments included: the template engine runs
 * before ntpd ever sees the file. Each tag must close on the same line, which keeps prose such as
 * "<% of clients" from counting. (Found with indexOf, not a lazy regex: linear even on hostile lines.)
 */
const TAGS: Array<{ engine: TemplateEngine; open: string; close: string }> = [
  { engine: "jinja", open: "{{", close: "}}" },
  { engine: "jinja", open: "{%", close: "%}" },
  { engine: "jinja", open: "{#", close: "#}" },
  { engine: "erb", open: "<%", close: "%>" },
];

function findTag(line: string, open: string, close: string): { index: number; text: string } | null {
  // The first opener has a closer after it exactly when any opener has, so one look suffices.
  const index = line.indexOf(open);
  if (index === -1) return null;
  const end = line.indexOf(close, index + open.length);
  return end === -1 ? null : { index, text: line.slice(index, end + close.length) };
}

/**
 * Placeholders are only recognised outside comments (a comment may well say "100%" or "${HOME}"):
 * `${VAR}`, `%VAR%`, `@VAR@` anywhere in a word, and `%VAR` or `$VAR` as a whole word — no host name,
 * path or number in ntp.conf starts with `%` or `$`. Quantifiers are bounded to stay linear.
 */
const PLACEHOLDERS: RegExp[] = [
  /\$\{[A-Za-z_][^}\s]{0,200}\}/,
  /%[A-Za-z_][A-Za-z0-9_]{0,100}%/,
  /@[A-Za-z_][A-Za-z0-9_]{0,100}@/,
  /(?<![^\s"])[%$][A-Za-z_][A-Za-z0-9_]{0,100}(?=[\s"#]|$)/,
];

/** Cheap pre-check: no template marker can occur without one of these characters. */
const CANDIDATE = /[{<%$@]/;

/** The first template marker of the file, or null. `lines` are physical lines without newlines. */
export function detectTemplate(lines: readonly string[], file: string): NtpTemplate | null {
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (!CANDIDATE.test(line)) continue;
    let best: { engine: TemplateEngine; index: number; marker: string } | null = null;
    const consider = (engine: TemplateEngine, m: { index: number; text: string } | null) => {
      if (m && (best === null || m.index < best.index)) best = { engine, index: m.index, marker: m.text };
    };
    for (const tag of TAGS) consider(tag.engine, findTag(line, tag.open, tag.close));
    const code = codePart(line);
    for (const re of PLACEHOLDERS) {
      const m = re.exec(code);
      consider("placeholder", m && { index: m.index, text: m[0] });
    }
    if (best !== null) {
      const found: { engine: TemplateEngine; index: number; marker: string } = best;
      return {
        engine: found.engine,
        location: { file, line: i + 1, column: found.index + 1 },
        marker: found.marker.length > 60 ? `${found.marker.slice(0, 60)}…` : found.marker,
      };
    }
  }
  return null;
}

export function describeEngine(engine: TemplateEngine): string {
  switch (engine) {
    case "jinja":
      return "a Jinja template";
    case "erb":
      return "an ERB template";
    case "placeholder":
      return "a template with placeholders";
  }
}
