/**
 * One host's chrony setup, ready for analysis: the daemon options file (/etc/sysconfig/chronyd or
 * /etc/default/chrony, whichever exists first), then the configuration chronyd reads — `-f FILE` of those
 * options, else /etc/chrony/chrony.conf (Debian, Ubuntu) or /etc/chrony.conf (RHEL, Fedora, SUSE) — with its
 * includes. Everything is read inside the host directory only.
 */
import type { ChronyDiagnostic } from "../../model/chrony.js";
import { readHostFile } from "../../discover/host-files.js";
import { parseChronyDaemonOptions, type ParsedDaemonOptions } from "./daemon-options.js";
import { hostRelative } from "../../discover/host-glob.js";
import { loadChronyConfig, type ChronyInputFile, type LoadedChronyConfig } from "./load.js";
import { existsSync } from "node:fs";
import path from "node:path";

/** Where chronyd's configuration lives on the distributions (host-relative), in the order to look. */
export const CHRONY_CONFIG_PATHS = ["etc/chrony/chrony.conf", "etc/chrony.conf"] as const;
/** Where the service files take chronyd's options from (host-relative). */
export const CHRONY_OPTIONS_PATHS = ["etc/sysconfig/chronyd", "etc/default/chrony"] as const;

export interface ChronyHost {
  /** Host-relative path of the configuration read. */
  configPath: string;
  config: LoadedChronyConfig;
  /** Host-relative path of the options file, or null when there is none. */
  optionsPath: string | null;
  options: ParsedDaemonOptions | null;
  /** Every file read (configuration, includes, sources, options). */
  files: Array<ChronyInputFile | { path: string; kind: "chrony.options"; sha256: string; bytes: number }>;
  /** Configuration diagnostics plus options problems (an unknown option stops chronyd too). */
  diagnostics: ChronyDiagnostic[];
}

/**
 * Null when the host has no chrony configuration. `found`: where discovery found the configuration and the
 * options file (host-relative); without it the distributions' places are tried.
 */
export function readChronyHost(hostRoot: string, found: { config?: string; options?: string } = {}): ChronyHost | null {
  let optionsPath: string | null = null;
  let options: ParsedDaemonOptions | null = null;
  const files: ChronyHost["files"] = [];
  const diagnostics: ChronyDiagnostic[] = [];
  for (const candidate of found.options !== undefined ? [found.options] : CHRONY_OPTIONS_PATHS) {
    if (!existsSync(path.join(hostRoot, candidate))) continue;
    const r = readHostFile(hostRoot, candidate);
    if (!r.ok) {
      diagnostics.push({ kind: "unreadable", message: `${candidate}: ${r.reason}`, location: { file: candidate, line: 1, column: 1 }, fatal: false, stage: "parse" });
      break;
    }
    optionsPath = candidate;
    options = parseChronyDaemonOptions(r.text, candidate);
    files.push({ path: candidate, kind: "chrony.options", sha256: r.sha256, bytes: r.bytes });
    for (const p of options.problems) diagnostics.push({ kind: "syntax", message: `${p.message}; chronyd will not start`, location: p.location, fatal: true, stage: "parse" });
    break;
  }
  const fromOptions = options?.configFile ? hostRelative(options.configFile) : null;
  const configPath = fromOptions ?? found.config ?? CHRONY_CONFIG_PATHS.find((p) => existsSync(path.join(hostRoot, p))) ?? null;
  if (configPath === null) return null;
  const config = loadChronyConfig(hostRoot, configPath);
  files.push(...config.files);
  diagnostics.push(...config.diagnostics);
  return { configPath, config, optionsPath, options, files, diagnostics };
}
