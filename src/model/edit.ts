/**
 * A change to a checked file, as `ntp-policy fix` proposes it and SARIF `fixes` carry it: replace the text between
 * two positions (1-based line and column, end exclusive) with new text. An insertion has `start` equal to `end`;
 * a deletion has empty `text`. Inserted text uses `\n`: the file's own line ending is restored when applied.
 */
import type { Position } from "./location.js";

export interface TextEdit {
  /** Relative to the host directory, `/`-separated (like every SourceLocation). */
  file: string;
  start: Position;
  end: Position;
  text: string;
}

/** A verified change that makes one finding pass. */
export interface FindingFix {
  /** What the change does, in words ("add noquery to `restrict default kod nomodify`"). */
  description: string;
  edits: TextEdit[];
}
