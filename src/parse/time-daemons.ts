/**
 * The parse half of the time-daemon seam: each daemon this tool reads declares the host-dump files it owns
 * (discover/hosts.ts HOST_FILE_LOCATIONS kinds) and how they are read. The analyze half
 * (src/analyze/time-daemons.ts) is keyed by the same names, so a daemon added here without its analysis
 * does not compile. Adding a daemon: its file kinds in HOST_FILE_LOCATIONS, an entry here, one there.
 */
import type { HostFileKind, HostTarget } from "../discover/hosts.js";
import type { ChronyDiagnostic } from "../model/chrony.js";
import type { Diagnostic } from "../model/diagnostic.js";
import type { InputFile, InputFileKind } from "../model/input.js";
import { readChronyHost, type ChronyHost } from "./chrony/index.js";
import { MAX_VERSION_BYTES, readSmallFile } from "./dump/small-file.js";
import { loadNtpConfig, type LoadedNtpFiles } from "./ntp/index.js";


/** What reading one daemon's files gave. */
export interface ReadDaemon<Parsed> {
  files: InputFile[];
  diagnostics: Diagnostic[];
  /** Null when the daemon's configuration is absent or could not be read. */
  parsed: Parsed | null;
}

export interface ReadContext {
  /** Host-relative paths of the key files the collector listed and did not copy. */
  keyFiles: ReadonlySet<string>;
}

/** ntpd / ntpsec: ntp.conf with its includes, and the version file that says which of the two runs. */
export interface NtpdParsed {
  config: LoadedNtpFiles;
  versionText: string | null;
}

/** chrony: chrony.conf with include/confdir/sourcedir, the service options, and `chronyd -v`. */
export interface ChronyParsed {
  host: ChronyHost;
  versionText: string | null;
}

export interface TimeDaemonReader<Parsed> {
  /** The host-dump file kinds the daemon owns. */
  hostFiles: readonly HostFileKind[];
  /** Read and parse the daemon's files of one host (never throws for bad content). */
  read(target: HostTarget, context: ReadContext): ReadDaemon<Parsed>;
}

export const TIME_DAEMON_READERS = {
  ntpd: { hostFiles: ["ntp", "version"], read: readNtpd } satisfies TimeDaemonReader<NtpdParsed>,
  chrony: { hostFiles: ["chrony", "chronyOptions", "chronyVersion"], read: readChrony } satisfies TimeDaemonReader<ChronyParsed>,
} as const;

export type TimeDaemonKey = keyof typeof TIME_DAEMON_READERS;
export const TIME_DAEMON_KEYS = Object.keys(TIME_DAEMON_READERS) as TimeDaemonKey[];

/** What every daemon's files gave, by daemon. */
export type ParsedDaemons = { ntpd: NtpdParsed | null; chrony: ChronyParsed | null };

function readNtpd(target: HostTarget, context: ReadContext): ReadDaemon<NtpdParsed> {
  const files: InputFile[] = [];
  const diagnostics: Diagnostic[] = [];
  const versionText = readSmallFile(target, "version", "ntp-version", MAX_VERSION_BYTES, files, diagnostics);
  if (!target.files.ntp) return { files, diagnostics, parsed: null };
  const loaded = loadNtpConfig(target.root, target.files.ntp, context.keyFiles);
  files.push(...loaded.files);
  diagnostics.push(...loaded.diagnostics);
  const read = loaded.files.some((f) => f.path === target.files.ntp);
  return { files, diagnostics, parsed: read ? { config: loaded, versionText } : null };
}

/** chronyd reads chrony.conf sources and includes as its own kinds; the input document names them as agreed. */
const CHRONY_FILE_KINDS: Record<ChronyHost["files"][number]["kind"], InputFileKind> = {
  "chrony.conf": "chrony.conf",
  "chrony.include": "chrony.include",
  "chrony.sources": "chrony.include",
  "chrony.options": "chrony-options",
};

function readChrony(target: HostTarget, _context: ReadContext): ReadDaemon<ChronyParsed> {
  const files: InputFile[] = [];
  const diagnostics: Diagnostic[] = [];
  const versionText = readSmallFile(target, "chronyVersion", "chrony-version", MAX_VERSION_BYTES, files, diagnostics);
  if (!target.files.chrony) return { files, diagnostics, parsed: null };
  const host = readChronyHost(target.root, {
    config: target.files.chrony,
    ...(target.files.chronyOptions !== undefined ? { options: target.files.chronyOptions } : {}),
  });
  if (host === null) return { files, diagnostics, parsed: null };
  files.push(...host.files.map((f) => ({ path: f.path, kind: CHRONY_FILE_KINDS[f.kind], sha256: f.sha256, bytes: f.bytes })));
  diagnostics.push(...host.diagnostics.map(chronyDiagnostic));
  const read = host.files.some((f) => f.path === host.configPath);
  return { files, diagnostics, parsed: read ? { host, versionText } : null };
}

/**
 * A line chronyd refuses stops the daemon: the diagnostic says so, in chronyd's own words where known.
 * Lines chronyd only warns about (and unfollowable includes) keep their message.
 */
function chronyDiagnostic(d: ChronyDiagnostic): Diagnostic {
  const plain: Diagnostic = {
    kind: d.kind,
    message: d.message,
    location: d.location,
    ...(d.text !== undefined ? { text: d.text } : {}),
    ...(d.expected !== undefined ? { expected: d.expected } : {}),
  };
  if (!d.fatal || d.kind !== "syntax" || /chronyd will not start/.test(d.message)) return plain;
  const own = d.daemonMessage !== undefined ? ` (chronyd: "${d.daemonMessage}")` : "";
  return { ...plain, message: `${d.message}${own}; chronyd will not start` };
}
