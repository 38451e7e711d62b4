/**
 * The chrony parse stage: `parseChronyConf` for one file's text, `loadChronyConfig` for a host's
 * configuration with include/confdir/sourcedir followed inside the host directory, and
 * `parseChronyDaemonOptions` for /etc/sysconfig/chronyd and /etc/default/chrony.
 */
export { parseChronyConf, CHRONY_MAX_LINE, CHRONY_TOKEN_NAMES, type ParsedChronyFile, type ParseChronyOptions } from "./parse-file.js";
