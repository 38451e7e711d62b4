/** iptables' basic options (-p -s -d -i -o -j -g -m -f) and their long spellings. */

/**
 * Long spellings of the basic options, for getopt's unambiguous abbreviations (`--proto tcp`).
 * The exact spellings are typed by the lexer; only abbreviations reach the option path.
 */
export const BASIC_LONG: Readonly<Record<string, string>> = {
  protocol: "p", source: "s", src: "s", destination: "d", dst: "d", "in-interface": "i", "out-interface": "o",
  jump: "j", goto: "g", match: "m", fragment: "f",
};

/** The letter of a basic option as the lexer typed it (`-s`, `--source`, `--src` → `s`). */
export function basicLetter(flag: string): string {
  return flag.startsWith("--") ? BASIC_LONG[flag.slice(2)]! : flag.slice(1);
}
