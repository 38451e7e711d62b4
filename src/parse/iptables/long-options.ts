/**
 * Who owns a long option (`--dport`, `--to`, `--proto`), found the way getopt_long and iptables' do_parse
 * find it: (1) the most recent loaded module that knows it, (2) an unambiguous abbreviation of a loaded
 * module's option or of a basic option, (3) the protocol's own match, loaded implicitly (`-p udp
 * --dport 123`), (4) open end: the most recent module ntp-policy does not know, which keeps it verbatim.
 */
import type { Match } from "../../model/iptables.js";
import { BASIC_LONG } from "./basic-options.js";
import { MATCH_MODULES, implicitMatchFor, lookupOption } from "./extensions.js";
import { fail } from "./rule-errors.js";
import type { Loaded, RuleReader } from "./rule-reader.js";
import type { ItemNode } from "./syntax.js";

/** Other long options of iptables itself: an abbreviation that reaches one of them is an error here. */
const OTHER_LONG = [
  "append", "insert", "delete", "replace", "new-chain", "new", "delete-chain", "flush", "zero", "policy", "rename-chain",
  "list", "list-rules", "check", "table", "ipv4", "ipv6", "set-counters", "verbose", "numeric", "exact", "line-numbers",
  "modprobe", "wait", "wait-interval", "help", "version",
];

/** Modules whose options may legitimately repeat (`-m policy … --next …`; old multi-range NAT). */
const REPEATABLE = new Set(["policy", "DNAT", "SNAT", "NETMAP", "SAME"]);

interface Owner {
  owner: Loaded;
  name: string;
  /** Values the option takes; null when its module is unknown (kept verbatim). */
  arity: number | null;
}

type OptItem = Extract<ItemNode, { k: "opt" }>;

/** Apply one long option (an `opt` item) to the rule being read. */
export function applyLongOption(reader: RuleReader, item: OptItem): void {
  const flag = reader.tokens[item.flag]!;
  const negatedModern = flag.type === "negLong";
  const written = (negatedModern ? flag.text.replace(/^![ \t]+/, "") : flag.text).slice(2);
  const negated = negatedModern || item.bang >= 0;
  reader.noteLegacyNegation(item.bang);
  let found = loadedOwner(reader, written);
  if (!found) {
    const abbreviation = abbreviationOwner(reader, item, written, negated);
    if (abbreviation === "basic") return;
    found = abbreviation;
  }
  found ??= implicitOwner(reader, written, flag.col);
  found ??= openEndOwner(reader, written);
  if (!found) fail(flag.col, `unknown option --${written}`);
  const { owner, name, arity } = found;
  const values = item.values.map((i) => reader.word(i));
  if (arity !== null) {
    if (values.length < arity) {
      fail(flag.col, `option --${written} requires ${arity === 1 ? "an argument" : `${arity} arguments`}`, ["value"]);
    }
    if (values.length > arity) {
      const extra = reader.tokens[item.values[arity]!]!;
      fail(extra.col, `bad argument ${JSON.stringify(values[arity])} (--${written} takes ${arity === 0 ? "no value" : arity === 1 ? "one value" : `${arity} values`})`);
    }
    if (!REPEATABLE.has(owner.name)) {
      for (let i = 0; i < owner.options.length; i++) {
        if (owner.options[i]!.name === name) fail(flag.col, `${owner.name}: option --${name} can only be used once`);
      }
    }
  }
  owner.options.push({ name, values, negated, location: reader.loc(flag.col) });
}

/** 1. The most recent loaded module that knows the option by its exact name (getopt sees every loaded module). */
function loadedOwner(reader: RuleReader, written: string): Owner | null {
  for (let i = reader.loaded.length - 1; i >= 0; i--) {
    const o = reader.loaded[i]!.spec?.options.get(written);
    if (o) return { owner: reader.loaded[i]!, name: o.name, arity: o.arity };
  }
  return null;
}

/**
 * 2. An unambiguous abbreviation, of a loaded module's option (`--to` for DNAT's `--to-destination`) or
 * of a basic option (`--proto` for `--protocol`, applied here: "basic").
 */
function abbreviationOwner(reader: RuleReader, item: OptItem, written: string, negated: boolean): Owner | "basic" | null {
  const flag = reader.tokens[item.flag]!;
  const basicLetters = new Set(Object.keys(BASIC_LONG).filter((b) => b.startsWith(written)).map((b) => BASIC_LONG[b]!));
  const others = OTHER_LONG.filter((o) => o.startsWith(written));
  let moduleHit: Owner | null = null;
  for (let i = reader.loaded.length - 1; i >= 0 && !moduleHit; i--) {
    const spec = reader.loaded[i]!.spec;
    const o = spec ? lookupOption(spec, written) : null;
    if (o) moduleHit = { owner: reader.loaded[i]!, name: o.name, arity: o.arity };
  }
  if (basicLetters.size + others.length + (moduleHit ? 1 : 0) > 1) fail(flag.col, `option --${written} is ambiguous`);
  if (others.length === 1) fail(flag.col, `--${written} (--${others[0]}) is not allowed here`);
  if (basicLetters.size !== 1) return moduleHit;
  const letter = [...basicLetters][0]!;
  const takes = letter === "f" ? 0 : 1;
  if (item.values.length !== takes) {
    if (item.values.length < takes) fail(flag.col, `option --${written} requires an argument`, ["value"]);
    fail(reader.tokens[item.values[takes]!]!.col, `bad argument ${JSON.stringify(reader.word(item.values[takes]!))}`);
  }
  if (negated && "mjg".includes(letter)) fail(flag.col, `cannot have ! before --${written}`);
  if (letter === "f") reader.fragmentFlag(flag.col, negated);
  else if (letter === "m") reader.matchFlag(flag.col, item.values[0]!);
  else if (letter === "j" || letter === "g") reader.targetFlag(flag.col, letter === "g" ? "goto" : "jump", item.values[0]!);
  else reader.basic(letter, flag.col, negated, item.values[0]!);
  return "basic";
}

/** 3. The protocol's own match, loaded implicitly the first time one of its options appears. */
function implicitOwner(reader: RuleReader, written: string, flagCol: number): Owner | null {
  if (!reader.protocol || reader.protoUsed) return null;
  const implicit = implicitMatchFor(reader.protocol.value);
  const spec = implicit ? MATCH_MODULES.get(implicit) : undefined;
  const o = spec ? lookupOption(spec, written) : null;
  if (!implicit || !spec || !o) return null;
  reader.protoUsed = true;
  const match: Match = { module: implicit, implicit: true, known: true, options: [], location: reader.loc(flagCol) };
  reader.matches.push(match);
  const owner: Loaded = { options: match.options, spec, name: implicit };
  reader.loaded.push(owner);
  return { owner, name: o.name, arity: o.arity };
}

/** 4. Open end: the most recent module ntp-policy does not know keeps the option verbatim. */
function openEndOwner(reader: RuleReader, written: string): Owner | null {
  for (let i = reader.loaded.length - 1; i >= 0; i--) {
    if (!reader.loaded[i]!.spec) return { owner: reader.loaded[i]!, name: written, arity: null };
  }
  return null;
}
