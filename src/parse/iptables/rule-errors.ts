/** How rule building gives up on a line iptables-restore rejects: a located RuleError, thrown as a Fail. */

export interface RuleError {
  column: number;
  message: string;
  expected?: string[];
}

/** Thrown while building a rule to abandon a rejected line; not an Error, so no stack trace is captured. */
export class Fail {
  constructor(readonly error: RuleError) {}
}

export function fail(column: number, message: string, expected?: string[]): never {
  throw new Fail(expected ? { column, message, expected } : { column, message });
}
