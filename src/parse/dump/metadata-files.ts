/**
 * The small files the collector writes beside the configuration (docs/host-dump.md): what they say about
 * the host's evidence. Each reader takes the file's text and returns null when the text is not in the
 * documented form, so a caller can say so; nothing here reads files or throws.
 */
import type { IptablesBackend } from "../../model/iptables.js";

/** The first non-blank line, trimmed. */
function firstLine(text: string): string {
  return (text.split(/\r?\n/).find((l) => l.trim() !== "") ?? "").trim();
}

/**
 * The backend named by `iptables -V` output: `iptables v1.8.9 (nf_tables)` or `(legacy)`. Versions
 * before 1.8 have only the legacy backend and print no backend (`iptables v1.4.21`).
 */
export function backendOfVersion(text: string): IptablesBackend | null {
  const line = firstLine(text);
  const m = /^ip6?tables(?:-\S+)? v(\d+)\.(\d+)\S*(?: \((nf_tables|legacy)\))?$/.exec(line);
  if (!m) return null;
  if (m[3]) return m[3] as IptablesBackend;
  const [major, minor] = [Number(m[1]), Number(m[2])];
  return major < 1 || (major === 1 && minor < 8) ? "legacy" : null;
}

/** `collected-at`: one UTC ISO 8601 time (`2026-12-03T12:00:00Z`), returned as written. */
export function collectionTime(text: string): string | null {
  const line = firstLine(text);
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z$/.test(line)) return null;
  return Number.isNaN(Date.parse(line)) ? null : line;
}

export interface KeyFileRecord {
  mode: string;
  owner: string;
  bytes: number;
  /** Absolute path on the host. */
  path: string;
}

/** `key-files`: one `MODE OWNER SIZE PATH` line per key or password file (never their contents). */
export function keyFileRecords(text: string): KeyFileRecord[] {
  const out: KeyFileRecord[] = [];
  for (const line of text.split(/\r?\n/)) {
    const m = /^(\S+)\s+(\S+)\s+(\d+)\s+(\/.*)$/.exec(line.trim());
    if (m) out.push({ mode: m[1]!, owner: m[2]!, bytes: Number(m[3]), path: m[4]! });
  }
  return out;
}
