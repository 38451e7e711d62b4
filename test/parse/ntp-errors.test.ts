/**
 * Lines ntpd rejects: each becomes one `syntax` diagnostic at the offending word, with what the grammar
 * could have accepted there, and the line is left out of the tree — the rest of the file still counts.
 */
import { describe, expect, it } from "vitest";
import { parseNtpConf } from "../../src/parse/ntp/index.js";
import { FILE, at, reject } from "./ntp-helpers.js";

const RESTRICT_FLAGS = [
  '"epeer"', '"flake"', '"ignore"', '"kod"', '"limited"', '"lowpriotrap"', '"mssntp"', '"noepeer"', '"nomodify"',
  '"nomrulist"', '"nopeer"', '"noquery"', '"noserve"', '"notrap"', '"notrust"', '"ntpport"', '"serverresponse"', '"version"',
];

describe("rejected lines", () => {
  it("keywords are case-sensitive: `Server`", () => {
    const d = reject("Server 0.pool.ntp.org iburst");
    expect(d.location).toEqual(at(1, 1));
    expect(d.message).toMatch(/^unexpected word "Server"; expected one of "automax", "broadcast", /);
    expect(d.message).toMatch(/ \(keywords are lower-case: "server"\)$/);
    expect(d.expected).toContain('"server"');
    expect(d.expected).toContain('"restrict"');
    expect(d.expected).toContain('"refclock"');
    expect(d.expected).toHaveLength(59);
    expect(d.text).toBe("Server 0.pool.ntp.org iburst");
  });

  it.each([
    ["sever 192.0.2.1 iburst", 1, "sever", "server"],
    ["restrict default kod nomodify notrap nopeer noqeury", 45, "noqeury", "noquery"],
    ["server 192.0.2.1 ibrust", 18, "ibrust", "iburst"],
    ["restrict default nomodfy", 18, "nomodfy", "nomodify"],
  ])("a typo gets a did-you-mean: %s", (line, column, typo, meant) => {
    const d = reject(line);
    expect(d.location).toEqual(at(1, column));
    expect(d.message).toMatch(new RegExp(`^unexpected word "${typo}" \\(did you mean "${meant}"\\?\\); expected `));
  });

  it("no did-you-mean for a word far from every keyword", () => {
    expect(reject("frobnicate 5").message).not.toContain("did you mean");
  });

  it("`none` is not a restrict flag (only a word in an old doc example)", () => {
    const d = reject("restrict default noquery none");
    expect(d.location).toEqual(at(1, 26));
    expect(d.message).toBe(`unexpected keyword "none"; expected one of ${RESTRICT_FLAGS.slice(0, 12).join(", ")}, …`);
    expect(d.expected).toEqual(RESTRICT_FLAGS);
  });

  it.each([
    ["authenticate no", 1, /^unexpected word "authenticate"/],
    ["precision -6", 1, /^unexpected word "precision"/],
    ["listen on *", 1, /^unexpected keyword "listen"/],
    ["You do need to talk to an NTP server or two (or three).", 1, /^unexpected word "You"/],
    ["peer / LOCL 5 -6 local", 8, /^unexpected word "LOCL"; expected one of "aead", "autokey", /],
    ["broadcastclient novolley", 17, /^unexpected word "novolley"; expected end of line$/],
  ])("obsolete or foreign syntax: %s", (line, column, message) => {
    const d = reject(line);
    expect(d.location).toEqual(at(1, column));
    expect(d.message).toMatch(message);
  });

  it.each([
    ["server", 7, "unexpected end of line; expected one of -4/-6, string", ["-4/-6", "string"]],
    ["restrict 10", 10, 'unexpected integer "10"; expected one of "default", "source", -4/-6, quoted string, word', ['"default"', '"source"', "-4/-6", "quoted string", "word"]],
    ["server x iburst maxpoll", 24, "unexpected end of line; expected one of integer, unsigned integer", ["integer", "unsigned integer"]],
    ["server x minpoll 4.5", 18, 'unexpected decimal number "4.5"; expected one of integer, unsigned integer', ["integer", "unsigned integer"]],
    ["driftfile /x 5", 14, 'unexpected integer "5"; expected decimal number', ["decimal number"]],
    ["tinker panic -6", 14, 'unexpected -4/-6 "-6"; expected one of decimal number, integer', ["decimal number", "integer"]],
    ["trustedkey (1 ... )", 19, 'unexpected closing parenthesis ")"; expected integer', ["integer"]],
    ["crypto cert /x", 8, 'unexpected keyword "cert"; expected one of "digest", "host", "ident", "pw", "randfile", "revoke"', ['"digest"', '"host"', '"ident"', '"pw"', '"randfile"', '"revoke"']],
    ["interface listen", 17, 'unexpected end of line; expected one of "all", "ipv4", "ipv6", "wildcard", quoted string, word', ['"all"', '"ipv4"', '"ipv6"', '"wildcard"', "quoted string", "word"]],
    ["restrict 10.0.0.1 mask", 23, "unexpected end of line; expected one of quoted string, word", ["quoted string", "word"]],
    ["setvar a=b", 11, "unexpected end of line; expected equals sign", ["equals sign"]],
    ["restrict -4 source", 13, 'unexpected keyword "source"; expected one of "default", quoted string, word', ['"default"', "quoted string", "word"]],
    ["logconfig -4", 11, 'unexpected -4/-6 "-4"; expected string', ["string"]],
    ["enable", 7, undefined, ['"auth"', '"bclient"', '"calibrate"', '"kernel"', '"mode7"', '"monitor"', '"ntp"', '"peer_clear_digest_early"', '"stats"', '"unpeer_crypto_early"', '"unpeer_crypto_nak_early"', '"unpeer_digest_early"']],
  ])("%s", (line, column, message, expected) => {
    const d = reject(line);
    expect(d.location).toEqual(at(1, column));
    if (message !== undefined) expect(d.message).toBe(message);
    expect(d.expected).toEqual(expected);
  });

  it("punctuation ntpd returns as its own token is an error outside setvar/trustedkey/pollskewlist", () => {
    const d = reject("restrict default noquery;");
    expect(d.location).toEqual(at(1, 25));
    expect(d.message).toMatch(/^unexpected punctuation ";"; expected one of "epeer"/);
    expect(d.expected).toEqual(RESTRICT_FLAGS);
  });

  it("a keyword of token mode is not a host name: `restrict limited`", () => {
    expect(reject("restrict limited").location).toEqual(at(1, 10));
  });

  it("a rejected line is dropped, the others are kept, and every location is absolute", () => {
    const r = parseNtpConf("server a.example iburst\n\n  restrict default nomodify bogus\nserver b.example\n", FILE);
    expect(r.nodes.map((n) => n.location.line)).toEqual([1, 4]);
    expect(r.diagnostics).toEqual([
      {
        kind: "syntax",
        message: `unexpected word "bogus"; expected one of ${RESTRICT_FLAGS.slice(0, 12).join(", ")}, …`,
        location: at(3, 29),
        text: "  restrict default nomodify bogus",
        expected: RESTRICT_FLAGS,
      },
    ]);
  });
});
