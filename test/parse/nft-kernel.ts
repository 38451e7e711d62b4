/**
 * The real nft as an oracle, always inside a private network namespace created for the call (the host's
 * own ruleset is never read or changed):
 *
 * - `nftCheck(text)`: `nft -c -f FILE` (parse, evaluate and let the kernel validate the batch without
 *   committing). Interfaces named after `iif`/`oif`/`device(s)` are created as dummy links first, because nft
 *   resolves them when it reads the rule and a fresh namespace has only `lo`: the verdict is "would this file
 *   load on a host that has its interfaces".
 * - `nftRoundTrip(text)`: load the file with `nft -f`, then `nft list ruleset` and `nft -j list ruleset`.
 *
 * Namespaces are named `ntpp-nft-<pid>-<n>` and removed afterwards.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

export type NftAvailability = { ok: true } | { ok: false; reason: string };

let cached: NftAvailability | undefined;
let counter = 0;

function run(cmd: string, args: string[], cwd?: string): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(cmd, args, { encoding: "utf8", cwd, timeout: 60_000, maxBuffer: 256 * 1024 * 1024 });
  return { status: r.status, stdout: r.stdout ?? "", stderr: r.stderr ?? (r.error ? String(r.error) : "") };
}

export function nftAvailable(): NftAvailability {
  if (cached) return cached;
  if (process.env.NTPP_NETNS === "0") return (cached = { ok: false, reason: "disabled by NTPP_NETNS=0" });
  if (process.platform !== "linux") return (cached = { ok: false, reason: `not Linux (${process.platform})` });
  if (process.getuid?.() !== 0) return (cached = { ok: false, reason: "not root (nft -c needs CAP_NET_ADMIN)" });
  if (run("nft", ["--version"]).status !== 0) return (cached = { ok: false, reason: "nft not found (apt-get install -y nftables)" });
  const trial = withNamespace((ns) => run("ip", ["netns", "exec", ns, "nft", "-c", "add table inet t"]));
  if (!trial.ok) return (cached = { ok: false, reason: trial.reason });
  if (trial.value.status !== 0) return (cached = { ok: false, reason: `nft -c fails in a namespace: ${trial.value.stderr.trim()}` });
  return (cached = { ok: true });
}

function withNamespace<T>(fn: (ns: string) => T): { ok: true; value: T } | { ok: false; reason: string } {
  const ns = `ntpp-nft-${process.pid}-${counter++}`;
  const add = run("ip", ["netns", "add", ns]);
  if (add.status !== 0) return { ok: false, reason: `ip netns add failed: ${add.stderr.trim()}` };
  try {
    return { ok: true, value: fn(ns) };
  } finally {
    run("ip", ["netns", "del", ns]);
  }
}

/** Interface names a ruleset names (iif/oif/device/devices/fwd to, directly or through a `define`). */
export function interfaceNames(text: string): string[] {
  const names = new Set<string>();
  const defines = new Map<string, string>();
  for (const m of text.matchAll(/\bdefine\s+([A-Za-z_][A-Za-z0-9_]*)\s*=\s*"?([A-Za-z0-9_.:-]{1,15})"?\s*$/gm)) defines.set(m[1]!, m[2]!);
  for (const m of text.matchAll(/\b(?:iif|oif|device|fwd to|dup to)\s+"?(\$?[A-Za-z0-9_.:-]{1,15})"?/g)) {
    const name = m[1]!.startsWith("$") ? defines.get(m[1]!.slice(1)) : m[1]!;
    if (name !== undefined) names.add(name);
  }
  for (const m of text.matchAll(/\bdevices\s*=\s*\{([^}]*)\}/g)) {
    for (const part of m[1]!.split(",")) {
      const name = part.trim().replace(/^"|"$/g, "");
      if (/^[A-Za-z0-9_.:-]{1,15}$/.test(name)) names.add(name);
    }
  }
  names.delete("lo");
  return [...names].filter((n) => !n.startsWith("$")).sort();
}

/** The kernel here may lack the dummy driver: each interface is one end of a veth pair (peer `ntppN`). */
function addInterfaces(ns: string, text: string): void {
  interfaceNames(text).forEach((dev, i) => {
    run("ip", ["-n", ns, "link", "add", dev, "type", "veth", "peer", "name", `ntpp${i}`]);
  });
}

export interface CheckResult {
  accepted: boolean;
  /** nft's first error message (without location), when rejected. */
  error: string;
}

/** `nft -c -f NAME` on `text`, saved as NAME in an empty directory (relative includes then resolve nowhere). */
export function nftCheck(text: string, name = "ruleset.nft"): CheckResult {
  const dir = mkdtempSync(path.join(tmpdir(), "ntpp-nft-"));
  try {
    writeFileSync(path.join(dir, name), text);
    const result = withNamespace((ns) => {
      addInterfaces(ns, text);
      return run("ip", ["netns", "exec", ns, "nft", "-c", "-f", name], dir);
    });
    if (!result.ok) throw new Error(result.reason);
    const r = result.value;
    const error = /Error: (.*)/.exec(r.stderr)?.[1] ?? r.stderr.trim().split("\n")[0] ?? "";
    return { accepted: r.status === 0, error: r.status === 0 ? "" : error };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export interface RoundTrip {
  loaded: boolean;
  error: string;
  text: string;
  json: string;
}

/** Load `text` with `nft -f` in a fresh namespace and read it back in both list forms. */
export function nftRoundTrip(text: string): RoundTrip {
  const dir = mkdtempSync(path.join(tmpdir(), "ntpp-nft-"));
  try {
    writeFileSync(path.join(dir, "ruleset.nft"), text);
    const result = withNamespace((ns) => {
      addInterfaces(ns, text);
      const load = run("ip", ["netns", "exec", ns, "nft", "-f", "ruleset.nft"], dir);
      if (load.status !== 0) return { loaded: false, error: load.stderr.trim(), text: "", json: "" };
      const listed = run("ip", ["netns", "exec", ns, "nft", "list", "ruleset"]);
      const json = run("ip", ["netns", "exec", ns, "nft", "-j", "list", "ruleset"]);
      return { loaded: true, error: "", text: listed.stdout, json: json.stdout };
    });
    if (!result.ok) throw new Error(result.reason);
    return result.value;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
