/**
 * The real chronyd (Debian's chrony 4.3 package, extracted by scripts/install-chronyd.sh) as an oracle:
 * where it is, and `chronyd -p -f FILE`, which reads a configuration exactly as at start-up, prints it
 * and exits (status 1 and "Fatal error : …" when chronyd would refuse to start).
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";

/** Where scripts/install-chronyd.sh puts the extracted package unless NTPP_CHRONY_DIR says otherwise. */
export const DEFAULT_CHRONY_DIR = "/usr/local/lib/ntp-policy-chrony";

export type ChronydAvailability = { ok: true; chronyd: string; chronyc: string; version: string } | { ok: false; reason: string };

let cached: ChronydAvailability | null = null;

/** Finds chronyd: env NTPP_CHRONYD, then $NTPP_CHRONY_DIR (or the default dir)/usr/sbin/chronyd, then PATH. */
export function chronydAvailable(): ChronydAvailability {
  if (cached) return cached;
  const dir = process.env.NTPP_CHRONY_DIR ?? DEFAULT_CHRONY_DIR;
  const candidates = [
    process.env.NTPP_CHRONYD,
    path.join(dir, "usr/sbin/chronyd"),
    "/usr/sbin/chronyd",
  ].filter((c): c is string => Boolean(c));
  for (const chronyd of candidates) {
    if (!existsSync(chronyd)) continue;
    const r = spawnSync(chronyd, ["-v"], { encoding: "utf8", timeout: 10_000 });
    if (r.status !== 0) {
      cached = { ok: false, reason: `${chronyd} -v failed: ${(r.stderr || r.error?.message || "").trim()}` };
      return cached;
    }
    const chronyc = path.join(path.dirname(path.dirname(chronyd)), "bin/chronyc");
    cached = { ok: true, chronyd, chronyc, version: r.stdout.trim() };
    return cached;
  }
  cached = { ok: false, reason: `chronyd not found (tried ${candidates.join(", ")}); run scripts/install-chronyd.sh` };
  return cached;
}

export interface ChronydVerdict {
  accepted: boolean;
  /** chronyd's fatal message without "Fatal error : " (null when accepted). */
  fatal: string | null;
  /** Warnings printed while reading (e.g. "commandkey directive is no longer supported"). */
  warnings: string[];
}

/** `chronyd -p -f FILE`: does chronyd accept the configuration? */
export function chronydCheck(chronyd: string, file: string): ChronydVerdict {
  const r = spawnSync(chronyd, ["-p", "-f", file], { encoding: "utf8", timeout: 15_000 });
  const lines = (r.stderr ?? "").split("\n").map((l) => l.replace(/^\S+Z /, "").trim()).filter(Boolean);
  const fatalLine = lines.find((l) => l.startsWith("Fatal error : "));
  return {
    accepted: r.status === 0,
    fatal: fatalLine ? fatalLine.slice("Fatal error : ".length) : r.status === 0 ? null : `exit ${r.status}`,
    warnings: lines.filter((l) => !l.startsWith("Fatal error : ")),
  };
}
