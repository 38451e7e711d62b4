/**
 * A host's chrony configuration read the way chronyd 4.3 reads it (conf.c), inside one host directory:
 * - `include PATTERN`: glob(3) with GLOB_NOMAGIC|GLOB_ERR. A pattern without wildcards names one file that
 *   must exist ("Could not open …", fatal); a wildcard pattern whose directory cannot be searched is fatal
 *   ("Could not search for files matching …"); a searchable directory without matches is fine. Matches are
 *   read in sorted order, spliced in at the include line.
 * - `confdir DIR…` (1–10 directories): every `*.conf`, ordered by file name; a name found in several
 *   directories is read from the first directory listed. Missing directories are fine.
 * - `sourcedir DIR…`: every `*.sources` file, read after the whole configuration, server/pool/peer lines
 *   only, bad lines skipped (chronyd reloads these at run time). A missing directory — /run/chrony-dhcp on a
 *   host without DHCP-provided servers — is normal.
 * - Nesting deeper than chronyd's MAX_INCLUDE_LEVEL (10 files) is fatal ("Maximum include level reached");
 *   that also ends an include cycle, as in chronyd.
 * Files are read only through discover/host-files.ts (confined to the host, size-capped, text only).
 */
import type { ChronyDiagnostic, ChronyNode } from "../../model/chrony.js";
import { evidenceText, unreadableFile } from "../../model/diagnostic.js";
import type { SourceLocation } from "../../model/location.js";
import { readHostFile } from "../../discover/host-files.js";
import { splitLines } from "../ntp/text.js";
import { globInHost, hasMagic, hostRelative } from "../../discover/host-glob.js";
import { parseChronyConf } from "./parse-file.js";

/** chronyd's MAX_INCLUDE_LEVEL: the main file and nested includes, 10 files deep at most. */
export const CHRONY_MAX_INCLUDE_LEVEL = 10;
/** chronyd's MAX_CONF_DIRS for confdir and sourcedir. */
export const CHRONY_MAX_CONF_DIRS = 10;

export type ChronyFileKind = "chrony.conf" | "chrony.include" | "chrony.sources";

export interface ChronyInputFile {
  /** Host-relative, `/`-separated. */
  path: string;
  kind: ChronyFileKind;
  sha256: string;
  bytes: number;
}

export interface ChronyIncludeRecord {
  directive: "include" | "confdir" | "sourcedir";
  /** As written (the pattern, or the directories). */
  argument: string;
  /** Host-relative paths of the files read because of this line. */
  files: string[];
  location: SourceLocation;
}

export interface LoadedChronyConfig {
  files: ChronyInputFile[];
  /** Accepted lines in chronyd's reading order; sourcedir sources come last. */
  nodes: ChronyNode[];
  diagnostics: ChronyDiagnostic[];
  includes: ChronyIncludeRecord[];
  /** True when some line makes chronyd refuse to start. */
  fatal: boolean;
}

interface State extends LoadedChronyConfig {
  hostRoot: string;
  texts: Map<string, string>;
  pendingSourceDirs: Array<{ dirs: string[]; record: ChronyIncludeRecord }>;
}

/** Read `entryRelPath` (host-relative, e.g. `etc/chrony/chrony.conf`) with everything it pulls in. */
export function loadChronyConfig(hostRoot: string, entryRelPath: string): LoadedChronyConfig {
  const state: State = {
    hostRoot,
    files: [],
    nodes: [],
    diagnostics: [],
    includes: [],
    fatal: false,
    texts: new Map(),
    pendingSourceDirs: [],
  };
  const read = readHostFile(hostRoot, entryRelPath);
  if (!read.ok) {
    state.diagnostics.push({
      ...unreadableFile(entryRelPath, read.reason),
      fatal: true,
      stage: "parse",
      daemonMessage: `Could not open /${entryRelPath}`,
    });
    return finish(state);
  }
  state.files.push({ path: entryRelPath, kind: "chrony.conf", sha256: read.sha256, bytes: read.bytes });
  readConfigFile(state, entryRelPath, read.text, 1);
  for (const { dirs, record } of state.pendingSourceDirs) {
    for (const file of filesInDirs(state, dirs, ".sources")) {
      const rel = hostRelative(file)!;
      const r = readHostFile(hostRoot, rel);
      if (!r.ok) continue; // chronyd skips a sources file it cannot open
      addFile(state, rel, "chrony.sources", r.sha256, r.bytes);
      record.files.push(rel);
      const parsed = parseChronyConf(r.text, rel, { sourcesFile: true, hostPath: file });
      state.nodes.push(...parsed.nodes);
      state.diagnostics.push(...parsed.diagnostics);
    }
  }
  return finish(state);
}

function finish(state: State): LoadedChronyConfig {
  const fatal = state.diagnostics.some((d) => d.fatal);
  return { files: state.files, nodes: state.nodes, diagnostics: state.diagnostics, includes: state.includes, fatal };
}

function addFile(state: State, rel: string, kind: ChronyFileKind, sha256: string, bytes: number): void {
  if (!state.files.some((f) => f.path === rel)) state.files.push({ path: rel, kind, sha256, bytes });
}

function readConfigFile(state: State, relPath: string, text: string, level: number): void {
  state.texts.set(relPath, text);
  const parsed = parseChronyConf(text, relPath, { hostPath: `/${relPath}` });
  state.diagnostics.push(...parsed.diagnostics);
  for (const node of parsed.nodes) {
    state.nodes.push(node);
    if (node.kind !== "directive") continue;
    if (node.directive === "include") include(state, node, relPath, level);
    else if (node.directive === "confdir") confdir(state, node, level);
    else if (node.directive === "sourcedir") {
      const record: ChronyIncludeRecord = { directive: "sourcedir", argument: node.args.map((a) => a.text).join(" "), files: [], location: node.location };
      state.includes.push(record);
      state.pendingSourceDirs.push({ dirs: node.args.map((a) => a.text), record });
    }
  }
}

type DirectiveNode = Extract<ChronyNode, { kind: "directive" }>;

function fatalAt(state: State, node: DirectiveNode, fromFile: string, message: string, daemonMessage: string): void {
  state.diagnostics.push({
    kind: "include",
    message: `${message}; chronyd will not start`,
    location: node.location,
    text: evidenceText(physicalLine(state, fromFile, node.location.line)),
    fatal: true,
    stage: "parse",
    daemonMessage,
  });
}

function include(state: State, node: DirectiveNode, fromFile: string, level: number): void {
  const pattern = node.args[0]!.text;
  const record: ChronyIncludeRecord = { directive: "include", argument: pattern, files: [], location: node.location };
  state.includes.push(record);
  let targets: string[];
  if (!hasMagic(pattern)) {
    targets = [pattern.startsWith("/") ? pattern : `/${pattern}`];
  } else {
    const g = globInHost(state.hostRoot, pattern);
    if (!g.ok) {
      const why = g.missing ? "the directory is not in the host dump" : g.reason;
      return fatalAt(state, node, fromFile, `Could not search for files matching ${pattern} (${why})`, `Could not search for files matching ${pattern}`);
    }
    targets = g.matches;
  }
  for (const target of targets) readIncluded(state, node, fromFile, target, level, record);
}

function readIncluded(state: State, node: DirectiveNode, fromFile: string, hostPath: string, level: number, record: ChronyIncludeRecord): void {
  if (level + 1 > CHRONY_MAX_INCLUDE_LEVEL) {
    return fatalAt(state, node, fromFile, `Maximum include level reached (${CHRONY_MAX_INCLUDE_LEVEL} nested files)`, "Maximum include level reached");
  }
  const rel = hostRelative(hostPath);
  if (rel === null || rel === "") return fatalAt(state, node, fromFile, `Could not open ${hostPath} (outside the host directory)`, `Could not open ${hostPath}`);
  const r = readHostFile(state.hostRoot, rel);
  if (!r.ok) return fatalAt(state, node, fromFile, `Could not open ${hostPath} (${r.reason})`, `Could not open ${hostPath} : No such file or directory`);
  addFile(state, rel, "chrony.include", r.sha256, r.bytes);
  record.files.push(rel);
  readConfigFile(state, rel, r.text, level + 1);
}

function confdir(state: State, node: DirectiveNode, level: number): void {
  const dirs = node.args.map((a) => a.text);
  const record: ChronyIncludeRecord = { directive: "confdir", argument: dirs.join(" "), files: [], location: node.location };
  state.includes.push(record);
  for (const file of filesInDirs(state, dirs, ".conf")) readIncluded(state, node, node.location.file, file, level, record);
}

/** chronyd's search_dirs: DIR/*SUFFIX in every directory, by file name, the first directory winning a name. */
function filesInDirs(state: State, dirs: string[], suffix: string): string[] {
  const byName = new Map<string, string>();
  for (const dir of dirs.slice(0, CHRONY_MAX_CONF_DIRS)) {
    const g = globInHost(state.hostRoot, `${dir}/*${suffix}`);
    if (!g.ok) continue;
    for (const file of g.matches) {
      const name = file.slice(file.lastIndexOf("/") + 1);
      if (!byName.has(name)) byName.set(name, file);
    }
  }
  return [...byName.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)).map((n) => byName.get(n)!);
}

function physicalLine(state: State, file: string, line: number): string {
  const text = state.texts.get(file);
  return text === undefined ? "" : (splitLines(text)[line - 1] ?? "");
}
