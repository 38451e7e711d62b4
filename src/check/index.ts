/**
 * The check pipeline as a library: discover → parse → analyze → policy → report model, for a list of paths
 * and a configuration. The command line (src/cli/) is one caller; docs/architecture.md shows another.
 */
export { catalogInEffect, fullCatalog, inputsFor, runCheck, streamCheck, type CheckOptions, type ReportHead, type ReportSink, type ReportTail } from "./pipeline.js";
export { customPolicies, DEFAULT_CONFIG_FILE, resolveConfig, type ConfigOverrides } from "./resolve.js";
export { ConfigError, hostBitsWarnings, isNetwork, loadConfigFile, parseConfig } from "./config.js";
export { DEFAULT_HOST_BUDGET, isStringLimitError, NOT_CHECKED_RULE, type HostBudget } from "./host-budget.js";
export { DiscoveryError } from "../discover/hosts.js";
