/**
 * glob(3) inside one host directory, for the include resolvers of the daemon and firewall readers (chrony's
 * include, confdir and sourcedir; nft's include).
 * A host path (`/etc/chrony/conf.d/*.conf`) is matched against `<host>/etc/chrony/conf.d`; directories are
 * listed only when their real path stays inside the host root, so a hostile link cannot make the checker
 * read outside the host. Matching follows fnmatch without flags: `*`, `?` and `[…]` never match `/`, and
 * a leading `.` of a name is matched only by a literal `.`.
 */
import { readdirSync, realpathSync, statSync } from "node:fs";
import { noteDiskAccess } from "./host-files.js";
import path from "node:path";

export type HostGlobResult =
  | { ok: true; matches: string[] }
  /** `missing`: a directory on the way does not exist (or is not a directory) in the host dump. */
  | { ok: false; missing: true; reason: string }
  | { ok: false; missing: false; reason: string };

const MAGIC = /[*?[]/;

/** True when the pattern has glob characters (glibc's GLOB_NOMAGIC returns such a pattern unmatched). */
export function hasMagic(pattern: string): boolean {
  return MAGIC.test(pattern);
}

/** Host-relative path (no leading `/`) of a host path; relative paths are taken from `/` (chronyd's working directory). */
export function hostRelative(hostPath: string): string | null {
  const parts: string[] = [];
  for (const part of hostPath.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === "..") {
      if (parts.length === 0) return null;
      parts.pop();
      continue;
    }
    parts.push(part);
  }
  return parts.join("/");
}

/** Matches of `pattern` (a host path) as host paths (`/etc/…`), sorted like glob(3) in the C locale. */
export function globInHost(hostRoot: string, pattern: string): HostGlobResult {
  noteDiskAccess(hostRoot);
  let realRoot: string;
  try {
    realRoot = realpathSync(hostRoot);
  } catch {
    return { ok: false, missing: true, reason: "host directory cannot be read" };
  }
  const segments = pattern.split("/").filter((s) => s !== "" && s !== ".");
  let current: string[] = [""];
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i]!;
    const last = i === segments.length - 1;
    const next: string[] = [];
    for (const dir of current) {
      if (segment === "..") {
        const up = dir.split("/").slice(0, -1).join("/");
        next.push(up);
        continue;
      }
      if (!MAGIC.test(segment)) {
        next.push(`${dir}/${segment}`);
        continue;
      }
      const listed = listDir(realRoot, hostRoot, dir);
      if (!listed.ok) return { ok: false, missing: listed.missing, reason: listed.reason };
      const re = fnmatchRegex(segment);
      for (const name of listed.names) if (re.test(name)) next.push(`${dir}/${name}`);
    }
    current = next;
    if (!last && current.length === 0) break;
  }
  // Only existing paths are matches (a literal last segment must exist).
  const matches = current.filter((p) => p !== "" && exists(realRoot, hostRoot, p));
  return { ok: true, matches: matches.sort(byteOrder) };
}

function byteOrder(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function inside(realRoot: string, candidate: string): boolean {
  const rel = path.relative(realRoot, candidate);
  return rel === "" || (!rel.startsWith("..") && !path.isAbsolute(rel));
}

function exists(realRoot: string, hostRoot: string, hostPath: string): boolean {
  try {
    const real = realpathSync(path.join(hostRoot, hostPath));
    return inside(realRoot, real);
  } catch {
    return false;
  }
}

function listDir(
  realRoot: string,
  hostRoot: string,
  hostDir: string,
): { ok: true; names: string[] } | { ok: false; missing: boolean; reason: string } {
  const shown = hostDir === "" ? "/" : hostDir;
  let real: string;
  try {
    real = realpathSync(path.join(hostRoot, hostDir));
  } catch {
    return { ok: false, missing: true, reason: `${shown}: no such directory` };
  }
  if (!inside(realRoot, real)) return { ok: false, missing: false, reason: `${shown} is a link that leads outside the host directory` };
  try {
    if (!statSync(real).isDirectory()) return { ok: false, missing: true, reason: `${shown}: not a directory` };
    return { ok: true, names: readdirSync(real) };
  } catch (e) {
    return { ok: false, missing: false, reason: `${shown}: ${(e as { code?: string }).code ?? String(e)}` };
  }
}

/** fnmatch(pattern, name, 0) for one path segment. */
export function fnmatchRegex(segment: string): RegExp {
  let re = "";
  for (let i = 0; i < segment.length; i++) {
    const c = segment[i]!;
    if (c === "*") re += "[^/]*";
    else if (c === "?") re += "[^/]";
    else if (c === "[") {
      const close = segment.indexOf("]", i + 2);
      if (close === -1) {
        re += "\\[";
        continue;
      }
      let body = segment.slice(i + 1, close);
      const negate = body.startsWith("!") || body.startsWith("^");
      if (negate) body = body.slice(1);
      re += `[${negate ? "^" : ""}${body.replace(/\\/g, "\\\\").replace(/\]/g, "\\]")}]`;
      i = close;
    } else if (c === "\\" && i + 1 < segment.length) {
      re += escape(segment[++i]!);
    } else re += escape(c);
  }
  // A leading dot is matched only by a literal dot.
  const hidden = segment.startsWith(".") ? "" : "(?!\\.)";
  return new RegExp(`^${hidden}${re}$`);
}

function escape(c: string): string {
  return c.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
}
