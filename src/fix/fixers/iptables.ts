/**
 * UDP/123 accepted from untrusted sources (FW001), in an iptables-save or restore file: a chain that lets through
 * only the trusted networks and loopback is added to the filter table, and each accepting rule (or the INPUT
 * policy) is preceded by a jump to it for NEW datagrams to port 123:
 *
 *     :NTP-UNTRUSTED - [0:0]
 *     -A INPUT -p udp -m udp --dport 123 -m conntrack --ctstate NEW -j NTP-UNTRUSTED   (before the accept)
 *     -A NTP-UNTRUSTED -s 10.0.0.0/8 -j RETURN                                         (each trusted network)
 *     -A NTP-UNTRUSTED -s 127.0.0.0/8 -j RETURN
 *     -A NTP-UNTRUSTED -j DROP
 *
 * Trusted datagrams return and meet the accepting rule as before; nothing else the firewall does changes. Only NEW
 * datagrams are dropped, so the replies of the host's own upstream servers still pass. With no trusted networks
 * configured, which networks may query is a decision the fix does not make.
 */
import type { IpFamily } from "../../model/iptables.js";
import type { RuleEvidence } from "../../model/input.js";
import type { TextEdit } from "../../model/edit.js";
import { isIpv6Cidr } from "./cidr.js";
import { insertLines } from "../text-edits.js";
import { needsDecision, type Fixer, type Proposal } from "../fixer.js";

const LOOPBACK: Record<IpFamily, string> = { ipv4: "127.0.0.0/8", ipv6: "::1/128" };
const GUARD_MATCH = "-p udp -m udp --dport 123 -m conntrack --ctstate NEW";

interface FilterTable {
  /** 0-based index of the last chain declaration (`:NAME …`) and of COMMIT. */
  lastDeclaration: number;
  commit: number;
  /** 0-based index of the last `-A INPUT` rule, or -1. */
  lastInputRule: number;
  chains: Set<string>;
  start: number;
}

function filterTable(lines: readonly string[]): FilterTable | null {
  let table: FilterTable | null = null;
  let inFilter = false;
  lines.forEach((raw, i) => {
    const line = raw.trim();
    if (line.startsWith("*")) {
      inFilter = line === "*filter";
      if (inFilter) table = { lastDeclaration: i, commit: -1, lastInputRule: -1, chains: new Set(), start: i };
      return;
    }
    if (!inFilter || table === null) return;
    const t = table as FilterTable;
    if (line.startsWith(":")) {
      t.lastDeclaration = i;
      t.chains.add(line.slice(1).split(/\s+/)[0]!);
    } else if (/^-A\s+INPUT\s/.test(line)) t.lastInputRule = i;
    else if (line === "COMMIT" && t.commit === -1) {
      t.commit = i;
      inFilter = false;
    }
  });
  const found = table as FilterTable | null;
  return found !== null && found.commit !== -1 ? found : null;
}

function tableOfLine(lines: readonly string[], index: number): string | null {
  for (let i = index; i >= 0; i--) if (lines[i]!.trim().startsWith("*")) return lines[i]!.trim().slice(1);
  return null;
}

export const untrustedNtpFixer: Fixer = {
  rules: ["FW001"],
  propose(finding, ctx): Proposal {
    const family: IpFamily | null =
      ctx.input.firewall.ipv4?.file === finding.location.file ? "ipv4" : ctx.input.firewall.ipv6?.file === finding.location.file ? "ipv6" : null;
    const facts = family ? ctx.input.firewall[family] : null;
    if (!family || !facts) return needsDecision("the finding's firewall file could not be told from the facts");
    // An nftables ruleset is not edited here: the finding's remediation gives the nft command.
    if (facts.format === "nft") return needsDecision(`${facts.file} is an nftables ruleset: apply the nft command of the finding's fix`);
    const trusted = ctx.config.trusted_networks.filter((n) => isIpv6Cidr(n) === (family === "ipv6"));
    if (trusted.length === 0) {
      return needsDecision(`which ${family === "ipv6" ? "IPv6" : "IPv4"} networks may query is a decision: set trusted_networks in the configuration (or --trusted CIDR), then run fix again`);
    }
    const lines = ctx.lines(facts.file);
    const table = lines ? filterTable(lines) : null;
    if (!lines || !table) return needsDecision(`${facts.file} has no complete *filter table to add the guard to`);
    let chain = "NTP-UNTRUSTED";
    for (let n = 2; table.chains.has(chain); n++) chain = `NTP-UNTRUSTED-${n}`;

    const jumps = new Map<string, number>(); // chain → 0-based line index of its first accepting rule
    for (const e of facts.ntp_inbound.accepted_untrusted_by as RuleEvidence[]) {
      const index = e.location.line - 1;
      if (e.location.file !== facts.file || tableOfLine(lines, index) !== "filter") return needsDecision(`\`${e.text}\` is not a rule of the filter table of ${facts.file}`);
      const words = e.text.trim().split(/\s+/);
      if (words[0] === "-A" && words[1]) {
        if (!jumps.has(words[1]) || jumps.get(words[1])! > index) jumps.set(words[1], index);
      } else if (/^:INPUT\s/.test(e.text.trim())) {
        // The policy accepts what reaches the end of INPUT: guard the end.
        const end = (table.lastInputRule === -1 ? table.lastDeclaration : table.lastInputRule) + 1;
        jumps.set("INPUT", Math.min(jumps.get("INPUT") ?? end, end));
      } else {
        return needsDecision(`\`${e.text}\` is neither a rule nor the INPUT policy`);
      }
    }
    if (jumps.size === 0) return needsDecision("no accepting rule was named by the analysis");
    const edits: TextEdit[] = [insertLines(facts.file, table.lastDeclaration + 2, [`:${chain} - [0:0]`])];
    for (const [from, index] of [...jumps.entries()].sort((a, b) => a[1] - b[1])) {
      edits.push(insertLines(facts.file, index + 1, [`-A ${from} ${GUARD_MATCH} -j ${chain}`]));
    }
    edits.push(
      insertLines(facts.file, table.commit + 1, [...[...trusted, LOOPBACK[family]].map((n) => `-A ${chain} -s ${n} -j RETURN`), `-A ${chain} -j DROP`]),
    );
    return {
      description: `drop NEW UDP/123 datagrams from outside ${trusted.join(", ")} and loopback (chain ${chain}) before they reach ${facts.ntp_inbound.accepted_untrusted_by.map((e) => `\`${e.text}\``).join(", ")} (${facts.file})`,
      edits,
    };
  },
};
