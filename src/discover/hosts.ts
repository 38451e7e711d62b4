/**
 * Host discovery (docs/host-dump.md): a directory of hosts, one sub-directory each; a directory that
 * itself holds an ntp.conf or a chrony.conf (or a firewall dump) is one host; files given one by one are grouped with
 * their host's sibling files. Sub-directories that are symbolic links are not followed: a dump must not
 * lead the checker outside the paths it was given.
 *
 * Anything present at a host file's place counts as that file, whatever it is — a FIFO, a device, a
 * directory, a broken link or a link loop: the host stays in the report and the parse stage reports the
 * file as unreadable (PARSE003). Treating such a file as absent would make the host vanish or pass.
 * Only lstat is used here, which never opens (and so never blocks on) what it looks at.
 */
import { lstatSync, readdirSync, statSync, type Dirent } from "node:fs";
import path from "node:path";
import { describeFsError, toPosix } from "./host-files.js";

/** Where each kind of file may sit in a host directory, in order of preference. */
export const HOST_FILE_LOCATIONS = {
  ntp: ["ntp.conf", "etc/ntp.conf", "etc/ntpsec/ntp.conf"],
  /** chronyd's configuration: Debian and Ubuntu keep it in etc/chrony/, RHEL, Fedora and SUSE in etc/. */
  chrony: ["chrony.conf", "etc/chrony/chrony.conf", "etc/chrony.conf"],
  /** chronyd's command-line options as the service reads them (`OPTIONS=` / `DAEMON_OPTS=`). */
  chronyOptions: ["etc/sysconfig/chronyd", "etc/default/chrony"],
  /** First line of `chronyd -v`, written by the collector. */
  chronyVersion: ["chrony-version"],
  iptables: ["iptables-save", "iptables-save.txt", "iptables.rules", "rules.v4", "etc/iptables/rules.v4"],
  ip6tables: ["ip6tables-save", "ip6tables-save.txt", "ip6tables.rules", "rules.v6", "etc/iptables/rules.v6"],
  /**
   * nftables in its own language: what the kernel holds (`nft list ruleset`), else the configuration
   * loaded at boot with what it includes.
   */
  nft: ["nft-ruleset", "nftables.conf", "etc/nftables.conf", "etc/sysconfig/nftables.conf"],
  /** `nft -j list ruleset` (libnftables-json(5)); read when the dump has no nft text form. */
  nftJson: ["nft-ruleset.json"],
  /** Output of `ntpd --version` / `ntpq -c version`, written by the collector. */
  version: ["ntp-version"],
  /** First line of `iptables -V` (`iptables v1.8.9 (nf_tables)`): the backend that loads the dumps. */
  iptablesVersion: ["iptables-version"],
  /** When the collector ran (UTC ISO 8601). */
  collectedAt: ["collected-at"],
  /** Key and password files the collector did not copy: mode, owner, size and path, one per line. */
  keyFiles: ["key-files"],
} as const;

/** Files that describe a host's evidence but are not evidence of a host on their own. */
// `ntp-version` and `chrony-version` mark a host (a daemon is installed; a missing configuration is then NTP022);
// these do not, nor does a service options file without the configuration it belongs to.
const NOT_HOST_MARKERS: ReadonlySet<string> = new Set(["iptables-version", "collected-at", "key-files", "etc/sysconfig/chronyd", "etc/default/chrony"]);

export type HostFileKind = keyof typeof HOST_FILE_LOCATIONS;

export interface HostTarget {
  /** Host name: the directory's name (made unique with its path when two checked paths share it). */
  name: string;
  /** Absolute path of the host directory (the host's root filesystem view). */
  root: string;
  /** Path of the host directory relative to the checked path it came from (`""` when it is that path). */
  displayPrefix: string;
  /** Host-relative paths of the files found, per kind. */
  files: Partial<Record<HostFileKind, string>>;
}

export class DiscoveryError extends Error {}

export function discoverHosts(paths: readonly string[]): HostTarget[] {
  try {
    return discover(paths);
  } finally {
    LISTINGS.clear();
  }
}

function discover(paths: readonly string[]): HostTarget[] {
  if (paths.length === 0) throw new DiscoveryError("no path given");
  const hosts: HostTarget[] = [];
  const seenRoots = new Set<string>();
  const add = (h: HostTarget): void => {
    if (seenRoots.has(h.root)) return;
    seenRoots.add(h.root);
    hosts.push(h);
  };

  for (const given of paths) {
    let st;
    try {
      st = statSync(given);
    } catch (e) {
      throw new DiscoveryError(`${given}: ${describeFsError(e, "cannot access")}`);
    }
    const abs = path.resolve(given);
    if (st.isFile()) {
      add(hostOfFile(abs));
    } else if (st.isDirectory()) {
      if (isHostDir(abs)) {
        add(makeHost(abs, ""));
        continue;
      }
      let children: Dirent[];
      try {
        children = readdirSync(abs, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      } catch (e) {
        throw new DiscoveryError(`${given}: ${describeFsError(e, "cannot list")}`);
      }
      let found = 0;
      for (const child of children) {
        if (!child.isDirectory()) continue; // files and symbolic links are not hosts (the entry's type is lstat's)
        const dir = path.join(abs, child.name);
        if (!isHostDir(dir)) continue;
        add(makeHost(dir, child.name));
        found++;
      }
      if (found === 0) {
        throw new DiscoveryError(
          `${given}: no hosts found (expected sub-directories holding ntp.conf, etc/ntp.conf, chrony.conf, iptables-save, … — see docs/host-dump.md)`,
        );
      }
    } else {
      throw new DiscoveryError(`${given}: not a file or directory`);
    }
  }
  return uniqueNames(hosts).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/**
 * Any file of the layout marks a host, `ntp-version` included: a host with the daemon installed but no
 * ntp.conf is reported (NTP022), never skipped.
 */
function isHostDir(dir: string): boolean {
  return HOST_MARKERS.some((rel) => isPresent(dir, rel));
}

const HOST_MARKERS: readonly string[] = Object.values(HOST_FILE_LOCATIONS)
  .flat()
  .filter((rel) => !NOT_HOST_MARKERS.has(rel));

/**
 * Something is at `root/rel` (a file of any type, or a link, even a dangling one); never follows or opens it.
 * Answered from one listing per directory (a fleet has tens of thousands of hosts and the layout ~30 places
 * per host), and by lstat where a directory can be entered but not listed.
 */
function isPresent(root: string, rel: string): boolean {
  const slash = rel.lastIndexOf("/");
  const names = listing(root, slash === -1 ? "" : rel.slice(0, slash));
  if (names === "unlistable") {
    try {
      lstatSync(path.join(root, rel));
      return true;
    } catch {
      return false;
    }
  }
  return names !== null && names.has(rel.slice(slash + 1));
}

/** The names in a directory, listed once per directory (null: no such directory). */
const LISTINGS = new Map<string, ReadonlySet<string> | null | "unlistable">();

/** The names in `root/relDir`; a directory whose parent's listing lacks it is not looked for. */
function listing(root: string, relDir: string): ReadonlySet<string> | null | "unlistable" {
  const dir = relDir === "" ? root : path.join(root, relDir);
  let names = LISTINGS.get(dir);
  if (names === undefined && relDir !== "") {
    const slash = relDir.lastIndexOf("/");
    const parent = listing(root, slash === -1 ? "" : relDir.slice(0, slash));
    if (parent === null || (parent !== "unlistable" && !parent.has(relDir.slice(slash + 1)))) names = null;
  }
  if (names === undefined) {
    try {
      names = new Set(readdirSync(dir));
    } catch (e) {
      const code = (e as { code?: string }).code;
      names = code === "ENOENT" || code === "ENOTDIR" ? null : "unlistable";
    }
    // Only hosts being discovered are listed; the map is cleared at the end of every discovery.
    LISTINGS.set(dir, names);
  }
  return names;
}

function makeHost(root: string, displayPrefix: string): HostTarget {
  const files: Partial<Record<HostFileKind, string>> = {};
  for (const [kind, candidates] of Object.entries(HOST_FILE_LOCATIONS) as Array<[HostFileKind, readonly string[]]>) {
    const found = candidates.find((rel) => isPresent(root, rel));
    if (found) files[kind] = found;
  }
  return { name: path.basename(root), root, displayPrefix: toPosix(displayPrefix), files };
}

/** A file given on its own: its host is the directory it sits in, or above it for `etc/…` layouts. */
function hostOfFile(file: string): HostTarget {
  const posix = toPosix(file);
  for (const rel of Object.values(HOST_FILE_LOCATIONS).flat()) {
    if (rel.includes("/") && posix.endsWith(`/${rel}`)) {
      const root = file.slice(0, file.length - rel.length - 1);
      return makeHost(root, toPosix(path.relative(process.cwd(), root)));
    }
  }
  // A file nftables.conf includes from /etc/nftables.d belongs to the host whose etc/ holds it.
  const nftInclude = /^(.*)\/etc\/nftables\.d\/[^/]+$/.exec(posix);
  if (nftInclude) {
    const root = file.slice(0, nftInclude[1]!.length);
    return makeHost(root, toPosix(path.relative(process.cwd(), root)));
  }
  const root = path.dirname(file);
  const host = makeHost(root, toPosix(path.relative(process.cwd(), root)));
  // A file with a name outside the layout (e.g. `web1.conf`) is taken as that host's ntp.conf.
  const base = path.basename(file);
  if (!Object.values(HOST_FILE_LOCATIONS).flat().includes(base as never)) host.files.ntp = base;
  return host;
}

function uniqueNames(hosts: HostTarget[]): HostTarget[] {
  const counts = new Map<string, number>();
  for (const h of hosts) counts.set(h.name, (counts.get(h.name) ?? 0) + 1);
  for (const h of hosts) {
    if ((counts.get(h.name) ?? 0) > 1) h.name = toPosix(path.relative(process.cwd(), h.root)) || h.name;
  }
  return hosts;
}
