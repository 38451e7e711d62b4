/**
 * An ntp.conf with its `includefile`s followed the way ntpd reads them: the included file's lines are
 * spliced in at the includefile line, nesting stops at ntpd's MAXINCLUDELEVEL, a file that cannot be
 * read is reported and skipped (ntpd logs "Couldn't open" and carries on), and `end` anywhere stops all
 * reading (ntpd flushes its whole include stack). Files are read only through discover/host-files.ts,
 * so nothing outside the host directory is ever opened. Nothing here throws for bad content.
 *
 * Include path semantics. An absolute path is taken from the host root (the host directory is a root
 * filesystem view). A RELATIVE path is resolved against the directory of the file that contains the
 * includefile line. That is ntpsec's documented rule ("Relative pathnames are evaluated not with respect
 * to the current working directory but with respect to the directory name of the last pushed file in the
 * stack") and what configurations written with relative includes expect (ntpsec's own
 * etc/ntp-conf.d/example.conf: `includefile use-country-pool`). Classic ntpd 4.2.8 hands the path to
 * fopen(), i.e. resolves it against the daemon's working directory, which a host dump does not record
 * (`/` under systemd or after daemonising, anything when started by hand). Resolving against the including
 * file is the only choice that is right for one of the daemons and reproducible offline; `resolved_path`
 * shows the result so a reader can see which file was checked.
 */
import path from "node:path";
import type { Diagnostic } from "../../model/diagnostic.js";
import { evidenceText } from "../../model/diagnostic.js";
import type { InputFile } from "../../model/input.js";
import type { SourceLocation } from "../../model/location.js";
import type { IncludeNode, NtpNode } from "../../model/ntpconf.js";
import { readHostFile, resolveInHost } from "../../discover/host-files.js";
import { parseNtpConf } from "./parse-file.js";
import type { NtpTemplate } from "./template.js";
import { splitLines } from "./text.js";

/** ntpd's MAXINCLUDELEVEL: the main file plus at most five levels of nested includefile. */
export const MAX_INCLUDE_LEVEL = 5;

/**
 * Included files read per host. Five levels of N includefile lines each fan out to N^5 reads (N=10: 100,000
 * files, minutes and gigabytes); no real configuration includes more than a handful. Beyond the cap the
 * includefile lines are not followed and the host gets one PARSE004 finding; everything read so far is checked.
 */
export const MAX_INCLUDED_FILES = 1000;

export interface NtpIncludeRecord {
  /** As written on the includefile line. */
  path: string;
  /** Host-relative path the include names (null when it cannot be mapped into the host directory). */
  resolved_path: string | null;
  /** True when the file was read and its lines spliced in. */
  resolved: boolean;
  /** The includefile line. */
  location: SourceLocation;
}

export interface LoadedNtpFiles {
  /** Every file that was read: the entry file (`ntp.conf`) and each included file (`ntp.include`), once. */
  files: InputFile[];
  /** Accepted lines in ntpd's reading order, included files spliced in at their includefile line. */
  nodes: NtpNode[];
  diagnostics: Diagnostic[];
  /** The first template met in reading order (the entry file or an included one), else null. */
  template: NtpTemplate | null;
  /** Every includefile line met, in reading order. */
  includes: NtpIncludeRecord[];
}

interface LoadState extends LoadedNtpFiles {
  hostRoot: string;
  /** Set by `end`: nothing more is read. */
  stopped: boolean;
  /** Text of every file read, for evidence lines. */
  texts: Map<string, string>;
  /** Included files read so far (MAX_INCLUDED_FILES). */
  followed: number;
  /** Set once the cap is reported. */
  capped: boolean;
  keyFiles: ReadonlySet<string>;
}

/**
 * Read `entryRelPath` (host-relative) under `hostRoot` with everything it includes. `keyFiles`: host-relative
 * paths of key and password files the collector recorded in `key-files` without copying them (secrets):
 * an includefile naming one is known to exist and is not reported as unresolved.
 */
export function loadNtpConfig(hostRoot: string, entryRelPath: string, keyFiles: ReadonlySet<string> = new Set()): LoadedNtpFiles {
  const state: LoadState = {
    hostRoot,
    keyFiles,
    files: [],
    nodes: [],
    diagnostics: [],
    template: null,
    includes: [],
    stopped: false,
    texts: new Map(),
    followed: 0,
    capped: false,
  };
  const read = readHostFile(hostRoot, entryRelPath);
  if (!read.ok) {
    state.diagnostics.push({
      kind: "unreadable",
      message: `${entryRelPath}: ${read.reason}`,
      location: { file: entryRelPath, line: 1, column: 1 },
    });
    return result(state);
  }
  state.files.push({ path: entryRelPath, kind: "ntp.conf", sha256: read.sha256, bytes: read.bytes });
  readFile(state, entryRelPath, read.text, [path.posix.normalize(entryRelPath)]);
  return result(state);
}

function result(state: LoadState): LoadedNtpFiles {
  return { files: state.files, nodes: state.nodes, diagnostics: state.diagnostics, template: state.template, includes: state.includes };
}

/** `stack` is the include chain down to and including `relPath` (its length is ntpd's lex_level()). */
function readFile(state: LoadState, relPath: string, text: string, stack: string[]): void {
  state.texts.set(relPath, text);
  const parsed = parseNtpConf(text, relPath);
  state.diagnostics.push(...parsed.diagnostics);
  if (parsed.template) {
    state.template ??= parsed.template;
    return;
  }
  for (const node of parsed.nodes) {
    state.nodes.push(node);
    if (node.kind === "end") {
      state.stopped = true;
      return;
    }
    if (node.kind === "includefile") {
      include(state, node, relPath, stack);
      if (state.stopped) return;
    }
  }
}

function include(state: LoadState, node: IncludeNode, fromFile: string, stack: string[]): void {
  const requested = node.path.text;
  const record: NtpIncludeRecord = { path: requested, resolved_path: null, resolved: false, location: node.location };
  state.includes.push(record);
  const fail = (reason: string): void => {
    state.diagnostics.push({
      kind: "include",
      message: `includefile ${JSON.stringify(requested)} not followed: ${reason}`,
      location: node.location,
      text: evidenceText(physicalLine(state, fromFile, node.location.line)),
    });
  };

  const fromDir = path.posix.dirname(fromFile);
  const resolved = resolveInHost(state.hostRoot, requested, fromDir === "." ? "" : fromDir);
  if (!resolved.ok) return fail(resolved.reason);
  const target = resolved.relPath;
  record.resolved_path = target;

  // ntpd refuses an includefile met at lex_level() > MAXINCLUDELEVEL ("Maximum include file level exceeded").
  if (stack.length > MAX_INCLUDE_LEVEL) {
    return fail(`nesting deeper than ntpd's limit of ${MAX_INCLUDE_LEVEL} included levels`);
  }
  if (stack.includes(target)) {
    return fail(`include cycle ${[...stack.slice(stack.indexOf(target)), target].join(" -> ")}`);
  }
  if (state.followed >= MAX_INCLUDED_FILES) {
    if (!state.capped) {
      state.capped = true;
      state.diagnostics.push({
        kind: "not-checked",
        message: `more than ${MAX_INCLUDED_FILES} included files: this includefile and every later one were not followed`,
        location: node.location,
        text: evidenceText(physicalLine(state, fromFile, node.location.line)),
      });
    }
    return;
  }
  state.followed++;
  const read = readHostFile(state.hostRoot, target);
  // A key or password file withheld by the collector: present on the host, deliberately not in the dump.
  if (!read.ok && state.keyFiles.has(target)) return;
  if (!read.ok) return fail(`${target}: ${read.reason}`);
  if (!state.files.some((f) => f.path === target)) {
    state.files.push({ path: target, kind: "ntp.include", sha256: read.sha256, bytes: read.bytes });
  }
  record.resolved = true;
  readFile(state, target, read.text, [...stack, target]);
}

function physicalLine(state: LoadState, file: string, line: number): string {
  const text = state.texts.get(file);
  return text === undefined ? "" : (splitLines(text)[line - 1] ?? "");
}
