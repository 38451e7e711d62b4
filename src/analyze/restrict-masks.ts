/**
 * `restrict ADDRESS mask M` with a mask that is not an address at all (`255.255.0`, `255.255.0.0.0`):
 * ntpd and ntpsec share the code that logs "restrict: ignoring line N, mask 'M' unusable." and drop the
 * whole line (checked against ntpsec 1.2.2). Such a line must not be read as a host entry (/32): it is
 * a rejected line, and the entry it meant to create does not exist.
 */
import type { Diagnostic } from "../model/diagnostic.js";
import { evidenceText } from "../model/diagnostic.js";
import type { NtpNode } from "../model/ntpconf.js";
import { parseAddress } from "./address-set.js";

export function dropUnusableMasks(nodes: readonly NtpNode[]): { kept: NtpNode[]; rejected: Diagnostic[] } {
  const kept: NtpNode[] = [];
  const rejected: Diagnostic[] = [];
  for (const node of nodes) {
    if (node.kind === "restrict" && node.mask && parseAddress(node.mask.text) === null) {
      rejected.push({
        kind: "syntax",
        message: `restrict: ignoring line ${node.location.line}, mask '${node.mask.text}' unusable (ntpd drops the whole line: the entry it meant to create does not exist)`,
        location: node.mask.location,
        text: evidenceText(node.text),
      });
    } else {
      kept.push(node);
    }
  }
  return { kept, rejected };
}
