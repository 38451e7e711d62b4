/**
 * Unified diffs (the format `git apply` and `patch -p1` read) between two versions of a file. The line diff is
 * Myers' O((N+M)·D) algorithm: the patches here change a few lines of files that may hold 100,000, so D is small.
 */

const CONTEXT = 3;

type Op = { kind: " " | "-" | "+"; text: string };

/** The edit script from `a` to `b`, as lines kept, removed and added, in order. */
export function diffLines(a: readonly string[], b: readonly string[]): Op[] {
  const n = a.length;
  const m = b.length;
  const max = n + m;
  const offset = max;
  let v = new Int32Array(2 * max + 2);
  const trace: Int32Array[] = [];
  let found = false;
  for (let d = 0; d <= max && !found; d++) {
    trace.push(v.slice());
    const next = v.slice();
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && v[offset + k - 1]! < v[offset + k + 1]!) ? v[offset + k + 1]! : v[offset + k - 1]! + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      next[offset + k] = x;
      if (x >= n && y >= m) {
        found = true;
        break;
      }
    }
    v = next;
  }
  trace.push(v);
  // Walk the trace back from (n, m).
  const ops: Op[] = [];
  let x = n;
  let y = m;
  for (let d = trace.length - 2; d > 0; d--) {
    const prev = trace[d]!;
    const k = x - y;
    const prevK = k === -d || (k !== d && prev[offset + k - 1]! < prev[offset + k + 1]!) ? k + 1 : k - 1;
    const prevX = prev[offset + prevK]!;
    const prevY = prevX - prevK;
    while (x > prevX && y > prevY) {
      ops.push({ kind: " ", text: a[--x]! });
      y--;
    }
    if (x === prevX) ops.push({ kind: "+", text: b[--y]! });
    else ops.push({ kind: "-", text: a[--x]! });
  }
  while (x > 0 && y > 0) {
    ops.push({ kind: " ", text: a[--x]! });
    y--;
  }
  while (y > 0) ops.push({ kind: "+", text: b[--y]! });
  while (x > 0) ops.push({ kind: "-", text: a[--x]! });
  return ops.reverse();
}

function split(text: string): { lines: string[]; finalNewline: boolean } {
  const lines = text.split("\n");
  const finalNewline = lines[lines.length - 1] === "";
  if (finalNewline) lines.pop();
  return { lines, finalNewline };
}

/**
 * `--- a/PATH` / `+++ b/PATH` and the hunks turning `before` into `after` ("" when they are equal). Lines keep
 * their `\r` (a CRLF file stays CRLF when the patch is applied); a missing final newline is marked as git does.
 */
export function unifiedDiff(path: string, before: string, after: string): string {
  if (before === after) return "";
  const a = split(before);
  const b = split(after);
  // The last line differs when only its final newline changes: compare it with its newline status.
  const aLines = a.lines.map((l, i) => (i === a.lines.length - 1 && !a.finalNewline ? `${l}\0` : l));
  const bLines = b.lines.map((l, i) => (i === b.lines.length - 1 && !b.finalNewline ? `${l}\0` : l));
  const ops = diffLines(aLines, bLines);
  const out = [`--- a/${path}`, `+++ b/${path}`];
  let i = 0;
  let aLine = 1;
  let bLine = 1;
  while (i < ops.length) {
    // Skip unchanged lines up to CONTEXT before the next change.
    let change = i;
    while (change < ops.length && ops[change]!.kind === " ") change++;
    if (change === ops.length) break;
    const skip = Math.max(0, change - i - CONTEXT);
    aLine += skip;
    bLine += skip;
    i += skip;
    // The hunk runs until CONTEXT*2 unchanged lines in a row (or the end).
    let end = change;
    let quiet = 0;
    while (end < ops.length && quiet <= CONTEXT * 2) {
      quiet = ops[end]!.kind === " " ? quiet + 1 : 0;
      end++;
    }
    const hunkEnd = quiet > CONTEXT ? end - (quiet - CONTEXT) : end;
    const hunk = ops.slice(i, hunkEnd);
    const aCount = hunk.filter((o) => o.kind !== "+").length;
    const bCount = hunk.filter((o) => o.kind !== "-").length;
    out.push(`@@ -${aCount === 0 ? aLine - 1 : aLine},${aCount} +${bCount === 0 ? bLine - 1 : bLine},${bCount} @@`);
    for (const o of hunk) {
      const noNewline = o.text.endsWith("\0");
      out.push(`${o.kind}${noNewline ? o.text.slice(0, -1) : o.text}`);
      if (noNewline) out.push("\\ No newline at end of file");
    }
    aLine += aCount;
    bLine += bCount;
    i = hunkEnd;
  }
  return `${out.join("\n")}\n`;
}
