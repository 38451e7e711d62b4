/**
 * Reading files of one host directory safely. A host dump may be hostile: paths are confined to the
 * host root (symlinks included), only regular files are read, sizes are capped and binary content is
 * refused. Nothing here throws for bad content; every refusal is a reason string.
 */
import { createHash } from "node:crypto";
import { closeSync, constants, fstatSync, lstatSync, openSync, readSync, realpathSync, statSync, type Stats } from "node:fs";
import path from "node:path";

/** Larger than any real ntp.conf or iptables dump of a 100k-rule node (~15 MB). */
export const MAX_INPUT_BYTES = 64 * 1024 * 1024;

export type FileReadResult =
  | { ok: true; text: string; sha256: string; bytes: number }
  | { ok: false; reason: string; sha256?: string; bytes?: number };

export type ResolveResult = { ok: true; relPath: string } | { ok: false; reason: string };

/** POSIX form of a host-relative path ("etc/ntp.conf"). */
export function toPosix(p: string): string {
  return p.split(path.sep).join("/");
}

/**
 * Resolve `requested` as the daemon would on the host: absolute paths start at the host root,
 * relative ones at `fromDir` (a host-relative directory). Refuses anything that leaves the host.
 */
export function resolveInHost(_hostRoot: string, requested: string, fromDir: string): ResolveResult {
  if (requested.includes("\0")) return { ok: false, reason: "path contains a NUL byte" };
  const base = requested.startsWith("/") ? "/" : path.posix.join("/", fromDir);
  const joined = path.posix.normalize(path.posix.join(base, requested));
  // posix.normalize of an absolute path cannot climb above "/", so a ".." escape shows up as a
  // different result than the naive join; detect it explicitly.
  const naive = requested.split("/").reduce<number>((depth, part) => {
    if (depth < 0) return depth;
    if (part === "..") return depth - 1;
    if (part === "" || part === ".") return depth;
    return depth + 1;
  }, requested.startsWith("/") ? 0 : fromDir.split("/").filter((s) => s && s !== ".").length);
  if (naive < 0) return { ok: false, reason: `path ${JSON.stringify(requested)} leaves the host directory` };
  const rel = joined.replace(/^\/+/, "");
  return { ok: true, relPath: rel === "" ? "." : rel };
}

/** The host root resolved, remembered for the host whose files are being read (a host reads several in a row). */
let lastRoot: { root: string; real: string } | null = null;

function realRootOf(hostRoot: string): string {
  if (lastRoot?.root !== hostRoot) lastRoot = { root: hostRoot, real: realpathSync.native(hostRoot) };
  return lastRoot.real;
}

function isInside(root: string, candidate: string): boolean {
  const rel = path.relative(root, candidate);
  return rel === "" || (!rel.startsWith("..") && !path.isAbsolute(rel));
}

/**
 * Files of one host already read by the caller, served by readHostFile while `withPrereadFiles` runs: a
 * fleet check evaluates a host from normalised copies of its files (src/check/host-memo.ts). Only results of
 * readHostFile itself belong here, so every check above was made on the real file.
 */
let preread: { root: string; files: ReadonlyMap<string, FileReadResult & { ok: true }>; touchedDisk: boolean } | null = null;

/**
 * Runs `run` with `files` (host-relative path → what readHostFile returned for it) served from memory.
 * `touchedDisk` tells whether anything else of the host was read or listed meanwhile (an include, a glob):
 * then the result depends on more than the files given.
 */
export function withPrereadFiles<T>(hostRoot: string, files: ReadonlyMap<string, FileReadResult & { ok: true }>, run: () => T): { value: T; touchedDisk: boolean } {
  const outer = preread;
  const current = { root: hostRoot, files, touchedDisk: false };
  preread = current;
  try {
    return { value: run(), touchedDisk: current.touchedDisk };
  } finally {
    preread = outer;
  }
}

/** Called by every reader of a host's disk (files, directory listings), for withPrereadFiles. */
export function noteDiskAccess(hostRoot: string): void {
  if (preread?.root === hostRoot) preread.touchedDisk = true;
}

/** Read a host-relative file: confined to the host root, regular, ≤ MAX_INPUT_BYTES, text. */
export function readHostFile(hostRoot: string, relPath: string, maxBytes = MAX_INPUT_BYTES): FileReadResult {
  const known = preread?.root === hostRoot ? preread.files.get(relPath) : undefined;
  if (known) return known.bytes > maxBytes ? tooLarge(known.bytes, maxBytes) : known;
  noteDiskAccess(hostRoot);
  let realRoot: string;
  let realFile: string;
  try {
    realRoot = realRootOf(hostRoot);
    realFile = realpathSync.native(path.join(hostRoot, relPath));
  } catch (e) {
    return { ok: false, reason: danglingLinkReason(path.join(hostRoot, relPath)) ?? describeFsError(e, "cannot open") };
  }
  if (!isInside(realRoot, realFile)) {
    return { ok: false, reason: "the file is a link that leads outside the host directory" };
  }
  let fd: number;
  try {
    // stat (never open) first: opening a FIFO blocks until a writer comes, a device may never end.
    const st = statSync(realFile);
    if (!st.isFile()) return { ok: false, reason: `${fileTypeOf(st)}, not a regular file` };
    // O_NONBLOCK and O_NOFOLLOW: if the path was swapped for a FIFO or a link since the stat, the open
    // neither blocks nor leaves the host directory.
    fd = openSync(realFile, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOFOLLOW);
  } catch (e) {
    return { ok: false, reason: describeFsError(e, "cannot open") };
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) return { ok: false, reason: `${fileTypeOf(st)}, not a regular file` };
    const size = st.size;
    if (size > maxBytes) return tooLarge(size, maxBytes);
    const buf = Buffer.allocUnsafe(size);
    let off = 0;
    while (off < size) {
      const n = readSync(fd, buf, off, size - off, off);
      if (n === 0) break;
      off += n;
    }
    const data = buf.subarray(0, off);
    const sha256 = createHash("sha256").update(data).digest("hex");
    const nul = data.indexOf(0);
    if (nul !== -1) {
      return { ok: false, reason: `binary content (NUL byte at offset ${nul})`, sha256, bytes: off };
    }
    return { ok: true, text: data.toString("utf8"), sha256, bytes: off };
  } catch (e) {
    return { ok: false, reason: describeFsError(e, "cannot read") };
  } finally {
    closeSync(fd);
  }
}

function tooLarge(size: number, maxBytes: number): FileReadResult {
  return { ok: false, reason: `file is ${size} bytes, larger than the ${maxBytes}-byte limit`, bytes: size };
}

/** What a file that is not a regular file is, for the reason a reader sees. */
function fileTypeOf(st: Stats): string {
  if (st.isDirectory()) return "a directory";
  if (st.isFIFO()) return "a FIFO (named pipe)";
  if (st.isCharacterDevice()) return "a character device";
  if (st.isBlockDevice()) return "a block device";
  if (st.isSocket()) return "a socket";
  return "a special file";
}

/** "a symbolic link to a missing file" when `p` is a link whose target does not exist, else null. */
function danglingLinkReason(p: string): string | null {
  try {
    if (!lstatSync(p).isSymbolicLink()) return null;
  } catch {
    return null; // nothing there at all (or a missing directory on the way): the caller's own reason
  }
  try {
    statSync(p);
    return null;
  } catch (e) {
    return (e as { code?: string } | null)?.code === "ENOENT" ? "a symbolic link to a missing file" : null;
  }
}

export function describeFsError(e: unknown, what: string): string {
  const code = (e as { code?: string } | null)?.code;
  switch (code) {
    case "ENOENT":
      return "no such file";
    case "EACCES":
    case "EPERM":
      return `${what}: permission denied`;
    case "EISDIR":
      return "is a directory";
    case "ELOOP":
      return "too many levels of symbolic links";
    default:
      return `${what}: ${code ?? String(e)}`;
  }
}
