/**
 * The chrony parse stage: `parseChronyConf` for one file's text, `loadChronyConfig` for a host's
 * configuration with include/confdir/sourcedir followed inside the host directory, and
 * `parseChronyDaemonOptions` for /etc/sysconfig/chronyd and /etc/default/chrony.
 */
export { parseChronyConf, CHRONY_MAX_LINE, CHRONY_TOKEN_NAMES, type ParsedChronyFile, type ParseChronyOptions } from "./parse-file.js";
export { loadChronyConfig, CHRONY_MAX_INCLUDE_LEVEL, type LoadedChronyConfig, type ChronyInputFile, type ChronyIncludeRecord } from "./load.js";
export { parseChronyDaemonOptions, CHRONY_OPTION_VARIABLES, type ParsedDaemonOptions } from "./daemon-options.js";

/** Where chronyd's configuration lives on the distributions (host-relative), in the order to look. */
export const CHRONY_CONFIG_PATHS = ["etc/chrony/chrony.conf", "etc/chrony.conf"] as const;
/** Where the service files take chronyd's options from (host-relative). */
export const CHRONY_OPTIONS_PATHS = ["etc/sysconfig/chronyd", "etc/default/chrony"] as const;
