/**
 * Loading and validating the YAML configuration. Every mistake is a ConfigError that names the file,
 * line and column of the offending value; the CLI turns it into exit code 2.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node as YamlNode } from "yaml";
import { formatAddress, parsePrefix } from "../analyze/address-set.js";
import { defaultConfig, PROFILES, SOURCE_KINDS, type Config, type Profile, type RuleSetting, type SourceKind, type Waiver } from "../model/config.js";
import { isSeverity, SEVERITIES } from "../model/finding.js";
import { didYouMean } from "./did-you-mean.js";

export class ConfigError extends Error {}

// A network as the configuration writes it: an IPv4 or IPv6 address, optionally with a prefix length. The same
// pattern is the `pattern` of docs/config.schema.json (test/check/config-schema.test.ts keeps them equal).
const OCTET = "(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])";
const IPV4 = `${OCTET}(?:\\.${OCTET}){3}`;
const H16 = "[0-9A-Fa-f]{1,4}";
const LS32 = `(?:${H16}:${H16}|${IPV4})`;
const IPV6 = `(?:${[
  `(?:${H16}:){6}${LS32}`,
  `::(?:${H16}:){5}${LS32}`,
  `(?:${H16})?::(?:${H16}:){4}${LS32}`,
  `(?:(?:${H16}:){0,1}${H16})?::(?:${H16}:){3}${LS32}`,
  `(?:(?:${H16}:){0,2}${H16})?::(?:${H16}:){2}${LS32}`,
  `(?:(?:${H16}:){0,3}${H16})?::${H16}:${LS32}`,
  `(?:(?:${H16}:){0,4}${H16})?::${LS32}`,
  `(?:(?:${H16}:){0,5}${H16})?::${H16}`,
  `(?:(?:${H16}:){0,6}${H16})?::`,
].join("|")})`;
/** An IPv4 or IPv6 address with an optional prefix length (`10.0.0.0/8`, `2001:db8::/32`, `192.0.2.7`). */
export const NETWORK_PATTERN = `^(?:${IPV4}(?:/(?:3[0-2]|[12]?[0-9]))?|${IPV6}(?:/(?:12[0-8]|1[01][0-9]|[1-9]?[0-9]))?)$`;
const NETWORK_RE = new RegExp(NETWORK_PATTERN);

/** A network as the configuration and --trusted accept it (written as NETWORK_PATTERN, and one the analysis can use). */
export function isNetwork(text: string): boolean {
  return NETWORK_RE.test(text) && parsePrefix(text) !== null;
}

/** An authorised upstream that looks like a CIDR (then it must be a valid one). */
const CIDR_LIKE = /^[0-9a-fA-F:.]+\/\d+$/;

const TOP_LEVEL_KEYS = ["profile", "trusted_networks", "min_upstreams", "max_poll", "authorized_upstreams", "source_kind", "rules", "waivers"];
const WAIVER_KEYS = ["rule", "hosts", "file", "line", "justification", "approved_by", "expires"];
const MAX_CONFIG_BYTES = 1024 * 1024;

/**
 * `knownRules`: the rule ids of the catalogue (built-in and custom); a `rules:` entry for any other id is an
 * error with a did-you-mean. Absent: ids are only checked for their form.
 */
export function loadConfigFile(file: string, knownRules?: ReadonlySet<string>): Config {
  let text: string;
  let digest: string;
  try {
    const buf = readFileSync(file);
    if (buf.length > MAX_CONFIG_BYTES) throw new ConfigError(`${file}: configuration larger than 1 MiB`);
    text = buf.toString("utf8");
    digest = `sha256:${createHash("sha256").update(buf).digest("hex")}`;
  } catch (e) {
    if (e instanceof ConfigError) throw e;
    const code = (e as { code?: string }).code;
    throw new ConfigError(`${file}: cannot read configuration (${code === "ENOENT" ? "no such file" : (code ?? String(e))})`);
  }
  return { ...parseConfig(text, file, knownRules), digest };
}

export function parseConfig(text: string, file: string, knownRules?: ReadonlySet<string>): Config {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const at = (node: YamlNode | null | undefined): string => {
    const offset = node?.range?.[0] ?? 0;
    const pos = lines.linePos(offset);
    return `${file}:${pos.line}:${pos.col}`;
  };
  const fail = (node: YamlNode | null | undefined, message: string): never => {
    throw new ConfigError(`${at(node)}: ${message}`);
  };
  const wholeNumber = (node: YamlNode, min: number, max: number, message: string): number => {
    const n = isScalar(node) ? node.value : undefined;
    if (typeof n !== "number" || !Number.isInteger(n) || n < min || n > max) return fail(node, message);
    return n;
  };
  /** One of a closed list of words (`profile`, `source_kind`). */
  const oneOf = <T extends string>(node: YamlNode, key: string, allowed: readonly T[]): T => {
    const v = isScalar(node) ? node.value : undefined;
    if (typeof v !== "string" || !(allowed as readonly string[]).includes(v)) return fail(node, `${key} must be one of ${allowed.join(", ")}`);
    return v as T;
  };
  if (doc.errors.length > 0) {
    const err = doc.errors[0]!;
    const pos = lines.linePos(err.pos[0]);
    throw new ConfigError(`${file}:${pos.line}:${pos.col}: invalid YAML: ${err.message.split("\n")[0]}`);
  }
  const config = defaultConfig();
  config.source = file;
  const r = resolver(doc);
  /** The items of a list setting, each read by `item`; anything but a list is an error (`message`). */
  const listOf = <T>(node: YamlNode, message: string, item: (node: YamlNode | null) => T): T[] => {
    if (!isSeq(node)) return fail(node, message);
    return node.items.map((i) => item(r(i as YamlNode)));
  };
  const root = r(doc.contents as YamlNode | null);
  if (root === null || (isScalar(root) && root.value === null)) return config;
  if (!isMap(root)) return fail(root, "the configuration must be a mapping of settings");

  for (const pair of root.items) {
    const keyNode = pair.key as YamlNode;
    const key = isScalar(keyNode) ? String(keyNode.value) : "";
    const value = r(pair.value as YamlNode | null);
    switch (key) {
      case "trusted_networks": {
        config.trusted_networks = listOf(value ?? keyNode, "trusted_networks must be a list of CIDRs", (node) => {
          const cidr = isScalar(node) && typeof node.value === "string" ? node.value : null;
          if (cidr === null || !isNetwork(cidr)) {
            const shown = isScalar(node) ? JSON.stringify(String(node.value)) : "this item";
            fail(node, `${shown} is not an IPv4 or IPv6 network (e.g. 10.0.0.0/8, 2001:db8::/32)`);
          }
          return cidr as string;
        });
        break;
      }
      case "profile":
        config.profile = oneOf<Profile>(value ?? keyNode, "profile", PROFILES);
        break;
      case "max_poll":
        config.max_poll = wholeNumber(value ?? keyNode, 3, 17, "max_poll must be a whole number from 3 to 17 (log2 seconds: 10 is 1024 s)");
        break;
      case "authorized_upstreams": {
        config.authorized_upstreams = listOf(value ?? keyNode, "authorized_upstreams must be a list of host-name globs and CIDRs", (node) => {
          const v = isScalar(node) ? node.value : undefined;
          if (typeof v !== "string" || v.trim() === "" || /\s/.test(v)) fail(node, "an authorised upstream is a host-name glob (*.pool.ntp.org) or a CIDR");
          if (CIDR_LIKE.test(v as string) && !isNetwork(v as string)) fail(node, `${JSON.stringify(v)} is not a valid CIDR`);
          return v as string;
        });
        break;
      }
      case "source_kind":
        config.source_kind = oneOf<SourceKind>(value ?? keyNode, "source_kind", SOURCE_KINDS);
        break;
      case "min_upstreams":
        config.min_upstreams = wholeNumber(value ?? keyNode, 0, 100, "min_upstreams must be a whole number between 0 and 100");
        break;
      case "rules": {
        if (!isMap(value)) return fail(value ?? keyNode, "rules must map rule ids to off, a severity, or {enabled, severity}");
        for (const rp of value.items) {
          const idNode = rp.key as YamlNode;
          const id = isScalar(idNode) ? String(idNode.value) : "";
          if (!/^[A-Z]+[0-9]{3}$/.test(id)) fail(idNode, `${JSON.stringify(id)} is not a rule id (e.g. NTP001)${suggestion(id, knownRules)}`);
          if (knownRules && !knownRules.has(id)) fail(idNode, `unknown rule ${JSON.stringify(id)}${suggestion(id, knownRules)}; \`ntp-policy rules\` lists them`);
          config.rules[id] = ruleSetting(r(rp.value as YamlNode | null) ?? idNode, fail, r);
        }
        break;
      }
      case "waivers":
        config.waivers = listOf(value ?? keyNode, "waivers must be a list", (node) => waiver(node!, fail, at, r, knownRules));
        break;
      default:
        return fail(keyNode, `unknown setting ${JSON.stringify(key)} (known: ${TOP_LEVEL_KEYS.join(", ")})`);
    }
  }
  return config;
}

function suggestion(id: string, known: ReadonlySet<string> | undefined): string {
  const near = known ? didYouMean(id, known) : [];
  return near.length === 0 ? "" : ` (did you mean ${near.slice(0, 3).join(" or ")}?)`;
}

type Fail = (node: YamlNode | null | undefined, message: string) => never;
type Resolve = (node: YamlNode | null | undefined) => YamlNode | null;

/** Follows aliases (`*name`) to the node they stand for, so `&anchor`/`*alias` mean what they mean in YAML. */
function resolver(doc: Document): Resolve {
  return (node) => {
    let n = node ?? null;
    for (let hops = 0; n !== null && isAlias(n) && hops < 100; hops++) n = (n.resolve(doc) as YamlNode | undefined) ?? null;
    return n;
  };
}

function ruleSetting(node: YamlNode | null, fail: Fail, r: Resolve): RuleSetting {
  if (isScalar(node)) {
    const v = node.value;
    if (v === "off" || v === false) return { enabled: false, severity: null };
    if (v === "on" || v === true) return { enabled: true, severity: null };
    if (isSeverity(v)) return { enabled: true, severity: v };
  }
  if (isMap(node)) {
    const setting: RuleSetting = { enabled: true, severity: null };
    for (const p of node.items) {
      const k = isScalar(p.key) ? String(p.key.value) : "";
      const valueNode = r(p.value as YamlNode | null);
      const v = isScalar(valueNode) ? valueNode.value : undefined;
      if (k === "enabled" && typeof v === "boolean") setting.enabled = v;
      else if (k === "severity" && isSeverity(v)) setting.severity = v;
      else fail(valueNode ?? (p.key as YamlNode), `expected enabled: true|false or severity: ${SEVERITIES.join("|")}`);
    }
    return setting;
  }
  return fail(node, `a rule setting is off, on, a severity (${SEVERITIES.join(", ")}) or {enabled, severity}`);
}

function waiver(node: YamlNode, fail: Fail, at: (n: YamlNode) => string, r: Resolve, knownRules: ReadonlySet<string> | undefined): Waiver {
  if (!isMap(node)) return fail(node, "a waiver is a mapping with rule, hosts, justification, …");
  const w: Waiver = { rule: "", hosts: [], file: null, line: null, justification: "", approved_by: null, expires: null, location: null };
  const pos = at(node).split(":");
  w.location = { file: pos.slice(0, -2).join(":"), line: Number(pos.at(-2)), column: Number(pos.at(-1)) };
  for (const p of node.items) {
    const keyNode = p.key as YamlNode;
    const k = isScalar(keyNode) ? String(keyNode.value) : "";
    const valueNode = r(p.value as YamlNode | null) ?? keyNode;
    const scalar = isScalar(valueNode) && valueNode !== keyNode ? valueNode.value : undefined;
    switch (k) {
      case "rule":
        if (typeof scalar !== "string" || !/^[A-Z]+[0-9]{3}$/.test(scalar)) fail(valueNode, "rule must be a rule id such as NTP001");
        if (knownRules && !knownRules.has(scalar as string)) fail(valueNode, `unknown rule ${JSON.stringify(scalar)}${suggestion(scalar as string, knownRules)}; \`ntp-policy rules\` lists them`);
        w.rule = scalar as string;
        break;
      case "hosts":
        if (!isSeq(valueNode) || valueNode.items.length === 0) fail(valueNode, "hosts must be a non-empty list of host globs");
        w.hosts = (valueNode as unknown as { items: YamlNode[] }).items.map((item) => {
          const h = r(item);
          return isScalar(h) && typeof h.value === "string" && h.value !== "" ? h.value : fail(h ?? item, "a host glob must be a non-empty string");
        });
        break;
      case "file":
        if (typeof scalar !== "string" || scalar === "") fail(valueNode, "file must be a path");
        w.file = scalar as string;
        break;
      case "line":
        if (typeof scalar !== "number" || !Number.isInteger(scalar) || scalar < 1) fail(valueNode, "line must be a positive whole number");
        w.line = scalar as number;
        break;
      case "justification":
        if (typeof scalar !== "string" || scalar.trim() === "") fail(valueNode, "justification must be a non-empty text");
        w.justification = scalar as string;
        break;
      case "approved_by":
        if (typeof scalar !== "string" || scalar.trim() === "") fail(valueNode, "approved_by must be a name");
        w.approved_by = scalar as string;
        break;
      case "expires": {
        const text = scalar instanceof Date ? scalar.toISOString().slice(0, 10) : String(scalar ?? "");
        if (!isIsoDate(text)) fail(valueNode, `expires must be a date written YYYY-MM-DD, not ${JSON.stringify(text)}`);
        w.expires = text;
        break;
      }
      default:
        fail(keyNode, `unknown waiver key ${JSON.stringify(k)} (known: ${WAIVER_KEYS.join(", ")})`);
    }
  }
  if (!w.rule) fail(node, "a waiver needs a rule");
  if (w.hosts.length === 0) fail(node, "a waiver needs hosts (a list of host globs; use [\"*\"] for all)");
  if (!w.justification) fail(node, "a waiver needs a justification");
  return w;
}

function isIsoDate(text: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
  const d = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === text;
}

/**
 * Networks written with host bits set (`10.0.0.1/8`): each is read as its network (10.0.0.0/8), as iptables and
 * ntpd read an address under a mask, which is rarely what was meant — a warning for each, naming the network used.
 */
export function hostBitsWarnings(networks: readonly string[], origin: string): string[] {
  const out: string[] = [];
  for (const text of networks) {
    const prefix = parsePrefix(text);
    if (prefix === null || !text.includes("/")) continue;
    const canonical = `${formatAddress(prefix.family, prefix.network)}/${prefix.length}`;
    const given = parsePrefix(text.slice(0, text.indexOf("/")));
    if (given !== null && given.network !== prefix.network) {
      out.push(`${origin} ${text} has host bits set: it is read as the network ${canonical} (write ${canonical}, or /${prefix.family === "ipv4" ? 32 : 128} for one address)`);
    }
  }
  return out;
}
