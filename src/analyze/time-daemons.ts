/**
 * The analyze half of the time-daemon seam (the parse half, with the files each daemon owns, is
 * src/parse/time-daemons.ts, keyed by the same names): how each daemon's parsed files become its own fact
 * block and the daemon-neutral `input.time`, and which one `input.time` describes when a dump holds the
 * configuration of more than one.
 */
import type { ChronyFacts } from "../model/chrony.js";
import type { NtpFacts, TimeDaemonName } from "../model/input.js";
import type { ParsedHost } from "../parse/host.js";
import { TIME_DAEMON_KEYS, type ParsedDaemons, type TimeDaemonKey } from "../parse/time-daemons.js";
import { analyzeChrony } from "./time/chrony.js";
import { analyzeNtpd } from "./time/ntpd.js";
import type { DaemonAnalysis } from "./time/types.js";
import type { TrustedNetworks } from "./trust.js";

export type { DaemonAnalysis } from "./time/types.js";

/** Each daemon's analysis, by the name its reader has; the block of the policy input it fills. */
export const TIME_DAEMON_ANALYZERS = {
  ntpd: {
    block: "ntp",
    analyze: (host: ParsedHost, parsed: NonNullable<ParsedDaemons["ntpd"]>, trusted: TrustedNetworks): DaemonAnalysis<NtpFacts> =>
      analyzeNtpd(parsed, host.target.files.ntp!, trusted),
  },
  chrony: {
    block: "chrony",
    analyze: (_host: ParsedHost, parsed: NonNullable<ParsedDaemons["chrony"]>, trusted: TrustedNetworks): DaemonAnalysis<ChronyFacts> =>
      analyzeChrony(parsed, trusted),
  },
} as const satisfies Record<TimeDaemonKey, { block: string; analyze: unknown }>;

export interface AnalyzedDaemons {
  ntpd: DaemonAnalysis<NtpFacts> | null;
  chrony: DaemonAnalysis<ChronyFacts> | null;
  /** The daemon `input.time` describes (null: no usable configuration). */
  primary: DaemonAnalysis<NtpFacts | ChronyFacts> | null;
  /** The other daemons whose configuration is in the dump. */
  alsoConfigured: TimeDaemonName[];
}

export function analyzeTimeDaemons(host: ParsedHost, trusted: TrustedNetworks): AnalyzedDaemons {
  const ntpd = host.daemons.ntpd ? TIME_DAEMON_ANALYZERS.ntpd.analyze(host, host.daemons.ntpd, trusted) : null;
  const chrony = host.daemons.chrony ? TIME_DAEMON_ANALYZERS.chrony.analyze(host, host.daemons.chrony, trusted) : null;
  const usable = { ntpd: ntpd?.usable ? ntpd : null, chrony: chrony?.usable ? chrony : null };
  const key = primaryDaemon(host, usable);
  const primary = key === null ? null : usable[key];
  const alsoConfigured = TIME_DAEMON_KEYS.filter((k) => k !== key && usable[k] !== null).map((k) => usable[k]!.time.daemon.name);
  return { ntpd, chrony, primary, alsoConfigured };
}

/**
 * Which daemon runs, when the dump holds more than one configuration: the one whose version file the collector
 * wrote (it writes it for the daemon it finds installed); with both or neither, ntpd — a leftover chrony.conf
 * beside a configured ntpd changes nothing the ntpd rules said before. Either configuration is still judged by
 * its own rules.
 */
function primaryDaemon(host: ParsedHost, usable: Record<TimeDaemonKey, unknown>): TimeDaemonKey | null {
  if (usable.ntpd === null) return usable.chrony === null ? null : "chrony";
  if (usable.chrony === null) return "ntpd";
  const chronyVersion = host.daemons.chrony?.versionText != null;
  const ntpVersion = host.daemons.ntpd?.versionText != null;
  return chronyVersion && !ntpVersion ? "chrony" : "ntpd";
}
