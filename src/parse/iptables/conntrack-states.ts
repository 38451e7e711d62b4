/** Connection-tracking states of `-m state --state` and `-m conntrack --ctstate`, as sets. */
import type { StateSet } from "../../model/iptables.js";

export const CT_STATES = ["INVALID", "NEW", "ESTABLISHED", "RELATED", "UNTRACKED", "SNAT", "DNAT"] as const;

/** `NEW,ESTABLISHED` → sorted upper-case states; an unknown state is an error (iptables rejects it). */
export function parseStates(text: string, conntrack: boolean): { states: string[]; error?: string } {
  const states = new Set<string>();
  for (const raw of text.split(",")) {
    const s = raw.toUpperCase();
    const allowed = conntrack ? CT_STATES.includes(s as (typeof CT_STATES)[number]) : CT_STATES.slice(0, 5).includes(s as (typeof CT_STATES)[number]);
    if (!allowed) return { states: [], error: `bad ${conntrack ? "ctstate" : "state"} ${JSON.stringify(raw)}` };
    states.add(s);
  }
  return { states: [...states].sort() };
}

export function intersectStateSets(a: StateSet, b: StateSet): StateSet {
  const ea = new Set(a.negated ? CT_STATES.filter((s) => !a.states.includes(s)) : a.states);
  const eb = b.negated ? CT_STATES.filter((s) => !b.states.includes(s)) : b.states;
  return { states: eb.filter((s) => ea.has(s)).sort(), negated: false };
}
