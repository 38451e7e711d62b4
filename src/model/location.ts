/**
 * Where something is in a checked file. `file` is relative to the host directory and uses `/`;
 * `line` and `column` are 1-based, and `column` counts UTF-16 code units of the physical line.
 */
export interface SourceLocation {
  file: string;
  line: number;
  column: number;
}

/** A location before the file is known: parsers work on one file and stamp `file` afterwards. */
export interface Position {
  line: number;
  column: number;
}

export function compareLocations(a: SourceLocation, b: SourceLocation): number {
  if (a.file !== b.file) return a.file < b.file ? -1 : 1;
  return a.line - b.line || a.column - b.column;
}

export function formatLocation(loc: SourceLocation): string {
  return `${loc.file}:${loc.line}:${loc.column}`;
}
