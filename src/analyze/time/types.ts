/** What the analysis of one time daemon hands to the policy input (src/analyze/time-daemons.ts). */
import type { AssociationFact, FamilyExposureFacts, TimeFacts } from "../../model/input.js";
import type { Diagnostic } from "../../model/diagnostic.js";
import type { AddressFamily } from "../../model/ntpconf.js";
import type { AddressSet } from "../address-set.js";

export interface DaemonAnalysis<Facts> {
  /** The daemon-specific block (`input.ntp`, `input.chrony`). */
  facts: Facts;
  /** False when nothing can be judged from the configuration (an ntp.conf template). */
  usable: boolean;
  /** Lines the daemon that runs rejects, found by the analysis (ntpsec). */
  rejected: Diagnostic[];
  /** The daemon-neutral facts (`input.time`, without `also_configured`). */
  time: Omit<TimeFacts, "also_configured">;
  /** The upstream sources the firewall must let through (src/analyze/firewall/upstream.ts). */
  firewallSources: AssociationFact[];
  /** Both layers together for one family: the daemon's access against what the firewall may admit on UDP/123. */
  exposure(family: AddressFamily, firewallMayAccept: AddressSet): FamilyExposureFacts;
}
