/**
 * chrony semantics: `chronyFacts` (JSON-ready facts, daemon-neutral fields first) and `chronyExposure`
 * (the exact address sets), both from the nodes of loadChronyConfig and the parsed daemon options.
 */
export { chronyFacts, chronyExposure, CHRONY_DEFAULTS, type ChronyFacts, type ChronyExposure, type ChronySourceFact, type AddressSetJson, type ChronyListen } from "./facts.js";
export { ChronyAccessTable, type AccessRule } from "./access-table.js";
