/**
 * Lines ntpsec rejects although classic ntpd accepts them. The grammar accepts the union of both daemons;
 * on a host judged as ntpsec (src/analyze/ntp-facts.ts decides) these lines are what ntpsec does with them:
 * a syntax error, the line ignored. Each case was checked against ntpsec 1.2.2's own parser
 * (`ntpd -n -d -c FILE` in a private network namespace), which reports
 * "syntax error in FILE line N, column C" for every one of them.
 */
import type { Diagnostic } from "../model/diagnostic.js";
import { evidenceText } from "../model/diagnostic.js";
import type { SourceLocation } from "../model/location.js";
import type { NtpNode } from "../model/ntpconf.js";

/** Commands ntpsec removed: broadcast/manycast/multicast modes, Autokey, `discard`. */
const REMOVED_COMMANDS: Record<string, string> = {
  broadcast: "broadcast mode was removed from ntpsec",
  manycastclient: "manycast mode was removed from ntpsec",
  manycastserver: "manycast mode was removed from ntpsec",
  broadcastclient: "broadcast client mode was removed from ntpsec",
  multicastclient: "multicast client mode was removed from ntpsec",
  crypto: "Autokey (`crypto`) was removed from ntpsec",
  revoke: "Autokey (`revoke`) was removed from ntpsec",
  automax: "Autokey (`automax`) was removed from ntpsec",
  keysdir: "Autokey (`keysdir`) was removed from ntpsec",
  discard: "ntpsec has no `discard` command (its rate limits are set with `mru` and `restrict … limited`)",
};

/** Words that ntpsec's parser no longer knows inside otherwise valid commands. */
const REMOVED_STATISTICS = new Set(["cryptostats", "timingstats"]);
const REMOVED_SYSTEM_FLAGS = new Set(["bclient", "mode7"]);
const REMOVED_ASSOCIATION_OPTIONS = new Set(["autokey", "ttl"]);

export interface NtpsecReading {
  /** The lines ntpsec keeps. */
  kept: NtpNode[];
  /** One syntax diagnostic per line ntpsec rejects. */
  rejected: Diagnostic[];
}

export function readAsNtpsec(nodes: readonly NtpNode[]): NtpsecReading {
  const kept: NtpNode[] = [];
  const rejected: Diagnostic[] = [];
  for (const node of nodes) {
    const why = rejection(node);
    if (why) {
      rejected.push({
        kind: "syntax",
        message: `ntpsec rejects this line (syntax error): ${why.reason}; ntpd ignores the line`,
        location: why.location,
        text: evidenceText(node.text),
      });
    } else {
      kept.push(node);
    }
  }
  return { kept, rejected };
}

function rejection(node: NtpNode): { reason: string; location: SourceLocation } | null {
  const removed = REMOVED_COMMANDS[node.keyword];
  if (removed !== undefined) return { reason: removed, location: node.location };
  switch (node.kind) {
    case "association": {
      const option = Object.keys(node.options).find((o) => REMOVED_ASSOCIATION_OPTIONS.has(o));
      return option ? { reason: `ntpsec has no \`${option}\` option for ${node.keyword}`, location: node.location } : null;
    }
    case "enable":
    case "disable": {
      const flag = node.flags.find((w) => REMOVED_SYSTEM_FLAGS.has(w.text));
      if (!flag) return null;
      const what = flag.text === "mode7" ? "ntpsec has no mode 7 (ntpdc)" : "ntpsec has no broadcast client";
      return { reason: `\`${node.keyword} ${flag.text}\`: ${what}`, location: flag.location };
    }
    case "tos":
      return "cohort" in node.options ? { reason: "ntpsec has no `tos cohort`", location: node.location } : null;
    case "directive": {
      if (node.keyword !== "statistics" && node.keyword !== "filegen") return null;
      const word = node.args.find((w) => REMOVED_STATISTICS.has(w.text));
      return word ? { reason: `ntpsec has no \`${word.text}\` statistics`, location: word.location } : null;
    }
    default:
      return null;
  }
}
