/** Syntax nodes for analysis tests, produced by the real parser from ntp.conf text. */
import type { AssociationNode, NtpNode, RestrictNode } from "../../src/model/ntpconf.js";
import { parseNtpConf } from "../../src/parse/ntp/index.js";

/** All nodes of an ntp.conf text; fails the test on any diagnostic. */
export function conf(text: string): NtpNode[] {
  const parsed = parseNtpConf(text, "ntp.conf");
  if (parsed.diagnostics.length > 0) throw new Error(`test input rejected: ${parsed.diagnostics[0]!.message}`);
  return parsed.nodes;
}

function single<K extends NtpNode["kind"]>(text: string, kind: K): Extract<NtpNode, { kind: K }> {
  const [node] = conf(text);
  if (!node || node.kind !== kind) throw new Error(`expected one ${kind} line: ${text}`);
  return node as Extract<NtpNode, { kind: K }>;
}

export const restrictLine = (text: string): RestrictNode => single(text, "restrict");
export const serverLine = (text: string): AssociationNode => single(text, "association");
