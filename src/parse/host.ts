/**
 * The parse stage for one host: read and parse every file the host dump holds for it. Nothing here
 * throws for bad content — unreadable files, rejected lines and broken includes are diagnostics.
 */
import path from "node:path";
import type { HostFileKind, HostTarget } from "../discover/hosts.js";
import type { Diagnostic } from "../model/diagnostic.js";
import type { NftSource } from "../model/nft.js";
import type { InputFile, InputFileKind } from "../model/input.js";
import type { IpFamily, IptablesBackend, Ruleset } from "../model/iptables.js";
import { backendOfVersion, collectionTime, keyFileRecords } from "./dump/metadata-files.js";
import { MAX_VERSION_BYTES, readSmallFile } from "./dump/small-file.js";
import { readFirewallFiles } from "./firewall-files.js";
import type { LoadedNtpFiles } from "./ntp/index.js";
import { TIME_DAEMON_KEYS, TIME_DAEMON_READERS, type ParsedDaemons } from "./time-daemons.js";

/**
 * Diagnostics kept per host. A hostile file can hold a million rejected lines; past this many, the rest are
 * counted in one PARSE004 finding rather than each carried through the policy and every report.
 */
export const MAX_DIAGNOSTICS_PER_HOST = 10_000;

/** `key-files` lists a handful of files. */
const MAX_KEY_FILES_BYTES = 64 * 1024;

export interface ParsedHost {
  target: HostTarget;
  files: InputFile[];
  diagnostics: Diagnostic[];
  /** Null when the host has no ntp.conf, or it could not be read (the same as `daemons.ntpd.config`). */
  ntp: LoadedNtpFiles | null;
  /** `ntp-version`, null when absent. */
  versionText: string | null;
  /** Each time daemon's files, read (src/parse/time-daemons.ts); null for a daemon the dump has nothing of. */
  daemons: ParsedDaemons;
  /** The iptables dumps, per family (null: no file, or it could not be read). */
  firewall: Record<IpFamily, Ruleset | null>;
  /** The nftables ruleset (null: no file, or it could not be read). */
  nft: NftSource | null;
  /** When the collector ran (`collected-at`, UTC ISO 8601), null when the dump does not say. */
  collectedAt: string | null;
  /** The iptables backend `iptables-version` records, null when the dump does not say. */
  iptablesBackend: IptablesBackend | null;
}

export function parseHost(target: HostTarget): ParsedHost {
  const files: InputFile[] = [];
  const diagnostics: Diagnostic[] = [];

  const small = (kind: HostFileKind, fileKind: InputFileKind, maxBytes: number): string | null =>
    readSmallFile(target, kind, fileKind, maxBytes, files, diagnostics);
  const malformed = (kind: HostFileKind, what: string): void => {
    const rel = target.files[kind]!;
    diagnostics.push({ kind: "unreadable", message: `${rel}: ${what}; ignored`, location: { file: rel, line: 1, column: 1 } });
  };

  const collectedText = small("collectedAt", "collected-at", MAX_VERSION_BYTES);
  const collectedAt = collectedText === null ? null : collectionTime(collectedText);
  if (collectedText !== null && collectedAt === null) malformed("collectedAt", "not one UTC ISO 8601 time such as 2026-12-03T12:00:00Z");
  const iptablesVersionText = small("iptablesVersion", "iptables-version", MAX_VERSION_BYTES);
  const iptablesBackend = iptablesVersionText === null ? null : backendOfVersion(iptablesVersionText);
  if (iptablesVersionText !== null && iptablesBackend === null) {
    malformed("iptablesVersion", "names no backend (expected the first line of `iptables -V`, such as `iptables v1.8.9 (nf_tables)`)");
  }
  const keyFilesText = small("keyFiles", "key-files", MAX_KEY_FILES_BYTES);
  const keyFiles = new Set(
    keyFilesText === null ? [] : keyFileRecords(keyFilesText).map((k) => path.posix.normalize(k.path).replace(/^\/+/, "")),
  );

  const daemons: ParsedDaemons = { ntpd: null, chrony: null };
  for (const key of TIME_DAEMON_KEYS) {
    const read = TIME_DAEMON_READERS[key].read(target, { keyFiles });
    files.push(...read.files);
    diagnostics.push(...read.diagnostics);
    (daemons as Record<string, unknown>)[key] = read.parsed;
  }
  const ntp = daemons.ntpd?.config ?? null;
  const versionText = daemons.ntpd?.versionText ?? null;

  const fw = readFirewallFiles(target, iptablesBackend);
  files.push(...fw.files);
  diagnostics.push(...fw.diagnostics);

  return { target, files, diagnostics: capDiagnostics(diagnostics), ntp, versionText, daemons, firewall: fw.iptables, nft: fw.nft, collectedAt, iptablesBackend };
}

/** The first MAX_DIAGNOSTICS_PER_HOST diagnostics, plus one `not-checked` saying how many were left out. */
function capDiagnostics(diagnostics: Diagnostic[]): Diagnostic[] {
  if (diagnostics.length <= MAX_DIAGNOSTICS_PER_HOST) return diagnostics;
  const kept = diagnostics.slice(0, MAX_DIAGNOSTICS_PER_HOST);
  const first = diagnostics[MAX_DIAGNOSTICS_PER_HOST]!;
  kept.push({
    kind: "not-checked",
    message: `more than ${MAX_DIAGNOSTICS_PER_HOST} diagnostics: ${diagnostics.length - MAX_DIAGNOSTICS_PER_HOST} more, from this line on, are not reported`,
    location: first.location,
    ...(first.text !== undefined ? { text: first.text } : {}),
  });
  return kept;
}
