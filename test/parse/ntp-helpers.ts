import { expect } from "vitest";
import type { Diagnostic } from "../../src/model/diagnostic.js";
import type { NtpNode } from "../../src/model/ntpconf.js";
import { parseNtpConf } from "../../src/parse/ntp/index.js";

export const FILE = "etc/ntp.conf";

/** A location in the test file. */
export const at = (line: number, column: number) => ({ file: FILE, line, column });

/** A word with its location in the test file. */
export const w = (text: string, line: number, column: number) => ({ text, location: at(line, column) });

/** Parse a file that must be accepted entirely. */
export function accept(text: string): NtpNode[] {
  const r = parseNtpConf(text, FILE);
  expect(r.diagnostics).toEqual([]);
  return r.nodes;
}

/** Parse one line that must be accepted: its node. */
export function one(line: string): NtpNode {
  const nodes = accept(line);
  expect(nodes).toHaveLength(1);
  return nodes[0]!;
}

/** Parse one line that must be rejected: its single syntax diagnostic. */
export function reject(line: string): Diagnostic {
  const r = parseNtpConf(line, FILE);
  expect(r.nodes).toEqual([]);
  expect(r.diagnostics).toHaveLength(1);
  expect(r.diagnostics[0]!.kind).toBe("syntax");
  return r.diagnostics[0]!;
}
