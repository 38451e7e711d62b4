/**
 * The chrony parse stage: `parseChronyConf` for one file's text, `loadChronyConfig` for a host's
 * configuration with include/confdir/sourcedir followed inside the host directory, and
 * `parseChronyDaemonOptions` for /etc/sysconfig/chronyd and /etc/default/chrony.
 */
export { parseChronyConf, CHRONY_MAX_LINE, CHRONY_TOKEN_NAMES, type ParsedChronyFile, type ParseChronyOptions } from "./parse-file.js";
export { loadChronyConfig, CHRONY_MAX_INCLUDE_LEVEL, type LoadedChronyConfig, type ChronyInputFile, type ChronyIncludeRecord } from "./load.js";
export { parseChronyDaemonOptions, CHRONY_OPTION_VARIABLES, type ParsedDaemonOptions } from "./daemon-options.js";
export { readChronyHost, CHRONY_CONFIG_PATHS, CHRONY_OPTIONS_PATHS, type ChronyHost } from "./host.js";
