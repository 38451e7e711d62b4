import type { SourceLocation } from "./location.js";

/**
 * What a parser or a reader observed about an input file. Diagnostics are facts handed to the
 * policies (`input.diagnostics`); the Rego rules decide which of them become findings.
 *
 * - `syntax`: a line the daemon (or iptables-restore) would reject. It is left out of the model.
 * - `template`: the file is a Jinja/ERB/… template, not a configuration the daemon could read.
 * - `unreadable`: the file could not be checked at all (binary, too large, NUL bytes, I/O error).
 * - `include`: an `includefile` that could not be followed (missing, outside the host, a cycle, too deep).
 * - `structure`: a well-formed line in the wrong place (iptables: a rule outside a table, no COMMIT, …).
 * - `not-checked`: a safety limit (include count, diagnostic count, line length) stopped part of the host
 *   from being checked; what was not checked is reported, never passed (PARSE004).
 * - `portability`: an iptables line one backend rejects and the other accepts (legacy vs nf_tables),
 *   on a host whose backend the dump does not record. When the backend is known such a line is either
 *   `syntax` (that backend rejects it) or no diagnostic at all (it accepts it).
 */
export type DiagnosticKind = "syntax" | "template" | "unreadable" | "include" | "structure" | "portability" | "not-checked";

export interface Diagnostic {
  kind: DiagnosticKind;
  message: string;
  location: SourceLocation;
  /** The physical line the diagnostic is about, as written (capped), for evidence. */
  text?: string;
  /** For syntax errors: what the grammar could have accepted at `location`. */
  expected?: string[];
}

/** Longest line text carried as evidence; hostile files may have megabyte lines. */
export const MAX_EVIDENCE_TEXT = 400;

export function evidenceText(line: string): string {
  return line.length > MAX_EVIDENCE_TEXT ? `${line.slice(0, MAX_EVIDENCE_TEXT)}…` : line;
}
