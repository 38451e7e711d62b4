# The nftables ruleset language (nft(8): what `nft list ruleset` prints and what /etc/nftables.conf holds),
# ONE STATEMENT at a time.
#
# The moo lexer below tokenises a whole file once (linear). src/parse/nft/statements.ts cuts the token
# stream into statements — a statement ends at a newline or ';' outside braces, a block opens at the '{' of
# `table …`, `chain …`, `set …`, `map …`, … headers and closes at its '}' — substitutes `$variables`, follows
# `include`s, and feeds each statement to this grammar behind a context token (ctxTop, ctxTable, ctxChain,
# ctxSet) that says which block it stands in. One bad statement is one located diagnostic; the rest of the
# file is still read.
#
# Token classes: `verdict` (accept drop …), `kw` (words that start a rule item: selectors and statements),
# `word` (everything else: names, numbers, addresses, ranges, symbolic constants). Literals ("table") match a
# token of any class by its text, so names that are also keywords still work where a name is expected.
#
# Lists that can be long (set elements: 100,000 in a blocklist) are built as immutable linked lists
# (`{ head, tail }`) and turned into arrays once, at their closing brace: nearley runs postprocessors on
# partial completions, so in-place pushes would corrupt alternatives, and copying would be quadratic.
#
# Ground truth: nftables 1.0.x src/scanner.l and src/parser_bison.y, and nft -c (test/parse/nft-oracle*).

@preprocessor typescript

@{%
import moo from "moo";

/** Words that end a rule: never a value. */
const VERDICTS = ["accept", "drop", "continue", "return", "jump", "goto", "queue", "reject"];

/**
 * Words that start a rule item (selectors and statements). They may still be values (`meta l4proto udp`)
 * and names (`chain log`), but never words inside a statement's free-form arguments (`limit rate …`).
 */
/** Payload protocols and extension headers (`ip saddr`, `th dport`): one token type, one Earley state. */
const PROTOCOLS = [
  "ip", "ip6", "udp", "tcp", "th", "icmp", "icmpv6", "igmp", "ether", "vlan", "arp", "sctp", "dccp", "esp",
  "ah", "comp", "udplite", "gre", "hbh", "frag", "dst", "mh", "srh", "rt",
];
/** Unqualified meta keys (parser_bison.y meta_key_unqualified): `iif lo` is `meta iif lo`. */
const META_KEYS = [
  "mark", "iif", "iifname", "iiftype", "oif", "oifname", "oiftype", "skuid", "skgid", "nftrace", "rtclassid",
  "ibriport", "obriport", "ibrname", "obrname", "pkttype", "cpu", "iifgroup", "oifgroup", "cgroup",
];
const KEYWORDS = [
  // meta, conntrack and other selectors
  "meta", "ct", "fib", "socket", "osf", "ipsec", "numgen", "jhash", "symhash", "exthdr",
  // statements
  "counter", "log", "limit", "quota", "comment", "notrack", "dnat", "snat", "redirect", "masquerade",
  "tproxy", "dup", "fwd", "synproxy", "flow", "add", "update", "delete",
];

const wordType = moo.keywords({ verdict: VERDICTS, kw: KEYWORDS, proto: PROTOCOLS, metakey: META_KEYS });

const base = moo.compile({
  ws: /[ \t\f\v]+/,
  cont: { match: /\\[ \t]*\r?\n/, lineBreaks: true },
  nl: { match: /\r?\n/, lineBreaks: true },
  comment: /#[^\n]*/,
  string: /"[^"\n]*"/,
  badString: /"[^"\n]*/,
  variable: /\$[A-Za-z_][A-Za-z0-9_.\-\/]*/,
  setref: /@[A-Za-z_][A-Za-z0-9_.\-\/]*/,
  lbrace: "{",
  rbrace: "}",
  lparen: "(",
  rparen: ")",
  semi: ";",
  comma: ",",
  op: ["==", "!=", "<=", ">=", "<<", ">>", "<", ">"],
  eq: "=",
  amp: "&",
  pipe: "|",
  caret: "^",
  bang: "!",
  plus: "+",
  // IPv4/IPv6 addresses, prefixes, ranges, MACs, rates (10/second), names (eth*), numbers (-100, 0x10).
  word: { match: /(?:[A-Za-z0-9_*\[\]]|::|:[0-9\[]|-[0-9])[A-Za-z0-9_.:\/\-*\[\]]*/, type: wordType },
  dot: ".",
  colon: ":",
  minus: "-",
  slash: "/",
  invalid: moo.error,
});

export interface NftToken {
  type: string;
  /** The text (strings without their quotes). */
  value: string;
  text: string;
  offset: number;
  line: number;
  col: number;
  file: string;
}

/**
 * The tokens of a whole file, one at a time (the reader keeps only the statement it is cutting, not the
 * file's hundreds of thousands of tokens). Blanks, comments and line continuations are dropped; newlines
 * are kept (they end statements). A word that ends in a single ':' (`22: accept`) is split into the word
 * and a colon. Each call lexes with its own lexer: an `include` reads another file in the middle of this one.
 */
export function* tokenize(text: string, file: string): Generator<NftToken, void, undefined> {
  const lexer = base.clone();
  lexer.reset(text);
  for (let t = lexer.next(); t !== undefined; t = lexer.next()) {
    const type = t.type!;
    if (type === "ws" || type === "comment" || type === "cont") continue;
    let value = t.text;
    if (type === "string") value = t.text.slice(1, -1);
    if ((type === "word" || type === "kw" || type === "proto" || type === "metakey") && value.length > 1 && value.endsWith(":") && !value.endsWith("::")) {
      const word = value.slice(0, -1);
      yield { type: wordType(word) ?? "word", value: word, text: word, offset: t.offset, line: t.line, col: t.col, file };
      yield { type: "colon", value: ":", text: ":", offset: t.offset + word.length, line: t.line, col: t.col + word.length, file };
      continue;
    }
    yield { type, value, text: t.text, offset: t.offset, line: t.line, col: t.col, file };
  }
}

export { wordType };

/** nearley's view of one statement: it replays tokens the driver has already cut out. */
export const lexer = {
  tokens: [] as NftToken[],
  index: 0,
  reset(_chunk: string, _state?: unknown): void {
    this.index = 0;
  },
  next(): NftToken | undefined {
    return this.tokens[this.index++];
  },
  save(): unknown {
    return {};
  },
  formatError(token: NftToken): string {
    return `unexpected ${token.text}`;
  },
  has(_type: string): boolean {
    return true;
  },
};

/** Words for token types in "expected …" lists. */
export const TOKEN_NAMES: Record<string, string> = {
  string: "quoted string", variable: "$variable", setref: "@set", lbrace: "'{'", rbrace: "'}'", lparen: "'('",
  rparen: "')'", semi: "';'", comma: "','", op: "operator", eq: "'='", amp: "'&'", pipe: "'|'", caret: "'^'",
  bang: "'!'", plus: "'+'", minus: "'-'", slash: "'/'", dot: "'.'", colon: "':'", word: "word", kw: "keyword",
  verdict: "verdict", invalid: "input", badString: "unterminated string", proto: "protocol", metakey: "meta key",
};

type Tok = NftToken;
type List<T> = { head: T; tail: List<T> | null } | null;
const cons = <T,>(tail: List<T>, head: T): List<T> => ({ head, tail });
function toArray<T>(list: List<T>): T[] {
  const out: T[] = [];
  for (let l = list; l !== null; l = l.tail) out.push(l.head);
  return out.reverse();
}
const loc = (t: Tok) => ({ file: t.file, line: t.line, column: t.col });
const v = (t: Tok) => ({ k: "value", text: t.value });
const words = (ts: Tok[]) => ts.map((t) => t.value);
const verb = (t: Tok | null) => (t ? t.value : "add");
%}

@lexer lexer

stmt        -> %ctxTop top                                   {% ([, s]) => s %}
             | %ctxTable tableStmt                           {% ([, s]) => s %}
             | %ctxChain chainStmt                           {% ([, s]) => s %}
             | %ctxSet setStmt                               {% ([, s]) => s %}
             | %ctxElement elem                              {% ([, e]) => ({ s: "element", element: e }) %}

# ---------------------------------------------------------------- top level: commands and table blocks
top         -> tverb "table" tspec %lbrace:?                 {% ([vb, t, s, b]) => ({ s: "table", verb: verb(vb), ...s, block: !!b, loc: loc(vb ?? t) }) %}
             | "delete" "table" family:? "handle" %word      {% ([vb, , f, , h]) => ({ s: "cmd", verb: "delete", object: "table", family: f ?? undefined, handle: h.value, loc: loc(vb) }) %}
             | cverb "chain" tspec name %lbrace:?            {% ([vb, t, s, n, b]) => ({ s: "chain", verb: verb(vb), ...s, name: n, block: !!b, loc: loc(vb ?? t) }) %}
             | "delete" "chain" tspec "handle" %word         {% ([vb, , s, , h]) => ({ s: "cmd", verb: "delete", object: "chain", ...s, handle: h.value, loc: loc(vb) }) %}
             | "rename" "chain" tspec name name              {% ([vb, , s, a, b]) => ({ s: "cmd", verb: "rename", object: "chain", ...s, name: a, newName: b, loc: loc(vb) }) %}
             | rverb "rule" tspec name rulePos:? rule        {% ([vb, t, s, c, p, r]) => ({ s: "rule", verb: verb(vb), ...s, chain: c, position: p ?? undefined, ...r, loc: loc(vb ?? t) }) %}
             | "delete" "rule" tspec name "handle" %word     {% ([vb, , s, c, , h]) => ({ s: "cmd", verb: "delete", object: "rule", ...s, chain: c, handle: h.value, loc: loc(vb) }) %}
             | sverb setKw tspec name %lbrace:?              {% ([vb, m, s, n, b]) => ({ s: "set", verb: verb(vb), map: m.value === "map", ...s, name: n, block: !!b, loc: loc(vb ?? m) }) %}
             | "delete" setKw tspec "handle" %word           {% ([vb, m, s, , h]) => ({ s: "cmd", verb: "delete", object: m.value, ...s, handle: h.value, loc: loc(vb) }) %}
             | everb "element" tspec name setExpr            {% ([vb, t, s, n, e]) => ({ s: "element", verb: verb(vb), ...s, set: n, elements: e.elements, loc: loc(vb ?? t) }) %}
             | "flush" "ruleset" family:?                    {% ([vb, , f]) => ({ s: "flushRuleset", family: f ?? undefined, loc: loc(vb) }) %}
             | ocmd objKw tspec name %lbrace:?               {% ([vb, o, s, n, b]) => ({ s: "object", verb: verb(vb), kind: o.kind, ...s, name: n, block: !!b, loc: loc(vb ?? o.t) }) %}
             | "list" anyTokens                              {% ([vb]) => ({ s: "cmd", verb: "list", object: "", loc: loc(vb) }) %}
             | "reset" anyTokens                             {% ([vb]) => ({ s: "cmd", verb: "reset", object: "", loc: loc(vb) }) %}

tverb       -> null {% () => null %} | "add" {% id %} | "create" {% id %} | "delete" {% id %} | "destroy" {% id %} | "flush" {% id %} | "list" {% id %}
cverb       -> null {% () => null %} | "add" {% id %} | "create" {% id %} | "delete" {% id %} | "destroy" {% id %} | "flush" {% id %} | "list" {% id %}
sverb       -> null {% () => null %} | "add" {% id %} | "create" {% id %} | "delete" {% id %} | "destroy" {% id %} | "flush" {% id %} | "list" {% id %}
rverb       -> null {% () => null %} | "add" {% id %} | "insert" {% id %} | "replace" {% id %} | "create" {% id %}
everb       -> null {% () => null %} | "add" {% id %} | "create" {% id %} | "delete" {% id %} | "destroy" {% id %}
ocmd        -> null {% () => null %} | "add" {% id %} | "create" {% id %} | "delete" {% id %} | "destroy" {% id %} | "list" {% id %} | "reset" {% id %}
setKw       -> "set" {% id %} | "map" {% id %}
rulePos     -> ("position" | "index" | "handle") %word      {% ([[k], n]) => ({ kind: k.value, value: n.value }) %}

# [family] table — nft's table_spec; the family defaults to ip.
tspec       -> family:? name                                 {% ([f, n]) => ({ family: f ?? undefined, table: n, name: n }) %}
family      -> ("ip" | "ip6" | "inet" | "arp" | "bridge" | "netdev") {% ([[f]]) => f.value %}
name        -> %word {% ([t]) => t.value %} | %string {% ([t]) => t.value %} | anyKw {% ([t]) => t.value %}
anyKw       -> %kw {% id %} | %proto {% id %} | %metakey {% id %}

# ---------------------------------------------------------------- inside `table … { }`
tableStmt   -> "chain" name %lbrace                          {% ([t, n]) => ({ s: "chain", verb: "add", name: n, block: true, loc: loc(t) }) %}
             | setKw name %lbrace                            {% ([t, n]) => ({ s: "set", verb: "add", map: t.value === "map", name: n, block: true, loc: loc(t) }) %}
             | objKw name %lbrace                            {% ([o, n]) => ({ s: "object", verb: "add", kind: o.kind, name: n, block: true, loc: loc(o.t) }) %}
             | "flags" wordList                              {% ([t, fs]) => ({ s: "tableFlags", flags: fs, loc: loc(t) }) %}
             | "comment" %string                             {% ([t, c]) => ({ s: "comment", text: c.value, loc: loc(t) }) %}

objKw       -> ("counter" | "quota" | "limit" | "flowtable" | "secmark" | "synproxy") {% ([[t]]) => ({ kind: t.value, t }) %}
             | "ct" ("helper" | "timeout" | "expectation")   {% ([c, [t]]) => ({ kind: `ct ${t.value}`, t: c }) %}

# ---------------------------------------------------------------- inside `chain … { }`
chainStmt   -> "type" %word "hook" %word devSpec:? "priority" prio
                 {% ([t, ty, , h, d, , p]) => ({ s: "chainType", type: ty.value, hook: h.value, devices: d ?? undefined, priorityText: p, loc: loc(t) }) %}
             | "policy" (%word | %verdict)                   {% ([t, [p]]) => ({ s: "policy", policy: p.value, loc: loc(t) }) %}
             | "comment" %string                             {% ([t, c]) => ({ s: "comment", text: c.value, loc: loc(t) }) %}
             | "devices" "=" value                           {% ([t, , d]) => ({ s: "devices", devices: d, loc: loc(t) }) %}
             | "flags" wordList                              {% ([t, fs]) => ({ s: "chainFlags", flags: fs, loc: loc(t) }) %}
             | rule                                          {% ([r], _, reject) => (r.items.every((i: any) => i.k === "comment") ? reject : { s: "rule", ...r }) %}

devSpec     -> "device" value                                {% ([, d]) => d %}
             | "devices" "=" value                           {% ([, , d]) => d %}
prio        -> prioAtom                                      {% id %}
             | prioAtom ("+" | "-") %word                    {% ([a, [o], n]) => `${a} ${o.value} ${n.value}` %}
prioAtom    -> %word                                         {% ([t]) => t.value %}

# ---------------------------------------------------------------- rules
rule        -> items                                         {% ([l]) => { const items = toArray(l); return { items, loc: items[0].loc }; } %}
items       -> item                                          {% ([i]) => cons(null, i) %}
             | items item                                    {% ([l, i]) => cons(l, i) %}

item        -> lhs rhs                                       {% ([l, r]) => ({ k: "match", left: l.sel, op: "==", right: r, loc: l.loc }) %}
             | lhs %op rhs                                   {% ([l, o, r]) => ({ k: "match", left: l.sel, op: o.value, right: r, loc: l.loc }) %}
             | lhs %bang rhs                                 {% ([l, , r]) => ({ k: "match", left: l.sel, op: "!=", right: r, loc: l.loc }) %}
             | lhs rhs %slash rhs                            {% ([l, x, , m]) => ({ k: "match", left: { k: "binop", op: "&", left: l.sel, right: m }, op: "==", right: x, loc: l.loc }) %}
             | lhs %op rhs %slash rhs                        {% ([l, o, x, , m]) => ({ k: "match", left: { k: "binop", op: "&", left: l.sel, right: m }, op: o.value, right: x, loc: l.loc }) %}
             | lhs "vmap" mapRef                             {% ([l, , m]) => ({ k: "vmap", key: l.sel, map: m, loc: l.loc }) %}
             | lhs "set" setValue                            {% ([l, , x]) => ({ k: "set", filters: false, args: [x], loc: l.loc }) %}
             | verdict                                       {% id %}
             | action                                        {% id %}

# A selector with the location of its first token.
lhs         -> sel                                           {% id %}
             | lhs "." sel                                   {% ([a, , b]) => ({ sel: { k: "concat", parts: a.sel.k === "concat" ? [...a.sel.parts, b.sel] : [a.sel, b.sel] }, loc: a.loc }) %}
             | lhs binop atom                                {% ([a, o, r]) => ({ sel: { k: "binop", op: o.value, left: a.sel, right: r }, loc: a.loc }) %}
binop       -> %amp {% id %} | %pipe {% id %} | %caret {% id %} | "and" {% id %} | "or" {% id %} | "xor" {% id %}

sel         -> proto %word                                   {% ([p, f]) => ({ sel: { k: "payload", protocol: p.value, field: f.value }, loc: loc(p) }) %}
             | "meta" %word                                  {% ([m, f]) => ({ sel: { k: "meta", key: f.value }, loc: loc(m) }) %}
             | "meta" anyKw                                   {% ([m, f]) => ({ sel: { k: "meta", key: f.value }, loc: loc(m) }) %}
             | metaShort                                     {% ([m]) => ({ sel: { k: "meta", key: m.value }, loc: loc(m) }) %}
             | "ct" %word                                    {% ([c, f]) => ({ sel: { k: "ct", key: f.value }, loc: loc(c) }) %}
             | "ct" anyKw                                    {% ([c, f]) => ({ sel: { k: "ct", key: f.value }, loc: loc(c) }) %}
             | "ct" ctDir %word                              {% ([c, d, f]) => ({ sel: { k: "ct", key: f.value, dir: d }, loc: loc(c) }) %}
             | "ct" ctDir ("ip" | "ip6") %word               {% ([c, d, [p], f]) => ({ sel: { k: "ct", key: f.value, dir: d, family: p.value }, loc: loc(c) }) %}
             | "fib" fibFlags anyWord                        {% ([t, fl, r]) => ({ sel: { k: "fib", flags: fl, result: r.value }, loc: loc(t) }) %}
             | ("socket" | "osf" | "ipsec") %word            {% ([[t], f]) => ({ sel: { k: "other", name: t.value, key: f.value }, loc: loc(t) }) %}
             | "numgen" %word "mod" %word                    {% ([t, f, , m]) => ({ sel: { k: "other", name: "numgen", key: `${f.value} mod ${m.value}` }, loc: loc(t) }) %}
             | "numgen" %word "mod" %word "offset" %word     {% ([t, f, , m, , o]) => ({ sel: { k: "other", name: "numgen", key: `${f.value} mod ${m.value} offset ${o.value}` }, loc: loc(t) }) %}

proto       -> %proto {% id %}
metaShort   -> %metakey {% id %}
ctDir       -> ("original" | "reply")                        {% ([[t]]) => t.value %}
fibFlags    -> anyWord                                       {% ([t]) => [t.value] %}
             | fibFlags "." anyWord                          {% ([a, , t]) => [...a, t.value] %}

# Right-hand sides: a value, a comma list (flags: `established,related`), a concatenation, a set, a reference.
rhs         -> value                                         {% id %}
             | valueList "," value                           {% ([l, , x]) => ({ k: "list", items: [...toArray(l), x] }) %}
             | orList %pipe value                            {% ([l, , x]) => ({ k: "list", items: [...toArray(l), x] }) %}
orList      -> value                                         {% ([x]) => cons(null, x) %}
             | orList %pipe value                            {% ([l, , x]) => cons(l, x) %}
valueList   -> value                                         {% ([x]) => cons(null, x) %}
             | valueList "," value                           {% ([l, , x]) => cons(l, x) %}
value       -> atom                                          {% id %}
             | value "." atom                                {% ([a, , b]) => ({ k: "concat", parts: a.k === "concat" ? [...a.parts, b] : [a, b] }) %}
atom        -> %word                                         {% ([t]) => v(t) %}
             | %string                                       {% ([t]) => v(t) %}
             | anyKw                                         {% ([t]) => v(t) %}
             | %setref                                       {% ([t]) => ({ k: "setref", name: t.value.slice(1) }) %}
             | setExpr                                       {% id %}
             | %lparen atomOr %rparen                        {% ([, a]) => a %}
atomOr      -> atom                                          {% id %}
             | atomOr %pipe atom                             {% ([a, , b]) => ({ k: "list", items: a.k === "list" ? [...a.items, b] : [a, b] }) %}
setValue    -> value                                         {% ([x]) => JSON.stringify(x) %}
             | lhs                                           {% ([x]) => JSON.stringify(x.sel) %}
             | lhs "map" mapRef                              {% ([x, , m]) => JSON.stringify({ map: x.sel, data: m }) %}
mapRef      -> %setref                                       {% ([t]) => ({ k: "setref", name: t.value.slice(1) }) %}
             | setExpr                                       {% id %}

# Set and map bodies: `{ a, b, c }`, elements with options, `key : value`, optional trailing comma.
setExpr     -> %lbrace %rbrace                               {% () => ({ k: "set", elements: [] }) %}
             | %lbrace elems %rbrace                         {% ([, l]) => ({ k: "set", elements: toArray(l) }) %}
             | %lbrace elems "," %rbrace                     {% ([, l]) => ({ k: "set", elements: toArray(l) }) %}
elems       -> elem                                          {% ([e]) => cons(null, e) %}
             | elems "," elem                                {% ([l, , e]) => cons(l, e) %}
elem        -> value elemOpts                                {% ([key, o]) => (o.length ? { key, options: o } : { key }) %}
             | value elemOpts ":" mapData                    {% ([key, o, , d]) => (o.length ? { key, value: d, options: o } : { key, value: d }) %}
mapData     -> value                                         {% id %}
             | verdict                                       {% ([x]) => { const { loc: _l, ...rest } = x; return rest; } %}
elemOpts    -> null                                          {% () => [] %}
             | elemOpts elemOpt                              {% ([a, o]) => [...a, o] %}
elemOpt     -> ("timeout" | "expires") %word                 {% ([[k], x]) => `${k.value} ${x.value}` %}
             | "comment" %string                             {% ([k, x]) => `${k.value} ${x.text}` %}
             | "counter" "packets" %word "bytes" %word       {% () => "counter" %}
             | "counter"                                     {% () => "counter" %}

# ---------------------------------------------------------------- verdicts and statements
verdict     -> ("accept" | "drop" | "continue" | "return")   {% ([[t]]) => ({ k: "verdict", verdict: t.value, loc: loc(t) }) %}
             | ("jump" | "goto") name                        {% ([[t], n]) => ({ k: "verdict", verdict: t.value, target: n, loc: loc(t) }) %}
             | "reject"                                      {% ([t]) => ({ k: "verdict", verdict: "reject", loc: loc(t) }) %}
             | "reject" "with" anyWord %word                 {% ([t, , a, b]) => ({ k: "verdict", verdict: "reject", args: ["with", a.value, b.value], loc: loc(t) }) %}
             | "reject" "with" anyWord %word %word           {% ([t, , a, b, c]) => ({ k: "verdict", verdict: "reject", args: ["with", a.value, b.value, c.value], loc: loc(t) }) %}
             | "queue" freeWords                             {% ([t, w]) => ({ k: "verdict", verdict: "queue", args: toArray(w), loc: loc(t) }) %}
anyWord     -> %word {% id %} | anyKw {% id %}

action      -> "counter"                                     {% ([t]) => ({ k: "counter", filters: false, args: [], loc: loc(t) }) %}
             | "counter" "packets" %word "bytes" %word       {% ([t]) => ({ k: "counter", filters: false, args: [], loc: loc(t) }) %}
             | "counter" "name" atom                         {% ([t, , n]) => ({ k: "counter", filters: false, args: ["name", JSON.stringify(n)], loc: loc(t) }) %}
             | "counter" "name" lhs "map" mapRef             {% ([t]) => ({ k: "counter", filters: false, args: ["name", "map"], loc: loc(t) }) %}
             | ("quota" | "limit") "name" atom               {% ([[t], , n]) => ({ k: t.value, filters: true, args: ["name", JSON.stringify(n)], loc: loc(t) }) %}
             | ("quota" | "limit") "name" lhs "map" mapRef   {% ([[t]]) => ({ k: t.value, filters: true, args: ["name", "map"], loc: loc(t) }) %}
             | "log" logOpts                                 {% ([t, o]) => ({ k: "log", filters: false, args: o, loc: loc(t) }) %}
             | "limit" "rate" freeWords1                     {% ([t, , w]) => ({ k: "limit", filters: true, args: toArray(w), loc: loc(t) }) %}
             | "quota" quotaWords                            {% ([t, w]) => ({ k: "quota", filters: true, args: toArray(w), loc: loc(t) }) %}
             | "comment" (%string | %word)                   {% ([t, [c]]) => ({ k: "comment", text: c.value, loc: loc(t) }) %}
             | "notrack"                                     {% ([t]) => ({ k: "notrack", filters: false, args: [], loc: loc(t) }) %}
             | ("dnat" | "snat") natTo                       {% ([[t], n]) => ({ k: "nat", kind: t.value, ...n, loc: loc(t) }) %}
             | ("dnat" | "snat") ("ip" | "ip6") natTo        {% ([[t], [f], n]) => ({ k: "nat", kind: t.value, family: f.value, ...n, loc: loc(t) }) %}
             | ("redirect" | "masquerade") natFlags:?        {% ([[t], f]) => ({ k: "nat", kind: t.value, ...(f ? { flags: f } : {}), loc: loc(t) }) %}
             | ("redirect" | "masquerade") natTo             {% ([[t], n]) => ({ k: "nat", kind: t.value, ...n, loc: loc(t) }) %}
             | "flow" ("add" | "offload") %setref            {% ([t, , s]) => ({ k: "flow", filters: false, args: [s.value], loc: loc(t) }) %}
             | ("add" | "update" | "delete") %setref %lbrace anyTokens %rbrace
                 {% ([[t], s]) => ({ k: "dynset", filters: false, args: [t.value, s.value], loc: loc(t) }) %}

natTo       -> "to" value natFlags:?                         {% ([, x, f]) => ({ to: valueText(x), ...(f ? { flags: f } : {}) }) %}
natFlags    -> natFlag                                       {% ([f]) => [f] %}
             | natFlags "," natFlag                          {% ([a, , f]) => [...a, f] %}
natFlag     -> ("random" | "fully-random" | "persistent")    {% ([[t]]) => t.value %}
logOpts     -> null                                          {% () => [] %}
             | logOpts logOpt                                {% ([a, o]) => [...a, ...o] %}
logOpt      -> "prefix" (%string | %word | %variable)        {% ([k, [x]]) => [k.value, x.value] %}
             | ("level" | "group" | "snaplen" | "queue-threshold") %word {% ([[k], x]) => [k.value, x.value] %}
             | "flags" logFlags                              {% ([k, l]) => [k.value, l] %}
logFlags    -> wordList                                      {% ([l]) => l.join(",") %}
             | ("ip" | "tcp") wordList                       {% ([[p], l]) => `${p.value} ${l.join(",")}` %}
             | ("ether" | "skuid")                           {% ([[t]]) => t.value %}

# Free-form arguments: plain words only (a keyword or verdict starts the next item).
freeWords   -> null                                          {% () => null %}
             | freeWords freeWord                            {% ([l, w]) => cons(l, w) %}
quotaWords  -> %word                                         {% ([t], _, reject) => (t.value === "name" ? reject : cons(null, t.value)) %}
             | quotaWords freeWord                           {% ([l, w]) => cons(l, w) %}
freeWords1  -> freeWord                                      {% ([w]) => cons(null, w) %}
             | freeWords1 freeWord                           {% ([l, w]) => cons(l, w) %}
freeWord    -> %word {% ([t]) => t.value %} | %slash {% ([t]) => t.value %} | %comma {% ([t]) => t.value %}
wordList    -> %word                                         {% ([t]) => [t.value] %}
             | wordList "," %word                            {% ([a, , t]) => [...a, t.value] %}
anyTokens   -> null                                          {% () => null %}
             | anyTokens anyToken                            {% () => null %}
anyToken    -> %word | %kw | %proto | %metakey | %verdict | %string | %variable | %setref | %comma | %colon | %dot | %op | %eq | %slash | %minus | %plus | %lparen | %rparen

# ---------------------------------------------------------------- inside `set … { }` / `map … { }`
setStmt     -> "type" typeList                               {% ([t, k]) => ({ s: "setType", keyType: k, loc: loc(t) }) %}
             | "type" typeList ":" typeList                  {% ([t, k, , d]) => ({ s: "setType", keyType: k, dataType: d.join(" . "), loc: loc(t) }) %}
             | "typeof" lhs                                  {% ([t, l]) => ({ s: "setType", keyType: selText(l.sel), typeof: true, loc: loc(t) }) %}
             | "typeof" lhs ":" typeofData                   {% ([t, l, , d]) => ({ s: "setType", keyType: selText(l.sel), dataType: d, typeof: true, loc: loc(t) }) %}
             | "flags" wordList                              {% ([t, f]) => ({ s: "setFlags", flags: f, loc: loc(t) }) %}
             | "elements" "=" setExpr                        {% ([t, , e]) => ({ s: "elements", elements: e.elements, loc: loc(t) }) %}
             | ("timeout" | "gc-interval" | "size" | "policy") %word {% ([[t], x]) => ({ s: "setOption", option: t.value, value: x.value, loc: loc(t) }) %}
             | "counter"                                     {% ([t]) => ({ s: "setOption", option: "counter", value: "", loc: loc(t) }) %}
             | "auto-merge"                                  {% ([t]) => ({ s: "setOption", option: "auto-merge", value: "", loc: loc(t) }) %}
             | "comment" %string                             {% ([t, c]) => ({ s: "comment", text: c.value, loc: loc(t) }) %}
typeList    -> anyWord                                       {% ([t]) => [t.value] %}
             | typeList "." anyWord                            {% ([a, , t]) => [...a, t.value] %}
typeofData  -> lhs                                           {% ([l]) => selText(l.sel).join(" . ") %}
             | "verdict"                                     {% () => "verdict" %}

@{%
function selText(s: any): string[] {
  switch (s.k) {
    case "concat": return s.parts.flatMap(selText);
    case "payload": return [`${s.protocol} ${s.field}`];
    case "meta": return [`meta ${s.key}`];
    case "ct": return [["ct", s.dir, s.family, s.key].filter(Boolean).join(" ")];
    default: return [JSON.stringify(s)];
  }
}
function valueText(x: any): string {
  switch (x.k) {
    case "value": return x.text;
    case "setref": return `@${x.name}`;
    case "concat": return x.parts.map(valueText).join(" . ");
    case "list": return x.items.map(valueText).join(",");
    default: return JSON.stringify(x);
  }
}
%}
