/**
 * Time sources as ntpd would run them, and whether ntpd could actually select each one: a source only
 * counts as an upstream when its replies get through the restrict list, its key is trusted, and it is
 * not marked noselect.
 */
import type { AddressKind, AssociationFact } from "../model/input.js";
import type { AssociationNode, RefclockNode } from "../model/ntpconf.js";
import { AddressSet, parseAddress } from "./address-set.js";
import type { DaemonFlavor, RestrictEntryView, RestrictList } from "./restrict.js";

const REFCLOCK_RANGE = AddressSet.of("ipv4", ["127.127.0.0/16"]);

export function associationFacts(
  nodes: ReadonlyArray<AssociationNode | RefclockNode>,
  restrict: RestrictList,
  trustedKeys: ReadonlySet<number>,
  flavor: DaemonFlavor,
): AssociationFact[] {
  return nodes.map((node) => (node.kind === "refclock" ? refclockFact(node) : networkFact(node, restrict, trustedKeys, flavor)));
}

function refclockFact(node: RefclockNode): AssociationFact {
  return {
    mode: "refclock",
    address: node.driver.text,
    address_kind: "refclock",
    family: null,
    options: node.options,
    location: node.location,
    text: node.text,
    selectable: !("noselect" in node.options),
    unusable_reasons: "noselect" in node.options ? ["marked noselect"] : [],
    local_clock: node.driver.text.toLowerCase() === "local",
  };
}

function networkFact(
  node: AssociationNode,
  restrict: RestrictList,
  trustedKeys: ReadonlySet<number>,
  flavor: DaemonFlavor,
): AssociationFact {
  const address = node.address.text;
  const literal = parseAddress(address);
  let kind: AddressKind = literal ? literal.family : "hostname";
  if (literal?.family === "ipv4" && REFCLOCK_RANGE.contains(AddressSet.of("ipv4", [address]))) kind = "refclock";
  const reasons: string[] = [];

  if ("noselect" in node.options) reasons.push("marked noselect");

  if (kind !== "refclock") {
    const governing = replyRestriction(node, literal ? address : null, restrict);
    for (const g of governing) {
      if (g.entry.flags.includes("ignore")) {
        reasons.push(`its replies are dropped: ${g.describe} has ignore`);
      }
      const authenticated = "key" in node.options || "autokey" in node.options || "nts" in node.options;
      if (g.entry.flags.includes("notrust") && !authenticated) {
        reasons.push(`its replies are dropped: ${g.describe} has notrust and the association is not authenticated`);
      }
      // ntpd 4.2.8: nopeer also stops pool associations unless `restrict source` lets them through.
      if (flavor === "ntpd" && node.mode === "pool" && g.source === "default" && g.entry.flags.includes("nopeer")) {
        reasons.push(`pool servers are refused: ${g.describe} has nopeer and there is no restrict source line`);
      }
    }
  }

  const key = node.options["key"];
  if (typeof key === "number" && !trustedKeys.has(key)) {
    reasons.push(`key ${key} is not a trustedkey`);
  }

  return {
    mode: node.mode,
    address,
    address_kind: kind,
    family: node.family ?? (literal ? literal.family : null),
    options: node.options,
    location: node.location,
    text: node.text,
    selectable: reasons.length === 0,
    unusable_reasons: [...new Set(reasons)],
    // 127.127.T.U: T is the driver type; type 1 is the undisciplined local clock.
    ...(kind === "refclock" ? { local_clock: address.split(".")[2] === "1" } : {}),
  };
}

interface Governing {
  entry: RestrictEntryView;
  source: "host" | "template" | "default";
  describe: string;
}

/**
 * The restrict entries that apply to this server's replies (which come from its port 123). With a host
 * name the address is unknown offline: the `restrict source` template applies when configured (it adds a
 * host entry for every association at run time), otherwise the defaults of every family it may resolve to
 * — and the source is only called blocked when all of them block it.
 */
function replyRestriction(node: AssociationNode, literal: string | null, restrict: RestrictList): Governing[] {
  const template = restrict.source();
  // The template becomes a host entry for the server's address at run time, with the template's flags.
  const viaTemplate = (entry: RestrictEntryView, t: NonNullable<typeof template>): Governing => ({
    entry: { ...entry, kind: "address", flags: t.flags, lines: t.lines },
    source: "template",
    describe: "restrict source",
  });
  if (literal) {
    const entry = restrict.lookup(literal, true)!;
    if (entry.kind === "address") return [{ entry, source: "host", describe: describeEntry(entry) }];
    if (template) return [viaTemplate(entry, template)];
    return [{ entry, source: "default", describe: describeEntry(entry) }];
  }
  const named = restrict.hostnameEntry(node.address.text);
  if (named) return [{ entry: named, source: "host", describe: `restrict ${node.address.text}` }];
  if (template) return [viaTemplate(restrict.defaultEntry(node.family ?? "ipv4"), template)];
  const families = node.family ? [node.family] : (["ipv4", "ipv6"] as const);
  const defaults = families.map((f) => restrict.defaultEntry(f));
  // Report a blocking flag only when every family the name may resolve to blocks it.
  const common = defaults.map((d) => d.flags).reduce((a, b) => a.filter((f) => b.includes(f)));
  const first = defaults[0]!;
  return [{ entry: { ...first, flags: common }, source: "default", describe: families.length === 2 ? "restrict default (both families)" : describeEntry(first) }];
}

function describeEntry(entry: RestrictEntryView): string {
  if (entry.kind === "default") return `restrict ${entry.family === "ipv4" ? "-4" : "-6"} default`;
  const loc = entry.lines[0]?.location;
  return loc ? `the restrict line at ${loc.file}:${loc.line}` : "a restrict entry";
}
