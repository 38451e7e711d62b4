# ntp.conf, one physical line at a time (start symbol `line`), as ntpd 4.2.8 and ntpsec read it.
#
# Ground truth: the daemons' own scanner and parser (ntpd 4.2.8 and ntpsec: ntp_scanner.c, keyword-gen.c,
# ntp_parser.y), checked line by line against ntpsec 1.2.2 on the real-world corpus (test/parse/ntp-corpus.test.ts).
# Where the two daemons differ the grammar accepts the union (broadcast, crypto, autokey and `noepeer` are
# classic-ntpd syntax; `refclock`, `unrestrict`, ADDR/LEN and `nts` are ntpsec syntax): a checker must not
# call valid syntax of either daemon an error. Words neither daemon knows (`authenticate`, `precision`,
# `none` as a restrict flag, `Server`: keywords are case-sensitive) are errors.
#
# The lexer reproduces ntpd's scanner, including its one piece of context: after a "follow-by-string"
# keyword (`server`, `driftfile`, `refid`, …) the next word is a string whatever it looks like
# (`server limited`, `driftfile 10` are fine), and after `logconfig`, `phone`, `manycastserver` and
# `multicastclient` every word to the end of the line is. Everywhere else a word that is a keyword is a
# keyword (`restrict default limited version kod`: `version` is a restrict flag there), a number is a
# number, and only other words are strings. The grammar can therefore name keywords as literals and
# still never see two parses of one line: a keyword token is never a %word.

@preprocessor typescript

@{%
import moo from "moo";

// Keywords after which ntpd forces the next word to be a string (FOLLBY_STRING in keyword-gen.c).
// ntpsec's NTS values (`ca`, `cert`, …) are listed here too: their values are always strings.
const FOLLOW_STRING = [
  "server", "pool", "peer", "broadcast", "manycastclient", "unpeer", "unconfig", "fudge", "device",
  "refclock", "driftfile", "includefile", "leapfile", "logfile", "keys", "keysdir", "statsdir", "pidfile",
  "saveconfigdir", "ntpsigndsocket", "setvar", "trap", "ident", "pw", "randfile", "digest", "host", "file",
  "abbrev", "refid", "basedate", "timedata", "ppsdata", "path", "ppspath", "ca", "cert", "cookie", "aead",
  "mintls", "maxtls", "tlsciphers", "tlsciphersuites",
];
// Keywords after which every word up to the end of the line is a string (FOLLBY_STRINGS_TO_EOC).
const STRINGS_TO_EOC = ["logconfig", "manycastserver", "multicastclient", "phone"];
// Every other keyword the grammar uses (FOLLBY_TOKEN). `-4`/`-6` are keywords too (token type `fam`).
const PLAIN = [
  // commands
  "restrict", "unrestrict", "delrestrict", "enable", "disable", "discard", "mru", "tos", "tinker",
  "statistics", "filegen", "broadcastclient", "mdnstries", "trustedkey", "requestkey", "controlkey",
  "crypto", "revoke", "automax", "interface", "nic", "rlimit", "reset", "dscp", "broadcastdelay", "tick",
  "nonvolatile", "leapsmearinterval", "end", "ttl", "pollskewlist", "nts",
  // association and refclock options
  "autokey", "burst", "iburst", "noselect", "preempt", "prefer", "true", "xleave", "xmtnonce", "noval",
  "key", "minpoll", "maxpoll", "mode", "version", "subtype", "baud", "holdover", "stratum", "unit", "bias",
  "time1", "time2", "minjitter", "flag1", "flag2", "flag3", "flag4",
  // restrict
  "default", "source", "mask", "ippeerlimit", "epeer", "flake", "ignore", "kod", "limited", "lowpriotrap",
  "mssntp", "noepeer", "nomodify", "nomrulist", "nopeer", "noquery", "noserve", "notrap", "notrust",
  "ntpport", "serverresponse", "fuzz",
  // discard, mru, rlimit
  "average", "minimum", "monitor", "incalloc", "incmem", "initalloc", "initmem", "maxage", "minage",
  "maxdepth", "maxmem", "mindepth", "memlock", "stacksize", "filenum",
  // tos
  "minclock", "maxclock", "minsane", "floor", "ceiling", "cohort", "orphan", "orphanwait", "mindist",
  "maxdist", "maxdisp", "beacon", "bcpollbstep",
  // tinker
  "allan", "dispersion", "freq", "huffpuff", "panic", "step", "stepback", "stepfwd", "stepout",
  // statistics and filegen
  "clockstats", "cryptostats", "loopstats", "peerstats", "rawstats", "sysstats", "timingstats",
  "protostats", "usestats", "ntsstats", "ntskestats", "type", "link", "nolink", "none", "pid", "day",
  "week", "month", "year", "age",
  // enable/disable
  "auth", "bclient", "calibrate", "kernel", "ntp", "stats", "mode7", "peer_clear_digest_early",
  "unpeer_crypto_early", "unpeer_crypto_nak_early", "unpeer_digest_early",
  // reset
  "allpeers", "ctl", "io", "mem", "sys", "timer",
  // interface, trap, leapfile, trustedkey
  "listen", "drop", "all", "ipv4", "ipv6", "wildcard", "port", "checkhash", "ignorehash", "...",
];

/** Every keyword of the grammar (tests check that the grammar's literals are exactly these). */
export const NTP_KEYWORDS: ReadonlySet<string> = new Set([...FOLLOW_STRING, ...STRINGS_TO_EOC, ...PLAIN]);
export const NTP_FOLLOW_STRING_KEYWORDS: ReadonlySet<string> = new Set(FOLLOW_STRING);
export const NTP_STRINGS_TO_EOC_KEYWORDS: ReadonlySet<string> = new Set(STRINGS_TO_EOC);
const PLAIN_SET = new Set(PLAIN);

// In ntpd a bare word ends at a blank, a quote, `#` and (outside string mode) at `{ } ( ) , ; | =`.
const TOKEN_END = '(?![^\\s"#(){},;|=])';
function keywordRegex(words: string[]): RegExp {
  const alternatives = [...words].sort((a, b) => b.length - a.length).map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
  return new RegExp(`(?:${alternatives.join("|")})${TOKEN_END}`);
}

const INT_MAX = 2147483647;
/** ntpd's order: keyword, then is_integer (signed, fits an int), is_u_int (hex or big), is_double, string. */
function classify(text: string): string {
  if (text === "-4" || text === "-6") return "fam";
  if (PLAIN_SET.has(text)) return "kw";
  if (/^-?[0-9]+$/.test(text)) return text.charCodeAt(0) === 45 || Number(text) <= INT_MAX ? "int" : "uint";
  if (/^0[xX][0-9a-fA-F]+$/.test(text)) return "uint";
  if (/^[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]*)?$/.test(text)) return "double";
  return "word";
}

/** `"…"` runs to the closing quote or the end of the line, no escapes; a word glued in front joins it. */
function unquote(text: string): string {
  const open = text.indexOf('"');
  const end = text.length > open + 1 && text.charCodeAt(text.length - 1) === 34 ? text.length - 1 : text.length;
  return text.slice(0, open) + text.slice(open + 1, end);
}

const blank = { match: /[ \t\v\f\r]+/ };
const comment = { match: /#.*/ };
const invalid = moo.error;

const base = moo.states({
  main: {
    ws: blank,
    comment,
    qstr: { match: /[^\s"#(){},;|=]*"[^"\n]*"?/, value: unquote },
    lparen: "(",
    rparen: ")",
    pipe: "|",
    eq: { match: "=", next: "str1" },
    special: /[{},;]/,
    kwstr: { match: keywordRegex(FOLLOW_STRING), type: () => "kw", next: "str1" },
    kweoc: { match: keywordRegex(STRINGS_TO_EOC), type: () => "kw", next: "strs" },
    bare: { match: /[^\s"#(){},;|=]+/, type: classify },
    invalid,
  },
  // One forced string (`-4`/`-6` before it are still address-family flags, as in ntpd).
  str1: {
    ws: blank,
    comment,
    fam: { match: /-[46](?:[^\s"#]*)/ },
    str: { match: /[^\s"#]*"[^"\n]*"?/, value: unquote, next: "main" },
    strbare: { match: /[^\s"#]+/, type: () => "str", next: "main" },
    invalid,
  },
  // Strings to the end of the line.
  strs: {
    ws: blank,
    comment,
    fam: { match: /-[46](?:[^\s"#]*)/ },
    str: { match: /[^\s"#]*"[^"\n]*"?/, value: unquote },
    strbare: { match: /[^\s"#]+/, type: () => "str" },
    invalid,
  },
});

/** The file name stamped into every token location (set by the caller before parsing a file). */
export const ntpLexerContext = { file: "" };

// nearley sees neither blanks nor comments; every token carries its SourceLocation.
const lexer = {
  reset(chunk: string, info?: { line?: number; col?: number; state?: string }) {
    base.reset(chunk, { line: info?.line ?? 1, col: info?.col ?? 1, state: info?.state ?? "main" } as never);
    return lexer;
  },
  next() {
    for (;;) {
      const t = base.next() as any;
      if (t === undefined) return undefined;
      if (t.type === "ws" || t.type === "comment") continue;
      t.loc = { file: ntpLexerContext.file, line: t.line, column: t.col };
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
    return base.has(name);
  },
};

// Postprocessors: pure and cheap (nearley runs them on partial parses too).
const wordOf = (t: any) => ({ text: t.value, location: t.loc });
function num(t: any): number {
  const s: string = t.value;
  if (t.type === "uint" && (s[1] === "x" || s[1] === "X")) return parseInt(s.slice(2), 16);
  return t.type === "double" ? parseFloat(s) : Number(s);
}
const bool = (t: any) => (t.type === "int" ? Number(t.value) : 1);
const family = (t: any) => (t ? (t.value.charCodeAt(1) === 52 ? "ipv4" : "ipv6") : null);
const pair = (d: any) => [d[0].value, num(d[1])];
const strPair = (d: any) => [d[0].value, d[1].value];
function toRecord(pairs: any[]) {
  const out: Record<string, any> = {};
  for (const p of pairs) out[p[0]] = p[1];
  return out;
}
function node(kind: string, k: any, extra: any) {
  return { kind, keyword: k.value, location: k.loc, text: "", ...extra };
}
function collect(d: any, out: any[]) {
  for (const x of d) {
    if (x === null || x === undefined) continue;
    if (Array.isArray(x)) collect(x, out);
    else if (x.loc !== undefined) out.push(wordOf(x));
  }
  return out;
}
function directive(d: any) {
  const words = collect(d, []);
  const k = words[0];
  return { kind: "directive", keyword: k.text, location: k.location, text: "", args: words.slice(1) };
}
function association(k: any, a: any, opts: any[]) {
  return node("association", k, { mode: k.value, family: family(a[0]), address: wordOf(a[1]), options: toRecord(opts) });
}
function restrictNode(k: any, fam: any, target: string, addr: any, mask: any, limit: any, flags: any[]) {
  let address = addr ? wordOf(addr) : null;
  let prefixLength: number | null = null;
  if (address) {
    const slash = address.text.lastIndexOf("/");
    if (slash > 0 && /^[0-9]{1,3}$/.test(address.text.slice(slash + 1))) {
      prefixLength = Number(address.text.slice(slash + 1));
      address = { text: address.text.slice(0, slash), location: address.location };
    }
  }
  return node("restrict", k, {
    command: k.value,
    family: family(fam),
    target,
    address,
    mask: mask ? wordOf(mask) : null,
    prefixLength,
    flags,
    ippeerlimit: limit ? Number(limit.value) : null,
  });
}
%}

@lexer lexer

line -> command {% id %}

command
  -> association        {% id %}
   | refclock           {% id %}
   | restrict           {% id %}
   | sysflags           {% id %}
   | includefile        {% id %}
   | trustedkey         {% id %}
   | tos                {% id %}
   | interface          {% id %}
   | end                {% id %}
   | directive          {% ([d]) => directive(d) %}

# ---- values ------------------------------------------------------------------------------------------
# A T_String where ntpd is in token mode: a word that is neither keyword nor number, or a quoted string.
tstr  -> %word {% id %} | %qstr {% id %}
int   -> %int {% id %}
# option_int in ntpd: T_Integer or T_U_int (hex, or larger than INT_MAX).
uint  -> %int {% id %} | %uint {% id %}
# number: T_Integer or T_Double.
num   -> %int {% id %} | %double {% id %}
# boolean: T_Integer (0/1) or `true`.
bool  -> %int {% id %} | "true" {% id %}
# address after a follow-by-string keyword: [-4|-6] STRING.
addr  -> %str {% ([s]) => [null, s] %} | %fam %str {% ([f, s]) => [f, s] %}

# ---- associations: server|pool|peer|broadcast|manycastclient [-4|-6] ADDRESS [options] ----------------
association -> assocKw addr assocOpt:* {% ([k, a, o]) => association(k, a, o) %}
assocKw -> "server" {% id %} | "pool" {% id %} | "peer" {% id %} | "broadcast" {% id %} | "manycastclient" {% id %}

# ntpd 4.2.8 options plus ntpsec's (refclock options are accepted on every association, as ntpsec does).
assocOpt
  -> assocFlag            {% ([t]) => [t.value, true] %}
   | assocIntKw uint      {% pair %}
   | "stratum" int        {% pair %}
   | assocNumKw num       {% pair %}
   | flagKw bool          {% ([k, v]) => [k.value, bool(v)] %}
   | assocStrKw %str      {% strPair %}
assocFlag -> "autokey" {% id %} | "burst" {% id %} | "iburst" {% id %} | "noselect" {% id %} | "preempt" {% id %}
   | "prefer" {% id %} | "true" {% id %} | "xleave" {% id %} | "xmtnonce" {% id %} | "nts" {% id %} | "noval" {% id %}
assocIntKw -> "key" {% id %} | "minpoll" {% id %} | "maxpoll" {% id %} | "ttl" {% id %} | "mode" {% id %}
   | "version" {% id %} | "subtype" {% id %} | "baud" {% id %} | "holdover" {% id %}
assocNumKw -> "bias" {% id %} | "time1" {% id %} | "time2" {% id %}
flagKw -> "flag1" {% id %} | "flag2" {% id %} | "flag3" {% id %} | "flag4" {% id %}
assocStrKw -> "ident" {% id %} | "refid" {% id %} | "path" {% id %} | "ppspath" {% id %} | "ca" {% id %}
   | "aead" {% id %} | "cert" {% id %}

# ---- ntpsec: refclock DRIVER [unit N] [options] -----------------------------------------------------
refclock -> "refclock" %str refUnit:? assocOpt:*
  {% ([k, d, u, o]) => node("refclock", k, { driver: wordOf(d), options: toRecord(u ? [u, ...o] : o) }) %}
refUnit -> "unit" int {% pair %}

# ---- access control -----------------------------------------------------------------------------------
# restrict [-4|-6] default [ippeerlimit N] flags | restrict source … | restrict [-4|-6] ADDR[/LEN] [mask M] …
restrict
  -> resKw %fam:? "default" ippl:? resFlag:*         {% ([k, f, , l, fl]) => restrictNode(k, f, "default", null, null, l, fl) %}
   | resKw "source" ippl:? resFlag:*                 {% ([k, , l, fl]) => restrictNode(k, null, "source", null, null, l, fl) %}
   | resKw %fam:? tstr resMask:? ippl:? resFlag:*    {% ([k, f, a, m, l, fl]) => restrictNode(k, f, "address", a, m, l, fl) %}
   | "delrestrict" tstr resMask:?                    {% ([k, a, m]) => restrictNode(k, null, "address", a, m, null, []) %}
   | "delrestrict" "source" tstr                     {% ([k, , a]) => restrictNode(k, null, "source", a, null, null, []) %}
resKw -> "restrict" {% id %} | "unrestrict" {% id %}
resMask -> "mask" tstr {% ([, t]) => t %}
ippl -> "ippeerlimit" int {% ([, t]) => t %}
resFlag
  -> resFlagKw                {% ([t]) => wordOf(t) %}
   | "serverresponse" "fuzz"  {% ([t]) => ({ text: "serverresponse fuzz", location: t.loc }) %}
resFlagKw -> "epeer" {% id %} | "flake" {% id %} | "ignore" {% id %} | "kod" {% id %} | "limited" {% id %}
   | "lowpriotrap" {% id %} | "mssntp" {% id %} | "noepeer" {% id %} | "nomodify" {% id %} | "nomrulist" {% id %}
   | "nopeer" {% id %} | "noquery" {% id %} | "noserve" {% id %} | "notrap" {% id %} | "notrust" {% id %}
   | "ntpport" {% id %} | "version" {% id %}

# ---- enable|disable FLAG… ---------------------------------------------------------------------------
sysflags -> enableKw sysFlag:+ {% ([k, fl]) => node(k.value, k, { flags: fl }) %}
enableKw -> "enable" {% id %} | "disable" {% id %}
sysFlag -> sysFlagKw {% ([t]) => wordOf(t) %}
sysFlagKw -> "auth" {% id %} | "bclient" {% id %} | "calibrate" {% id %} | "kernel" {% id %} | "monitor" {% id %}
   | "ntp" {% id %} | "stats" {% id %} | "mode7" {% id %} | "peer_clear_digest_early" {% id %}
   | "unpeer_crypto_early" {% id %} | "unpeer_crypto_nak_early" {% id %} | "unpeer_digest_early" {% id %}

includefile -> "includefile" %str {% ([k, p]) => node("includefile", k, { path: wordOf(p) }) %}

# trustedkey N… (A ... B)
trustedkey -> "trustedkey" keyRange:+ {% ([k, r]) => node("trustedkey", k, { ranges: r }) %}
keyRange
  -> int                                  {% ([a]) => [Number(a.value), Number(a.value)] %}
   | %lparen int "..." int %rparen        {% ([, a, , b]) => [Number(a.value), Number(b.value)] %}

tos -> "tos" tosOpt:+ {% ([k, o]) => node("tos", k, { options: toRecord(o) }) %}
tosOpt
  -> tosIntKw int      {% pair %}
   | tosNumKw num      {% pair %}
   | "cohort" bool     {% ([k, v]) => [k.value, bool(v)] %}
   | "basedate" %str   {% strPair %}
tosIntKw -> "minsane" {% id %} | "floor" {% id %} | "ceiling" {% id %} | "orphan" {% id %} | "orphanwait" {% id %}
   | "beacon" {% id %} | "bcpollbstep" {% id %}
# minclock/maxclock are integers in ntpd and numbers in ntpsec: the union is a number.
tosNumKw -> "minclock" {% id %} | "maxclock" {% id %} | "mindist" {% id %} | "maxdist" {% id %} | "maxdisp" {% id %}

# interface|nic listen|ignore|drop all|ipv4|ipv6|wildcard|NAME|ADDRESS[/len]
interface -> ifKw ifAction ifMatch {% ([k, a, m]) => node("interface", k, { action: a.value, match: wordOf(m) }) %}
ifKw -> "interface" {% id %} | "nic" {% id %}
ifAction -> "listen" {% id %} | "ignore" {% id %} | "drop" {% id %}
ifMatch -> "all" {% id %} | "ipv4" {% id %} | "ipv6" {% id %} | "wildcard" {% id %} | tstr {% id %}

end -> "end" {% ([k]) => node("end", k, {}) %}

# ---- everything else: validated here, kept as keyword + words (DirectiveNode) -------------------------
directive
  -> "broadcastclient"
   | "manycastserver" addr:+
   | "multicastclient" addr:+
   | "logconfig" %str:+
   | "phone" %str:+
   | "mdnstries" int
   | intCmd int
   | strCmd %str
   | "unpeer" addr
   | "unconfig" addr
   | "crypto" cryptoOpt:*
   | "statistics" statKw:+
   | "filegen" statKw filegenOpt:*
   | "discard" discardOpt:+
   | "mru" mruOpt:+
   | "rlimit" rlimitOpt:+
   | "tinker" tinkerOpt:+
   | "reset" resetKw:+
   | "fudge" addr fudgeOpt:+
   | "device" addr deviceOpt:+
   | numCmd num
   | "driftfile"
   | "driftfile" %str
   | "driftfile" %str %double
   | "leapfile" %str leapHash:?
   | "setvar" %str %eq %str setvarDefault:?
   | "trap" %str trapOpt:*
   | "ttl" int:+
   | "pollskewlist" pollskew:*
   | "nts" ntsOpt:+

intCmd -> "requestkey" | "controlkey" | "revoke" | "automax" | "dscp" | "leapsmearinterval"
strCmd -> "keys" | "keysdir" | "ntpsigndsocket" | "statsdir" | "logfile" | "pidfile" | "saveconfigdir" | "ident"
numCmd -> "broadcastdelay" | "nonvolatile" | "tick"

cryptoOpt -> cryptoStrKw %str | "revoke" int
cryptoStrKw -> "host" | "ident" | "pw" | "randfile" | "digest"

statKw -> "clockstats" | "cryptostats" | "loopstats" | "peerstats" | "rawstats" | "sysstats" | "timingstats"
   | "protostats" | "usestats" | "ntsstats" | "ntskestats"
filegenOpt -> "file" %str | "type" filegenType | "link" | "nolink" | "enable" | "disable"
filegenType -> "none" | "pid" | "day" | "week" | "month" | "year" | "age"

discardOpt -> discardKw int
discardKw -> "average" | "minimum" | "monitor"
mruOpt -> mruKw int
mruKw -> "incalloc" | "incmem" | "initalloc" | "initmem" | "maxage" | "minage" | "maxdepth" | "maxmem" | "mindepth"
rlimitOpt -> rlimitKw int
rlimitKw -> "memlock" | "stacksize" | "filenum"
tinkerOpt -> tinkerKw num
tinkerKw -> "allan" | "dispersion" | "freq" | "huffpuff" | "panic" | "step" | "stepback" | "stepfwd" | "stepout" | "tick"
resetKw -> "allpeers" | "auth" | "ctl" | "io" | "mem" | "sys" | "timer"

fudgeOpt -> fudgeNumKw num | flagKw bool | "stratum" int | fudgeStrKw %str
fudgeNumKw -> "time1" | "time2" | "minjitter"
fudgeStrKw -> "refid" | "abbrev"
deviceOpt -> deviceKw %str
deviceKw -> "timedata" | "ppsdata"

leapHash -> "checkhash" | "ignorehash"
setvarDefault -> "default"
trapOpt -> "port" int | "interface" tstr
pollskew -> pollskewPoll int %pipe int
pollskewPoll -> int | "default"

ntsOpt -> "enable" | "disable" | ntsStrKw %str | "key" tstr
ntsStrKw -> "cert" | "ca" | "cookie" | "aead" | "mintls" | "maxtls" | "tlsciphers" | "tlsciphersuites"
