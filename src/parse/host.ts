/**
 * The parse stage for one host: read and parse every file the host dump holds for it. Nothing here
 * throws for bad content — unreadable files, rejected lines and broken includes are diagnostics.
 */
import type { HostTarget } from "../discover/hosts.js";
import { readHostFile } from "../discover/host-files.js";
import type { Diagnostic } from "../model/diagnostic.js";
import type { InputFile } from "../model/input.js";
import type { IpFamily, Ruleset } from "../model/iptables.js";
import { parseIptablesSave } from "./iptables/index.js";
import { loadNtpConfig, type LoadedNtpFiles } from "./ntp/index.js";

/**
 * Diagnostics kept per host. A hostile file can hold a million rejected lines; past this many, the rest are
 * counted in one PARSE004 finding rather than each carried through the policy and every report.
 */
export const MAX_DIAGNOSTICS_PER_HOST = 10_000;

/** `ntp-version` holds one line of `ntpd --version` output; anything longer is not a version file. */
const MAX_VERSION_BYTES = 4096;

export interface ParsedHost {
  target: HostTarget;
  files: InputFile[];
  diagnostics: Diagnostic[];
  /** Null when the host has no ntp.conf, or it could not be read. */
  ntp: LoadedNtpFiles | null;
  versionText: string | null;
  /** The firewall dumps, per family (null: no file, or it could not be read). */
  firewall: Record<IpFamily, Ruleset | null>;
}

export function parseHost(target: HostTarget): ParsedHost {
  const files: InputFile[] = [];
  const diagnostics: Diagnostic[] = [];
  let ntp: LoadedNtpFiles | null = null;
  let versionText: string | null = null;

  if (target.files.ntp) {
    const loaded = loadNtpConfig(target.root, target.files.ntp);
    files.push(...loaded.files);
    diagnostics.push(...loaded.diagnostics);
    if (loaded.files.some((f) => f.path === target.files.ntp)) ntp = loaded;
  }

  if (target.files.version) {
    const read = readHostFile(target.root, target.files.version, MAX_VERSION_BYTES);
    if (read.ok) {
      versionText = read.text;
      files.push({ path: target.files.version, kind: "ntp-version", sha256: read.sha256, bytes: read.bytes });
    } else {
      diagnostics.push({
        kind: "unreadable",
        message: `${target.files.version}: ${read.reason}`,
        location: { file: target.files.version, line: 1, column: 1 },
      });
    }
  }

  const firewall: Record<IpFamily, Ruleset | null> = { ipv4: null, ipv6: null };
  for (const [kind, family] of [["iptables", "ipv4"], ["ip6tables", "ipv6"]] as const) {
    const rel = target.files[kind];
    if (!rel) continue;
    const read = readHostFile(target.root, rel);
    if (!read.ok) {
      diagnostics.push({ kind: "unreadable", message: `${rel}: ${read.reason}`, location: { file: rel, line: 1, column: 1 } });
      continue;
    }
    files.push({ path: rel, kind, sha256: read.sha256, bytes: read.bytes });
    const ruleset = parseIptablesSave(read.text, rel, family);
    diagnostics.push(...ruleset.diagnostics);
    firewall[family] = ruleset;
  }

  return { target, files, diagnostics: capDiagnostics(diagnostics), ntp, versionText, firewall };
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
