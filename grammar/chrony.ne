# chrony.conf, one physical line at a time (start symbol `line`), as chronyd 4.3 reads it.
#
# Ground truth: chrony's conf.c (CNF_ParseLine and the parse_* functions) and cmdparse.c
# (CPS_NormalizeLine, CPS_ParseNTPSourceAdd, CPS_ParseAllowDeny, CPS_ParseLocal).
# - A line is words separated by blanks. It is a comment only when its first non-blank character is one of
#   `! ; # %`; there are no trailing comments (`server a iburst # x` is an invalid option to chronyd).
# - Directive names and most option names are case-insensitive (strcasecmp); `log` parameters and `all` of
#   allow/deny are case-sensitive (strcmp).
# - Numbers are read with sscanf: an option value (`minpoll 6`) must be the whole word, the last value of a
#   fixed-arity directive (`port 123`, `makestep 1 3`) only has to start with a number, as sscanf reads it.
#   Postprocessors reject what sscanf/inet_pton reject (values.ts), so the grammar accepts exactly chronyd's
#   lines.
# - chronyd refuses to start on a line it rejects: every rejected line is fatal (src/parse/chrony).
#
# The lexer types the first word by the directive's argument shape (token types `dInt`, `dSource`, …;
# unknown directives are `unknown`, which no rule accepts), and the words after it as `kw` (an option name
# of that directive, its text lower-cased) or `word`. A keyword is never a `word`, so the grammar can name
# options as literals and never sees two parses of a line.

@preprocessor typescript

@{%
import moo from "moo";
import {
  CHRONY_DIRECTIVES, CHRONY_OBSOLETE, DOUBLE_DIRECTIVES, HWTS_DOUBLE_OPTIONS, HWTS_INT_OPTIONS, INT_DIRECTIVES,
  LOG_PARAMETERS, NULL_DIRECTIVES, REFCLOCK_DOUBLE_OPTIONS, REFCLOCK_FLAGS, REFCLOCK_INT_OPTIONS,
  REFCLOCK_REFID_OPTIONS, SOURCE_DOUBLE_OPTIONS, SOURCE_FLAGS, SOURCE_INT_OPTIONS, STRING_DIRECTIVES,
  ipFamily, parseSubnet, scanDouble, scanInt, sourceKeyId, wholeDouble, wholeInt,
} from "../chrony/values.js";

/** Token type of a directive word: its argument shape. */
const SHAPE = new Map<string, string>();
for (const d of INT_DIRECTIVES) SHAPE.set(d, "dInt");
for (const d of DOUBLE_DIRECTIVES) SHAPE.set(d, "dDbl");
for (const d of STRING_DIRECTIVES) SHAPE.set(d, "dStr");
for (const d of NULL_DIRECTIVES) SHAPE.set(d, "dNull");
for (const d of CHRONY_OBSOLETE) SHAPE.set(d, "dAny");
for (const [d, t] of Object.entries({
  server: "dSource", pool: "dSource", peer: "dSource", refclock: "dRefclock",
  allow: "dAccess", deny: "dAccess", cmdallow: "dAccess", cmddeny: "dAccess",
  bindaddress: "dAddr", bindacqaddress: "dAddr", bindcmdaddress: "dCmdAddr",
  ratelimit: "dRate", cmdratelimit: "dRate", ntsratelimit: "dRate", local: "dLocal", log: "dLog",
  smoothtime: "dSmooth", hwtimestamp: "dHwts", leapsecmode: "dLeapMode", authselectmode: "dAuthMode",
  makestep: "dMakestep", maxchange: "dMaxchange", fallbackdrift: "dFallback", mailonchange: "dMail",
  clientloglimit: "dClientLog", broadcast: "dBroadcast", initstepslew: "dInitStep", tempcomp: "dTempcomp",
  ntstrustedcerts: "dTrustedCerts", confdir: "dConfdir", sourcedir: "dAny", dumponexit: "dAny",
})) SHAPE.set(d, t);
for (const d of CHRONY_DIRECTIVES) if (!SHAPE.has(d)) throw new Error(`chrony grammar: no shape for ${d}`);

/** Option names per directive shape; `exact` shapes compare case-sensitively, as chronyd does. */
const KEYWORDS: Record<string, { words: ReadonlySet<string>; exact: boolean }> = {
  dSource: { words: new Set([...SOURCE_FLAGS, ...SOURCE_INT_OPTIONS, ...SOURCE_DOUBLE_OPTIONS, "extfield"]), exact: false },
  dRefclock: { words: new Set([...REFCLOCK_FLAGS, ...REFCLOCK_INT_OPTIONS, ...REFCLOCK_DOUBLE_OPTIONS, ...REFCLOCK_REFID_OPTIONS]), exact: false },
  dHwts: { words: new Set([...HWTS_INT_OPTIONS, ...HWTS_DOUBLE_OPTIONS, "rxfilter", "nocrossts"]), exact: false },
  dRate: { words: new Set(["interval", "burst", "leak"]), exact: false },
  dLocal: { words: new Set(["stratum", "orphan", "distance"]), exact: false },
  dSmooth: { words: new Set(["leaponly"]), exact: false },
  dAccess: { words: new Set(["all"]), exact: true },
  dLog: { words: LOG_PARAMETERS, exact: true },
};

const base = moo.states({
  main: {
    ws: { match: /[ \t\v\f\r\n]+/, lineBreaks: true },
    comment: { match: /[!;#%][^]*/, lineBreaks: true },
    first: { match: /[^ \t\v\f\r\n]+/, next: "args" },
  },
  args: {
    ws: { match: /[ \t\v\f\r\n]+/, lineBreaks: true },
    word: /[^ \t\v\f\r\n]+/,
  },
});

/** The file name stamped into every token location (set by the caller before parsing a file). */
export const chronyLexerContext = { file: "" };

// nearley sees neither blanks nor comments. The first word is typed by its shape; later words by the
// option names of that shape. Every token carries its SourceLocation and the text as written (`raw`).
let shape = "";
const lexer = {
  reset(chunk: string, info?: { line?: number; col?: number; state?: string }) {
    base.reset(chunk, { line: info?.line ?? 1, col: info?.col ?? 1, state: info?.state ?? "main" } as never);
    shape = "";
    return lexer;
  },
  next() {
    for (;;) {
      const t = base.next() as any;
      if (t === undefined) return undefined;
      if (t.type === "ws" || t.type === "comment") continue;
      t.loc = { file: chronyLexerContext.file, line: t.line, column: t.col };
      t.raw = t.text;
      if (t.type === "first") {
        const lower = t.text.toLowerCase();
        shape = SHAPE.get(lower) ?? "unknown";
        t.type = shape;
        t.text = lower;
        t.value = lower;
      } else {
        const kw = KEYWORDS[shape];
        if (kw) {
          const key = kw.exact ? t.text : t.text.toLowerCase();
          if (kw.words.has(key)) {
            t.type = "kw";
            t.text = key;
            t.value = key;
          }
        }
      }
      return t;
    }
  },
  save() {
    return base.save();
  },
  formatError(t: any) {
    return base.formatError(t);
  },
  has(name: string) {
    return name !== "first" && name !== "ws" && name !== "comment";
  },
};

// Postprocessors: pure and cheap (nearley also runs them on partial parses).
const w = (t: any) => ({ text: t.raw, location: t.loc });
function words(d: any, out: any[] = []): any[] {
  for (const x of d) {
    if (x === null || x === undefined) continue;
    if (Array.isArray(x)) words(x, out);
    else if (x.loc !== undefined) out.push(w(x));
  }
  return out;
}
function directive(d: any) {
  const all = words(d);
  const k = d[0];
  return { kind: "directive", directive: k.value, location: k.loc, text: "", args: all.slice(1) };
}
function options(pairs: any[]) {
  const out: Record<string, any> = {};
  for (const p of pairs) out[p[0]] = p[1];
  return out;
}
// Value checks: `reject` makes nearley drop the parse, as chronyd refuses the line.
const checked = (f: (s: string) => unknown) => (d: any, _l: number, reject: any) => (f(d[0].raw) === null ? reject : d[0]);
const pairWith = (f: (s: string) => number | null) => (d: any, _l: number, reject: any) => {
  const v = f(d[1].raw);
  return v === null ? reject : [d[0].value, v];
};
const keepIf = (f: (s: string) => number | null) => (d: any, _l: number, reject: any) => (f(d[1].raw) === null ? reject : d);
const scanU = (s: string) => (/^[ \t]*[+-]?[0-9]/.test(s) ? scanInt(s) : null);
%}

@lexer lexer

line
  -> source         {% id %}
   | refclock       {% id %}
   | access         {% id %}
   | other          {% ([d]) => directive(d) %}

# ---- values ------------------------------------------------------------------------------------------
any      -> %word {% id %} | %kw {% id %}
# sscanf("%d") / ("%lf") of the last value: a numeric prefix is enough.
intLoose -> %word {% checked(scanInt) %}
dblLoose -> %word {% checked(scanDouble) %}
# A value followed by another in the same sscanf format: the whole word.
intWhole -> %word {% checked(wholeInt) %}
dblWhole -> %word {% checked(wholeDouble) %}
ipAddr   -> %word {% checked((s) => ipFamily(s)) %}

# ---- server|pool|peer HOST [options] -------------------------------------------------------------------
source -> %dSource any srcOpt:*
  {% ([k, h, o]) => ({ kind: "source", directive: k.value, location: k.loc, text: "", address: w(h), options: options(o) }) %}
srcOpt
  -> srcFlag                 {% ([t]) => [t.value, true] %}
   | srcIntKw %word          {% pairWith(wholeInt) %}
   | srcDblKw %word          {% pairWith(wholeDouble) %}
   | "key" %word             {% pairWith(sourceKeyId) %}
   | "certset" %word         {% pairWith((s) => (/^\+?[0-9]+$/.test(s) ? Number(s) : null)) %}
   | "extfield" %word        {% (d, _l, reject) => (/^[+]?(0[xX])?0*[fF]323$/.test(d[1].raw) ? ["extfield", "F323"] : reject) %}
srcFlag -> "auto_offline" {% id %} | "burst" {% id %} | "copy" {% id %} | "iburst" {% id %} | "offline" {% id %}
   | "noselect" {% id %} | "prefer" {% id %} | "require" {% id %} | "trust" {% id %} | "nts" {% id %} | "xleave" {% id %}
srcIntKw -> "filter" {% id %} | "maxpoll" {% id %} | "maxsamples" {% id %} | "maxsources" {% id %} | "minpoll" {% id %}
   | "minsamples" {% id %} | "minstratum" {% id %} | "ntsport" {% id %} | "port" {% id %} | "polltarget" {% id %}
   | "presend" {% id %} | "version" {% id %}
srcDblKw -> "asymmetry" {% id %} | "maxdelay" {% id %} | "maxdelayratio" {% id %} | "maxdelaydevratio" {% id %}
   | "maxdelayquant" {% id %} | "mindelay" {% id %} | "offset" {% id %}

# ---- refclock DRIVER PARAMETER [options] ------------------------------------------------------------
refclock -> %dRefclock any any refOpt:*
  {% ([k, d, p, o]) => ({ kind: "refclock", directive: "refclock", location: k.loc, text: "", driver: w(d), parameter: w(p), options: options(o) }) %}
refOpt
  -> refFlag                 {% ([t]) => [t.value, true] %}
   | refIntKw %word          {% pairWith(wholeInt) %}
   | "stratum" %word         {% pairWith((s) => { const v = wholeInt(s); return v !== null && v >= 0 && v < 16 ? v : null; }) %}
   | refDblKw %word          {% pairWith(wholeDouble) %}
   | refIdKw any             {% (d, _l, reject) => (d[1].raw.length <= 4 ? [d[0].value, d[1].raw] : reject) %}
refFlag -> "local" {% id %} | "pps" {% id %} | "tai" {% id %} | "noselect" {% id %} | "prefer" {% id %} | "trust" {% id %}
   | "require" {% id %}
refIntKw -> "poll" {% id %} | "dpoll" {% id %} | "filter" {% id %} | "rate" {% id %} | "minsamples" {% id %}
   | "maxlockage" {% id %} | "maxsamples" {% id %}
refDblKw -> "offset" {% id %} | "delay" {% id %} | "precision" {% id %} | "maxdispersion" {% id %} | "width" {% id %}
refIdKw -> "refid" {% id %} | "lock" {% id %}

# ---- allow|deny|cmdallow|cmddeny [all] [SUBNET] -----------------------------------------------------
access
  -> %dAccess                {% ([k]) => accessNode(k, null, null) %}
   | %dAccess "all"          {% ([k, a]) => accessNode(k, a, null) %}
   | %dAccess subnet         {% ([k, s]) => accessNode(k, null, s) %}
   | %dAccess "all" subnet   {% ([k, a, s]) => accessNode(k, a, s) %}
subnet -> %word {% (d, _l, reject) => { const s = parseSubnet(d[0].raw); return s === null ? reject : { parsed: s, word: w(d[0]) }; } %}

@{%
function accessNode(k: any, all: any, s: any) {
  const subnet = s
    ? { family: s.parsed.family, address: s.parsed.address, bits: s.parsed.bits, written: s.word }
    : { family: "any", address: null, bits: 0, written: null };
  return { kind: "access", directive: k.value, location: k.loc, text: "", all: all !== null, subnet };
}
%}

# ---- everything else: validated here, kept as directive + words ----------------------------------------
other
  -> %dInt intLoose
   | %dDbl dblLoose
   | %dStr any
   | %dNull
   | %dAny any:*
   | %dAddr ipAddr
   | %dCmdAddr cmdAddr
   | %dRate rateOpt:*
   | %dLocal localOpt:*
   | %dLog logParam:*
   | %dSmooth dblWhole dblLoose smoothLeap:?
   | %dHwts any hwtsOpt:*
   | %dLeapMode %word {% (d, _l, reject) => (/^(system|slew|step|ignore)$/i.test(d[1].raw) ? d : reject) %}
   | %dAuthMode %word {% (d, _l, reject) => (/^(require|prefer|mix|ignore)$/i.test(d[1].raw) ? d : reject) %}
   | %dMakestep dblWhole intLoose
   | %dMaxchange dblWhole intWhole intLoose
   | %dFallback intWhole intLoose
   | %dMail any dblLoose
   | %dClientLog %word {% (d, _l, reject) => (scanU(d[1].raw) === null ? reject : d) %}
   | %dBroadcast intLoose ipAddr
   | %dBroadcast intLoose ipAddr intLoose
   | %dInitStep dblLoose any:*
   | %dTempcomp any dblLoose any
   | %dTempcomp any dblWhole dblWhole dblWhole dblWhole dblLoose
   | %dTrustedCerts any
   | %dTrustedCerts %word any {% (d, _l, reject) => (scanU(d[1].raw) === null ? reject : d) %}
   | %dConfdir any
   | %dConfdir any any
   | %dConfdir any any any
   | %dConfdir any any any any
   | %dConfdir any any any any any
   | %dConfdir any any any any any any
   | %dConfdir any any any any any any any
   | %dConfdir any any any any any any any any
   | %dConfdir any any any any any any any any any
   | %dConfdir any any any any any any any any any any

logParam -> %kw {% id %}
cmdAddr -> %word {% (d, _l, reject) => (d[0].raw.startsWith("/") || ipFamily(d[0].raw) ? d[0] : reject) %}
rateOpt -> rateKw %word {% keepIf(wholeInt) %}
rateKw -> "interval" {% id %} | "burst" {% id %} | "leak" {% id %}
localOpt
  -> "stratum" %word  {% keepIf((s) => { const v = wholeInt(s); return v !== null && v > 0 && v < 16 ? v : null; }) %}
   | "orphan"
   | "distance" %word {% keepIf(wholeDouble) %}
smoothLeap -> "leaponly" {% id %}
hwtsOpt
  -> hwtsIntKw %word      {% keepIf(wholeInt) %}
   | hwtsDblKw %word      {% keepIf(wholeDouble) %}
   | "rxfilter" %word     {% (d, _l, reject) => (/^(none|ntp|ptp|all)$/i.test(d[1].raw) ? d : reject) %}
   | "nocrossts"          {% id %}
hwtsIntKw -> "maxsamples" {% id %} | "minpoll" {% id %} | "minsamples" {% id %}
hwtsDblKw -> "precision" {% id %} | "rxcomp" {% id %} | "txcomp" {% id %}
