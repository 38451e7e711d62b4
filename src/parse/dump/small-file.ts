/** Reading the small files the collector writes (versions, collection time, key-file list) into a host's evidence. */
import type { HostFileKind, HostTarget } from "../../discover/hosts.js";
import { readHostFile } from "../../discover/host-files.js";
import type { Diagnostic } from "../../model/diagnostic.js";
import type { InputFile, InputFileKind } from "../../model/input.js";

/** `ntp-version`, `chrony-version`, `iptables-version` and `collected-at` hold one line; anything longer is not such a file. */
export const MAX_VERSION_BYTES = 4096;

/**
 * The text of one of the collector's small files, recorded in `files`; null when the dump has none, or (with a
 * diagnostic) when it exists but cannot be read.
 */
export function readSmallFile(
  target: HostTarget,
  kind: HostFileKind,
  fileKind: InputFileKind,
  maxBytes: number,
  files: InputFile[],
  diagnostics: Diagnostic[],
): string | null {
  const rel = target.files[kind];
  if (!rel) return null;
  const read = readHostFile(target.root, rel, maxBytes);
  if (!read.ok) {
    diagnostics.push({ kind: "unreadable", message: `${rel}: ${read.reason}`, location: { file: rel, line: 1, column: 1 } });
    return null;
  }
  files.push({ path: rel, kind: fileKind, sha256: read.sha256, bytes: read.bytes });
  return read.text;
}
