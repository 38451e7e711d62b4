/**
 * chronyd's access table (addrfilt.c), rebuilt exactly and turned into address sets.
 *
 * chronyd keeps one tree per family whose nodes split the address 4 bits at a time (NBITS = 4); every
 * node holds ALLOW, DENY or "as parent", and the roots start as DENY. `allow`/`deny` SUBNET sets the node of
 * that prefix (a length that is not a multiple of 4 sets all the nodes of the next multiple of 4 it
 * covers: `/9` sets eight /12 nodes); `allow all`/`deny all` also drops everything below those nodes.
 * A lookup walks down the address and takes the last non-"as parent" state met. So a more specific entry
 * wins over a shorter one whatever their order (unless a later `… all` removes it), and between entries
 * on the same nodes the later one wins. A line without a subnet sets both roots.
 * Directives are applied in file order (CNF_SetupAccessRestrictions), `allow`/`deny` to the NTP table and
 * `cmdallow`/`cmddeny` to the command table.
 */
import { AddressSet, maxAddress, parseAddress } from "../address-set.js";
import type { AddressFamily } from "../../model/ntpconf.js";

const NBITS = 4;
const FANOUT = 1 << NBITS;
const WIDTH: Record<AddressFamily, number> = { ipv4: 32, ipv6: 128 };

type State = "allow" | "deny" | "parent";

interface TableNode {
  state: State;
  children: TableNode[] | null;
}

/** One allow/deny line as the table sees it. `family: "any"` is the line without a subnet. */
export interface AccessRule {
  allow: boolean;
  all: boolean;
  family: AddressFamily | "any";
  /** Network address (ignored for "any"). */
  address: string | null;
  bits: number;
}

export class ChronyAccessTable {
  private readonly roots: Record<AddressFamily, TableNode> = {
    ipv4: { state: "deny", children: null },
    ipv6: { state: "deny", children: null },
  };

  /** Applies one rule; false for chronyd's "Bad subnet" (prefix longer than the address), which changes nothing. */
  apply(rule: AccessRule): boolean {
    const state: State = rule.allow ? "allow" : "deny";
    if (rule.family === "any") {
      if (rule.bits !== 0) return false;
      this.set("ipv4", 0n, 0, state, rule.all);
      this.set("ipv6", 0n, 0, state, rule.all);
      return true;
    }
    const parsed = rule.address === null ? null : parseAddress(rule.address);
    if (!parsed || parsed.family !== rule.family) return false;
    if (rule.bits < 0 || rule.bits > WIDTH[rule.family]) return false;
    this.set(rule.family, parsed.value, rule.bits, state, rule.all);
    return true;
  }

  /** ADF_IsAllowed for one address. */
  isAllowed(address: string): boolean {
    const parsed = parseAddress(address);
    if (!parsed) return false;
    let node = this.roots[parsed.family];
    let state: State = "deny";
    let consumed = 0;
    for (;;) {
      if (node.state !== "parent") state = node.state;
      if (!node.children) break;
      node = node.children[nybble(parsed.value, parsed.family, consumed)]!;
      consumed += NBITS;
    }
    return state === "allow";
  }

  /** Every address of the family the table allows (exact). */
  allowed(family: AddressFamily): AddressSet {
    const parts: AddressSet[] = [];
    const walk = (node: TableNode, prefix: bigint, depth: number, inherited: State): void => {
      const state = node.state === "parent" ? inherited : node.state;
      const hostBits = BigInt(WIDTH[family] - depth);
      if (!node.children) {
        if (state === "allow") parts.push(AddressSet.fromRange(family, prefix, prefix + (1n << hostBits) - 1n));
        return;
      }
      for (let i = 0; i < FANOUT; i++) {
        walk(node.children[i]!, prefix | (BigInt(i) << (hostBits - BigInt(NBITS))), depth + NBITS, state);
      }
    };
    walk(this.roots[family], 0n, 0, "deny");
    return parts.reduce((acc, s) => acc.union(s), AddressSet.empty(family));
  }

  /** ADF_IsAnyAllowed: chronyd opens a family's NTP server socket only when this is true. */
  isAnyAllowed(family: AddressFamily): boolean {
    return !this.allowed(family).isEmpty();
  }

  private set(family: AddressFamily, value: bigint, bits: number, state: State, deleteChildren: boolean): void {
    const width = WIDTH[family];
    value &= maxAddress(family);
    let node = this.roots[family];
    let toGo = bits;
    let consumed = 0;
    while (toGo >= NBITS) {
      node = open(node)[nybble(value, family, consumed)]!;
      toGo -= NBITS;
      consumed += NBITS;
    }
    if (toGo === 0) {
      if (deleteChildren) node.children = null;
      node.state = state;
      return;
    }
    // A length that is not a multiple of 4: set every child node the prefix covers.
    const n = 1 << (NBITS - toGo);
    const first = consumed < width ? nybble(value, family, consumed) & ~(n - 1) : 0;
    const children = open(node);
    for (let i = first; i < first + n; i++) {
      if (deleteChildren) children[i]!.children = null;
      children[i]!.state = state;
    }
  }
}

function open(node: TableNode): TableNode[] {
  if (!node.children) node.children = Array.from({ length: FANOUT }, () => ({ state: "parent" as State, children: null }));
  return node.children;
}

function nybble(value: bigint, family: AddressFamily, consumed: number): number {
  const shift = BigInt(WIDTH[family] - NBITS - consumed);
  return Number((value >> shift) & BigInt(FANOUT - 1));
}
