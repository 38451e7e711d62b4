/**
 * "did you mean" for a rejected word: the expected keyword closest to what was written, when it is close
 * enough to be a typo (`sever` → `server`, `noqeury` → `noquery`). The expected list in a message is cut
 * alphabetically, so without this the right word is often not shown at all.
 */

/** Edit distance with transpositions (optimal string alignment), capped: anything above `cap` is `cap + 1`. */
function distance(a: string, b: string, cap: number): number {
  if (Math.abs(a.length - b.length) > cap) return cap + 1;
  const rows: number[][] = [];
  for (let i = 0; i <= a.length; i++) {
    rows.push([i]);
    for (let j = 1; j <= b.length; j++) {
      if (i === 0) {
        rows[0]!.push(j);
        continue;
      }
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(rows[i - 1]![j]! + 1, rows[i]![j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, rows[i - 2]![j - 2]! + 1);
      rows[i]!.push(d);
    }
  }
  return Math.min(rows[a.length]![b.length]!, cap + 1);
}

/**
 * The closest expected keyword to `written`, or null. `expected` holds the grammar's expectations as shown in
 * messages: keywords JSON-quoted (`"server"`), token classes bare (`number`), which are never suggested.
 */
export function didYouMean(written: string, expected: readonly string[]): string | null {
  const word = written.toLowerCase();
  if (word.length < 3 || word.length > 40) return null;
  const cap = word.length <= 4 ? 1 : 2;
  let best: { keyword: string; d: number } | null = null;
  for (const item of expected) {
    if (!item.startsWith('"')) continue;
    const keyword = JSON.parse(item) as string;
    // A difference of case alone has its own hint ("keywords are lower-case").
    if (keyword.toLowerCase() === word) return null;
    const d = distance(word, keyword.toLowerCase(), cap);
    if (d <= cap && (!best || d < best.d)) best = { keyword, d };
  }
  return best ? best.keyword : null;
}
