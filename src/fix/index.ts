/** `ntp-policy fix` as a library: verified changes for failing findings, their diff, and writing them in place. */
export { planFixes, type FixOptions, type FixPlan, type HostFixPlan } from "./plan.js";
export { fixesByFinding, renderPatch, renderSummary } from "./render.js";
export { writeFixes } from "./write.js";
export { FIXABLE_RULES } from "./fixers/index.js";
