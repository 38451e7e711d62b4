/**
 * The ntp.conf parse stage: `parseNtpConf` for one file's text, `loadNtpConfig` for an entry file with
 * its includes followed inside one host directory.
 */
export { parseNtpConf, NTP_TOKEN_NAMES, MAX_PARSED_LINE_CHARS, type ParsedNtpFile } from "./parse-file.js";
export { loadNtpConfig, MAX_INCLUDE_LEVEL, type LoadedNtpFiles, type NtpIncludeRecord } from "./includes.js";
export { detectTemplate, type NtpTemplate, type TemplateEngine } from "./template.js";
