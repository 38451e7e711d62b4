/**
 * From the ntp.conf syntax tree (includes spliced in, rejected lines already gone) to the facts the
 * policies judge: the restrict list, the time sources, the system flags, keys, includes, interfaces.
 */
import type { DaemonFacts, IncludeFact, InterfaceFact, NtpFacts, SourceLine, SystemFlagFact } from "../model/input.js";
import type { AssociationNode, NtpNode, RefclockNode, SystemFlagsNode } from "../model/ntpconf.js";
import type { Diagnostic } from "../model/diagnostic.js";
import { associationFacts } from "./associations.js";
import { readAsNtpsec } from "./ntpsec-syntax.js";
import { dropUnusableMasks } from "./restrict-masks.js";
import { RestrictList, type TrustedNetworks } from "./restrict.js";

/** What the parse stage hands over for one host's ntp.conf. */
export interface LoadedNtpConfig {
  configFile: string;
  nodes: NtpNode[];
  template: unknown | null;
  includes: IncludeFact[];
}

/** Largest key id ntpd accepts (keyid is 1..65534 in ntp.keys). */
const MAX_KEY_ID = 65535;

/** The facts, and the restrict list behind them (the cross-layer analysis needs its address sets). */
export function analyzeNtp(
  config: LoadedNtpConfig,
  trusted: TrustedNetworks,
  versionText: string | null,
): { facts: NtpFacts; restrict: RestrictList; rejected: Diagnostic[] } {
  const daemon = decideDaemon(config.nodes, versionText);
  // Judge by the daemon that runs: on ntpsec, the lines ntpsec rejects are syntax errors and take no effect.
  const masks = dropUnusableMasks(config.nodes);
  const daemonReading = daemon.flavor === "ntpsec" ? readAsNtpsec(masks.kept) : { kept: masks.kept, rejected: [] };
  const reading = { kept: daemonReading.kept, rejected: [...masks.rejected, ...daemonReading.rejected] };
  const restrict = new RestrictList(daemon.flavor);
  const associations: Array<AssociationNode | RefclockNode> = [];
  const flagLines: SystemFlagsNode[] = [];
  const trustedKeys = new Set<number>();
  const interfaces: InterfaceFact[] = [];
  const tos: Record<string, number | string> = {};
  const broadcastClients: SourceLine[] = [];

  for (const node of reading.kept) {
    switch (node.kind) {
      case "restrict":
        restrict.apply(node);
        break;
      case "association":
      case "refclock":
        associations.push(node);
        break;
      case "enable":
      case "disable":
        flagLines.push(node);
        break;
      case "trustedkey":
        for (const [from, to] of node.ranges) {
          for (let k = Math.max(0, from); k <= Math.min(to, MAX_KEY_ID); k++) trustedKeys.add(k);
        }
        break;
      case "interface":
        interfaces.push({ action: node.action, match: node.match.text, location: node.location, text: node.text });
        break;
      case "tos":
        Object.assign(tos, node.options);
        break;
      case "directive":
        if (node.keyword === "broadcastclient" || node.keyword === "multicastclient") {
          broadcastClients.push({ location: node.location, text: node.text });
        }
        break;
      default:
        break;
    }
  }

  const monitor = systemFlag(flagLines, "monitor", true);
  const mode7 = daemon.flavor === "ntpsec" ? { enabled: false, location: null, text: null } : systemFlag(flagLines, "mode7", false);
  const auth = systemFlag(flagLines, "auth", true);
  const bclient = daemon.flavor === "ntpsec" ? { enabled: false, location: null, text: null } : systemFlag(flagLines, "bclient", false);

  const facts: NtpFacts = {
    config_file: config.configFile,
    template: config.template !== null,
    daemon,
    restrict: restrict.facts(trusted),
    associations: associationFacts(associations, restrict, trustedKeys, daemon.flavor),
    system: {
      // "Monitoring is always active as long as there is a restriction entry with the limited flag."
      monitor: { ...monitor, active: monitor.enabled || restrict.anyEntryHas("limited") },
      mode7,
      auth,
      bclient,
    },
    trusted_keys: [...trustedKeys].sort((a, b) => a - b),
    includes: config.includes,
    interfaces,
    tos,
    broadcast_client_lines: broadcastClients,
  };
  return { facts, restrict, rejected: reading.rejected };
}

/** enable/disable: the last line naming the flag wins; otherwise the daemon's default. */
function systemFlag(lines: SystemFlagsNode[], flag: string, byDefault: boolean): SystemFlagFact {
  let fact: SystemFlagFact = { enabled: byDefault, location: null, text: null };
  for (const line of lines) {
    const word = line.flags.find((w) => w.text === flag);
    if (word) fact = { enabled: line.kind === "enable", location: word.location, text: line.text };
  }
  return fact;
}

/**
 * ntpd and ntpsec differ where it matters (built-in default flags, nopeer and pool, mode 7). A version
 * file in the dump decides; otherwise syntax only ntpsec accepts; otherwise classic ntpd, whose built-in
 * default entry has no flags — the assumption that never hides an exposure.
 */
function decideDaemon(nodes: NtpNode[], versionText: string | null): DaemonFacts {
  if (versionText !== null) {
    const version = versionText.trim().split(/\r?\n/)[0]!.slice(0, 200);
    return { flavor: /ntpsec/i.test(version) ? "ntpsec" : "ntpd", decided_by: "version-file", version };
  }
  const ntpsecOnly = nodes.some(
    (n) =>
      n.kind === "refclock" ||
      (n.kind === "restrict" && (n.command === "unrestrict" || n.prefixLength !== null)) ||
      (n.kind === "association" && "nts" in n.options) ||
      (n.kind === "directive" && n.keyword === "nts"),
  );
  return { flavor: ntpsecOnly ? "ntpsec" : "ntpd", decided_by: ntpsecOnly ? "syntax" : "assumed", version: null };
}
