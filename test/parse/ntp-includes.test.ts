/** includefile: spliced in reading order, confined to the host directory, ntpd's depth limit, `end`. */
import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, truncateSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { MAX_INPUT_BYTES } from "../../src/discover/host-files.js";
import { loadNtpConfig, MAX_INCLUDE_LEVEL } from "../../src/parse/ntp/index.js";

let tmp: string;
let host: string;

beforeEach(() => {
  tmp = mkdtempSync(path.join(os.tmpdir(), "ntp-includes-"));
  host = path.join(tmp, "host");
  mkdirSync(host);
});
afterEach(() => rmSync(tmp, { recursive: true, force: true }));

function put(rel: string, content: string | Buffer, root = host): void {
  const file = path.join(root, rel);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, content);
}
const sha = (s: string) => createHash("sha256").update(s).digest("hex");
const loc = (file: string, line: number, column = 1) => ({ file, line, column });
const summary = (nodes: Array<{ keyword: string; location: { file: string; line: number } }>) =>
  nodes.map((n) => `${n.location.file}:${n.location.line} ${n.keyword}`);

describe("loadNtpConfig", () => {
  it("splices included files in at their includefile line; absolute from the host root, relative from the including file", () => {
    const main = "server a\nincludefile /etc/ntp/abs.conf\nincludefile rel/one.conf\nrestrict default noquery\n";
    put("etc/ntp.conf", main);
    put("etc/ntp/abs.conf", "server b\n");
    put("etc/rel/one.conf", "includefile two.conf\nserver c\n");
    put("etc/rel/two.conf", "server d\n");
    const r = loadNtpConfig(host, "etc/ntp.conf");
    expect(r.diagnostics).toEqual([]);
    expect(r.template).toBeNull();
    expect(summary(r.nodes)).toEqual([
      "etc/ntp.conf:1 server",
      "etc/ntp.conf:2 includefile",
      "etc/ntp/abs.conf:1 server",
      "etc/ntp.conf:3 includefile",
      "etc/rel/one.conf:1 includefile",
      "etc/rel/two.conf:1 server",
      "etc/rel/one.conf:2 server",
      "etc/ntp.conf:4 restrict",
    ]);
    expect(r.files).toEqual([
      { path: "etc/ntp.conf", kind: "ntp.conf", sha256: sha(main), bytes: main.length },
      { path: "etc/ntp/abs.conf", kind: "ntp.include", sha256: sha("server b\n"), bytes: 9 },
      { path: "etc/rel/one.conf", kind: "ntp.include", sha256: sha("includefile two.conf\nserver c\n"), bytes: 30 },
      { path: "etc/rel/two.conf", kind: "ntp.include", sha256: sha("server d\n"), bytes: 9 },
    ]);
    expect(r.includes).toEqual([
      { path: "/etc/ntp/abs.conf", resolved_path: "etc/ntp/abs.conf", resolved: true, location: loc("etc/ntp.conf", 2) },
      { path: "rel/one.conf", resolved_path: "etc/rel/one.conf", resolved: true, location: loc("etc/ntp.conf", 3) },
      { path: "two.conf", resolved_path: "etc/rel/two.conf", resolved: true, location: loc("etc/rel/one.conf", 1) },
    ]);
    const d = r.nodes[2]!;
    expect(d.kind === "association" && d.address.location).toEqual(loc("etc/ntp/abs.conf", 1, 8));
  });

  it("a missing include is reported at its line and skipped; reading goes on", () => {
    put("ntp.conf", "server a\n  includefile /etc/ntp/crypto/pw # keys\nserver b\n");
    const r = loadNtpConfig(host, "ntp.conf");
    expect(summary(r.nodes)).toEqual(["ntp.conf:1 server", "ntp.conf:2 includefile", "ntp.conf:3 server"]);
    expect(r.includes).toEqual([{ path: "/etc/ntp/crypto/pw", resolved_path: "etc/ntp/crypto/pw", resolved: false, location: loc("ntp.conf", 2, 3) }]);
    expect(r.diagnostics).toEqual([
      {
        kind: "include",
        message: 'includefile "/etc/ntp/crypto/pw" not followed: etc/ntp/crypto/pw: no such file',
        location: loc("ntp.conf", 2, 3),
        text: "  includefile /etc/ntp/crypto/pw # keys",
      },
    ]);
  });

  it("never leaves the host directory: ../ escapes", () => {
    put("secret.conf", "server stolen\n", tmp);
    put("etc/ntp.conf", "includefile ../../secret.conf\nincludefile /../secret.conf\n");
    const r = loadNtpConfig(host, "etc/ntp.conf");
    expect(r.nodes.filter((n) => n.kind === "association")).toEqual([]);
    expect(r.includes.map((i) => [i.path, i.resolved_path, i.resolved])).toEqual([
      ["../../secret.conf", null, false],
      ["/../secret.conf", null, false],
    ]);
    expect(r.diagnostics.map((d) => [d.kind, d.location.line, d.message])).toEqual([
      ["include", 1, 'includefile "../../secret.conf" not followed: path "../../secret.conf" leaves the host directory'],
      ["include", 2, 'includefile "/../secret.conf" not followed: path "/../secret.conf" leaves the host directory'],
    ]);
  });

  it("never leaves the host directory: symbolic links", () => {
    put("secret.conf", "server stolen\n", tmp);
    put("ntp.conf", "includefile /etc/ntp/link.conf\nincludefile /dir/x.conf\n");
    mkdirSync(path.join(host, "etc/ntp"), { recursive: true });
    symlinkSync(path.join(tmp, "secret.conf"), path.join(host, "etc/ntp/link.conf"));
    symlinkSync(tmp, path.join(host, "dir"));
    put("x.conf", "server stolen too\n", tmp);
    const r = loadNtpConfig(host, "ntp.conf");
    expect(r.nodes.filter((n) => n.kind === "association")).toEqual([]);
    expect(r.diagnostics.map((d) => [d.kind, d.location.line, d.message])).toEqual([
      ["include", 1, 'includefile "/etc/ntp/link.conf" not followed: etc/ntp/link.conf: the file is a link that leads outside the host directory'],
      ["include", 2, 'includefile "/dir/x.conf" not followed: dir/x.conf: the file is a link that leads outside the host directory'],
    ]);
    expect(r.files.map((f) => f.path)).toEqual(["ntp.conf"]);
  });

  it("reports a cycle instead of following it", () => {
    put("etc/ntp.conf", "includefile a.conf\nserver main\n");
    put("etc/a.conf", "includefile /etc/b.conf\nserver a\n");
    put("etc/b.conf", "includefile a.conf\nincludefile ntp.conf\nserver b\n");
    const r = loadNtpConfig(host, "etc/ntp.conf");
    expect(summary(r.nodes.filter((n) => n.kind === "association"))).toEqual(["etc/b.conf:3 server", "etc/a.conf:2 server", "etc/ntp.conf:2 server"]);
    expect(r.diagnostics.map((d) => [d.location.file, d.location.line, d.message])).toEqual([
      ["etc/b.conf", 1, 'includefile "a.conf" not followed: include cycle etc/a.conf -> etc/b.conf -> etc/a.conf'],
      ["etc/b.conf", 2, 'includefile "ntp.conf" not followed: include cycle etc/ntp.conf -> etc/a.conf -> etc/b.conf -> etc/ntp.conf'],
    ]);
    expect(r.includes.map((i) => [i.resolved_path, i.resolved])).toEqual([
      ["etc/a.conf", true],
      ["etc/b.conf", true],
      ["etc/a.conf", false],
      ["etc/ntp.conf", false],
    ]);
  });

  it(`follows ${MAX_INCLUDE_LEVEL} nested levels like ntpd (MAXINCLUDELEVEL) and refuses the next`, () => {
    put("ntp.conf", "includefile l1.conf\n");
    for (let i = 1; i <= 7; i++) put(`l${i}.conf`, `server s${i}\nincludefile l${i + 1}.conf\n`);
    const r = loadNtpConfig(host, "ntp.conf");
    expect(r.nodes.filter((n) => n.kind === "association").map((n) => n.location.file)).toEqual(["l1.conf", "l2.conf", "l3.conf", "l4.conf", "l5.conf"]);
    expect(r.diagnostics.map((d) => [d.location.file, d.location.line, d.message])).toEqual([
      ["l5.conf", 2, `includefile "l6.conf" not followed: nesting deeper than ntpd's limit of ${MAX_INCLUDE_LEVEL} included levels`],
    ]);
    expect(r.includes.at(-1)).toEqual({ path: "l6.conf", resolved_path: "l6.conf", resolved: false, location: loc("l5.conf", 2) });
  });

  it("`end` in an included file stops all reading, the including files' remaining lines included", () => {
    put("ntp.conf", "server a\nincludefile inc.conf\nserver after\nbogus line\n");
    put("inc.conf", "server b\nend\nserver c\n");
    const r = loadNtpConfig(host, "ntp.conf");
    expect(summary(r.nodes)).toEqual(["ntp.conf:1 server", "ntp.conf:2 includefile", "inc.conf:1 server", "inc.conf:2 end"]);
    // ntpd never reads "bogus line"; the parser did, but nothing past `end` counts
    expect(r.diagnostics.filter((d) => d.location.file === "inc.conf")).toEqual([]);
  });

  it("syntax errors in an included file are located in that file", () => {
    put("ntp.conf", "includefile inc.conf\n");
    put("inc.conf", "server a\nServer b\n");
    const r = loadNtpConfig(host, "ntp.conf");
    expect(r.diagnostics.map((d) => [d.kind, d.location])).toEqual([["syntax", loc("inc.conf", 2)]]);
  });

  it("binary, directory and template includes", () => {
    put("ntp.conf", "includefile bin.conf\nincludefile /etc\nincludefile tpl.conf\nserver a\n");
    put("bin.conf", Buffer.from([0x73, 0x00, 0x01]));
    mkdirSync(path.join(host, "etc"));
    put("tpl.conf", "server {{ ntp_server }}\n");
    const r = loadNtpConfig(host, "ntp.conf");
    expect(r.diagnostics.map((d) => [d.kind, d.location.file, d.location.line, d.message])).toEqual([
      ["include", "ntp.conf", 1, 'includefile "bin.conf" not followed: bin.conf: binary content (NUL byte at offset 1)'],
      ["include", "ntp.conf", 2, 'includefile "/etc" not followed: etc: a directory, not a regular file'],
      ["template", "tpl.conf", 1, 'the file is a Jinja template ("{{ ntp_server }}"); ntpd reads the rendered file, so this one is not checked as configuration'],
    ]);
    expect(r.template).toEqual({ engine: "jinja", location: loc("tpl.conf", 1, 8), marker: "{{ ntp_server }}" });
    expect(summary(r.nodes)).toEqual(["ntp.conf:1 includefile", "ntp.conf:2 includefile", "ntp.conf:3 includefile", "ntp.conf:4 server"]);
    expect(r.files.map((f) => [f.path, f.kind])).toEqual([
      ["ntp.conf", "ntp.conf"],
      ["tpl.conf", "ntp.include"],
    ]);
  });

  it("an include larger than the reader's limit is reported, not read", () => {
    put("ntp.conf", "includefile big.conf\nserver a\n");
    put("big.conf", "");
    truncateSync(path.join(host, "big.conf"), MAX_INPUT_BYTES + 1); // sparse: instant
    const r = loadNtpConfig(host, "ntp.conf");
    expect(r.diagnostics.map((d) => [d.kind, d.location.line, d.message])).toEqual([
      ["include", 1, `includefile "big.conf" not followed: big.conf: file is ${MAX_INPUT_BYTES + 1} bytes, larger than the ${MAX_INPUT_BYTES}-byte limit`],
    ]);
    expect(summary(r.nodes)).toEqual(["ntp.conf:1 includefile", "ntp.conf:2 server"]);
  });

  it("a file included twice is read twice (as ntpd does) and listed once", () => {
    put("ntp.conf", "includefile c.conf\nincludefile ./c.conf\n");
    put("c.conf", "server c\n");
    const r = loadNtpConfig(host, "ntp.conf");
    expect(summary(r.nodes.filter((n) => n.kind === "association"))).toEqual(["c.conf:1 server", "c.conf:1 server"]);
    expect(r.files.map((f) => f.path)).toEqual(["ntp.conf", "c.conf"]);
  });

  it("an entry file that cannot be read is `unreadable`, with no files and no nodes", () => {
    const missing = loadNtpConfig(host, "etc/ntp.conf");
    expect(missing).toEqual({
      files: [],
      nodes: [],
      template: null,
      includes: [],
      diagnostics: [{ kind: "unreadable", message: "etc/ntp.conf: no such file", location: loc("etc/ntp.conf", 1) }],
    });
    put("ntp.conf", Buffer.from([0, 1, 2]));
    expect(loadNtpConfig(host, "ntp.conf").diagnostics.map((d) => d.kind)).toEqual(["unreadable"]);
  });

  it("an entry template is reported and its includes are not followed", () => {
    put("ntp.conf", "includefile inc.conf\nserver <%= @server %>\n");
    put("inc.conf", "server a\n");
    const r = loadNtpConfig(host, "ntp.conf");
    expect(r.template).toMatchObject({ engine: "erb", location: loc("ntp.conf", 2, 8) });
    expect(r.nodes).toEqual([]);
    expect(r.includes).toEqual([]);
    expect(r.files.map((f) => f.path)).toEqual(["ntp.conf"]);
  });
});

describe("fixture host directory", () => {
  const fixture = path.resolve(import.meta.dirname, "../fixtures/ntp/host");

  it("reads etc/ntp.conf with its relative include and reports the missing one", () => {
    const r = loadNtpConfig(fixture, "etc/ntp.conf");
    expect(summary(r.nodes)).toEqual([
      "etc/ntp.conf:2 driftfile",
      "etc/ntp.conf:3 leapfile",
      "etc/ntp.conf:5 includefile",
      "etc/ntp/servers.conf:2 pool",
      "etc/ntp/servers.conf:3 pool",
      "etc/ntp/servers.conf:4 server",
      "etc/ntp.conf:7 restrict",
      "etc/ntp.conf:8 restrict",
      "etc/ntp.conf:9 restrict",
      "etc/ntp.conf:10 restrict",
      "etc/ntp.conf:11 restrict",
      "etc/ntp.conf:13 includefile",
    ]);
    expect(r.files.map((f) => [f.path, f.kind])).toEqual([
      ["etc/ntp.conf", "ntp.conf"],
      ["etc/ntp/servers.conf", "ntp.include"],
    ]);
    expect(r.diagnostics.map((d) => [d.kind, d.location, d.message])).toEqual([
      ["include", loc("etc/ntp.conf", 13), 'includefile "/etc/ntp/missing.conf" not followed: etc/ntp/missing.conf: no such file'],
    ]);
  });
});
