/**
 * chronyd's command line from /etc/sysconfig/chronyd (RHEL, Fedora, SUSE: `OPTIONS=`, read by chronyd.service
 * as `EnvironmentFile=` and expanded unquoted: `ExecStart=/usr/sbin/chronyd $OPTIONS`) or /etc/default/chrony
 * (Debian, Ubuntu: `DAEMON_OPTS=`, `ExecStart=!/usr/sbin/chronyd $DAEMON_OPTS`).
 *
 * The file is read as systemd reads an EnvironmentFile: `KEY=VALUE` lines, `#`/`;` comment lines, values in
 * double quotes (with `\"`, `\\`, `\$`, `` \` `` escapes) or single quotes (literal), a trailing `\` joining the
 * next line, the last assignment winning. The value is then split at blanks (an unquoted `$OPTIONS`) and read
 * with chronyd's getopt string "46dF:f:hl:L:mnpP:qQrRst:u:Uvx".
 */
import type { ChronyDaemonOptions } from "../../model/chrony.js";
import type { SourceLocation } from "../../model/location.js";
import { splitLines } from "../ntp/text.js";

/** The variables the distributions' service files pass to chronyd. */
export const CHRONY_OPTION_VARIABLES = ["OPTIONS", "DAEMON_OPTS"] as const;

const WITH_ARGUMENT = new Set(["F", "f", "l", "L", "P", "t", "u"]);
const FLAGS = new Set(["4", "6", "d", "h", "m", "n", "p", "q", "Q", "r", "R", "s", "U", "v", "x"]);

export interface ParsedDaemonOptions extends ChronyDaemonOptions {
  /** Problems met (unknown option, missing argument); chronyd would print its usage and exit. */
  problems: Array<{ message: string; location: SourceLocation }>;
  /** Words after the options: chronyd takes them as configuration lines and then does not read chrony.conf. */
  directives: string[];
}

/** Parse an options file's text; `file` is host-relative and stamped into locations. */
export function parseChronyDaemonOptions(text: string, file: string): ParsedDaemonOptions {
  const lines = splitLines(text);
  let value: string | null = null;
  let location: SourceLocation | null = null;
  for (let i = 0; i < lines.length; i++) {
    let line = lines[i]!;
    const start = i;
    while (line.endsWith("\\") && i + 1 < lines.length) line = line.slice(0, -1) + lines[++i]!;
    const m = /^[ \t]*(?:export[ \t]+)?([A-Za-z_][A-Za-z0-9_]*)[ \t]*=(.*)$/.exec(line);
    if (!m || /^[ \t]*[#;]/.test(line)) continue;
    if (!(CHRONY_OPTION_VARIABLES as readonly string[]).includes(m[1]!)) continue;
    value = unquote(m[2]!);
    location = { file, line: start + 1, column: line.indexOf(m[1]!) + 1 };
  }
  return readArgs(value === null ? [] : value.split(/[ \t\n]+/).filter(Boolean), location);
}

/** systemd EnvironmentFile value: quotes removed, escapes resolved, unquoted blanks kept as separators. */
function unquote(raw: string): string {
  let out = "";
  let i = 0;
  const s = raw.trim();
  while (i < s.length) {
    const c = s[i]!;
    if (c === "'") {
      const close = s.indexOf("'", i + 1);
      out += s.slice(i + 1, close === -1 ? s.length : close);
      i = close === -1 ? s.length : close + 1;
    } else if (c === '"') {
      i++;
      while (i < s.length && s[i] !== '"') {
        if (s[i] === "\\" && i + 1 < s.length && '"\\$`'.includes(s[i + 1]!)) i++;
        out += s[i++];
      }
      i++;
    } else if (c === "\\" && i + 1 < s.length) {
      out += s[i + 1];
      i += 2;
    } else if (c === "#" && (i === 0 || /[ \t]/.test(s[i - 1]!))) {
      break; // a comment after an unquoted value
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

function readArgs(args: string[], location: SourceLocation | null): ParsedDaemonOptions {
  const result: ParsedDaemonOptions = {
    location,
    args,
    user: null,
    family: null,
    seccompLevel: null,
    noClockControl: false,
    configFile: null,
    other: [],
    problems: [],
    directives: [],
  };
  const at = location ?? { file: "", line: 1, column: 1 };
  let i = 0;
  for (; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === "--") {
      i++;
      break;
    }
    if (arg === "--version" || arg === "--help") {
      result.other.push(arg);
      continue;
    }
    if (!arg.startsWith("-") || arg === "-") break;
    // getopt: clustered flags (-4x), an option argument glued (-uchrony) or in the next word.
    for (let k = 1; k < arg.length; k++) {
      const opt = arg[k]!;
      if (WITH_ARGUMENT.has(opt)) {
        let value = arg.slice(k + 1);
        if (value === "") {
          if (i + 1 >= args.length) {
            result.problems.push({ message: `chronyd option -${opt} needs an argument`, location: at });
            break;
          }
          value = args[++i]!;
        }
        apply(result, opt, value);
        break;
      }
      if (!FLAGS.has(opt)) {
        result.problems.push({ message: `chronyd does not know option -${opt} (it prints its usage and does not start)`, location: at });
        continue;
      }
      apply(result, opt, null);
    }
  }
  result.directives = args.slice(i);
  return result;
}

function apply(r: ParsedDaemonOptions, opt: string, value: string | null): void {
  switch (opt) {
    case "u":
      r.user = value;
      return;
    case "4":
      r.family = "ipv4";
      return;
    case "6":
      r.family = "ipv6";
      return;
    case "F":
      r.seccompLevel = /^-?[0-9]+$/.test(value ?? "") ? Number(value) : null;
      return;
    case "x":
      r.noClockControl = true;
      return;
    case "f":
      r.configFile = value;
      return;
    default:
      r.other.push(value === null ? `-${opt}` : `-${opt} ${value}`);
  }
}
