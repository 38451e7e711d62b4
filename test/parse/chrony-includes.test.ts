/**
 * include / confdir / sourcedir followed inside a host directory as chronyd 4.3 follows them on a host
 * (the wording and the fatal cases were checked with chronyd -p), and the daemon options files.
 */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { loadChronyConfig, parseChronyDaemonOptions } from "../../src/parse/chrony/index.js";

let roots: string[] = [];
afterEach(() => {
  for (const r of roots) rmSync(r, { recursive: true, force: true });
  roots = [];
});
function host(files: Record<string, string>): string {
  const root = mkdtempSync(path.join(tmpdir(), "ntpp-chrony-"));
  roots.push(root);
  for (const [p, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, p)), { recursive: true });
    writeFileSync(path.join(root, p), text);
  }
  return root;
}
const servers = (r: ReturnType<typeof loadChronyConfig>) =>
  r.nodes.map((n) => (n.kind === "source" ? `${n.address.text}@${n.location.file}:${n.location.line}` : n.directive));

describe("chrony includes", () => {
  it("splices include matches in sorted order and reads confdir by file name, first directory winning", () => {
    const root = host({
      "etc/chrony/chrony.conf": "server a\ninclude /etc/chrony/inc/*.conf\nconfdir /etc/chrony/conf.d /usr/lib/chrony.d\nserver z\n",
      "etc/chrony/inc/b.conf": "server b\n",
      "etc/chrony/inc/a.conf": "server a2\n",
      "etc/chrony/inc/.hidden.conf": "server hidden\n",
      "etc/chrony/conf.d/20-x.conf": "server x20\n",
      "usr/lib/chrony.d/10-y.conf": "server y10\n",
      "usr/lib/chrony.d/20-x.conf": "server shadowed\n",
    });
    const r = loadChronyConfig(root, "etc/chrony/chrony.conf");
    expect(r.fatal).toBe(false);
    expect(servers(r)).toEqual([
      "a@etc/chrony/chrony.conf:1", "include", "a2@etc/chrony/inc/a.conf:1", "b@etc/chrony/inc/b.conf:1", "confdir",
      "y10@usr/lib/chrony.d/10-y.conf:1", "x20@etc/chrony/conf.d/20-x.conf:1", "z@etc/chrony/chrony.conf:4",
    ]);
    expect(r.files.map((f) => [f.path, f.kind])).toContainEqual(["etc/chrony/inc/a.conf", "chrony.include"]);
  });

  it("reads sourcedir files last, ignores what chronyd ignores there, and a missing sourcedir is normal", () => {
    const root = host({
      "etc/chrony/chrony.conf": "sourcedir /run/chrony-dhcp\nsourcedir /etc/chrony/sources.d\nserver main\n",
      "etc/chrony/sources.d/local.sources": "pool pool.example iburst\nallow all\nserver bad bogus\n",
    });
    const r = loadChronyConfig(root, "etc/chrony/chrony.conf");
    expect(r.fatal).toBe(false);
    expect(servers(r)).toEqual(["sourcedir", "sourcedir", "main@etc/chrony/chrony.conf:3", "pool.example@etc/chrony/sources.d/local.sources:1"]);
    expect(r.diagnostics.map((d) => [d.location.line, d.fatal])).toEqual([[2, false], [3, false]]);
  });

  it("is fatal where chronyd is: a missing literal include, an unsearchable pattern, too deep nesting", () => {
    const missing = loadChronyConfig(host({ "etc/chrony.conf": "include /etc/chrony/extra.conf\n" }), "etc/chrony.conf");
    expect(missing.fatal).toBe(true);
    expect(missing.diagnostics[0]!.daemonMessage).toBe("Could not open /etc/chrony/extra.conf : No such file or directory");
    const nodir = loadChronyConfig(host({ "etc/chrony.conf": "include /nonexist/*.conf\n" }), "etc/chrony.conf");
    expect(nodir.diagnostics[0]!.daemonMessage).toBe("Could not search for files matching /nonexist/*.conf");
    const nomatch = loadChronyConfig(host({ "etc/chrony.conf": "include /etc/*.nothing\n" }), "etc/chrony.conf");
    expect(nomatch.fatal).toBe(false);
    const loop = loadChronyConfig(host({ "etc/chrony.conf": "include /etc/chrony.conf\n" }), "etc/chrony.conf");
    expect(loop.diagnostics.map((d) => d.daemonMessage)).toEqual(["Maximum include level reached"]);
  });

  it("never reads outside the host directory", () => {
    const outside = host({ "secret.conf": "server leaked\n" });
    const root = host({ "etc/chrony.conf": "include /etc/link/*.conf\ninclude /../../secret.conf\n" });
    symlinkSync(outside, path.join(root, "etc/link"));
    const r = loadChronyConfig(root, "etc/chrony.conf");
    expect(servers(r)).toEqual(["include", "include"]);
    expect(r.diagnostics.filter((d) => d.fatal)).toHaveLength(2);
  });
});

describe("chronyd options files", () => {
  it("reads OPTIONS= as chronyd.service expands it", () => {
    const o = parseChronyDaemonOptions('# comment\nOPTIONS="-u chrony -4 -F 2"\n', "etc/sysconfig/chronyd");
    expect(o).toMatchObject({ user: "chrony", family: "ipv4", seccompLevel: 2, args: ["-u", "chrony", "-4", "-F", "2"] });
    expect(o.location).toEqual({ file: "etc/sysconfig/chronyd", line: 2, column: 1 });
    expect(parseChronyDaemonOptions("DAEMON_OPTS='-F 1 -x -uroot'\n", "etc/default/chrony")).toMatchObject({ user: "root", seccompLevel: 1, noClockControl: true });
    expect(parseChronyDaemonOptions('OPTIONS="-6"\nOPTIONS="-r -s"\n', "f")).toMatchObject({ family: null, other: ["-r", "-s"] });
    expect(parseChronyDaemonOptions('OPTIONS="-k"\n', "f").problems).toHaveLength(1);
    expect(parseChronyDaemonOptions('OPTIONS="-u"\n', "f").problems[0]!.message).toMatch(/needs an argument/);
    expect(parseChronyDaemonOptions("", "f")).toMatchObject({ location: null, user: null, args: [] });
  });
});

describe("readChronyHost", () => {
  it("finds the configuration and the options file of each distribution layout, -f included", async () => {
    const { readChronyHost } = await import("../../src/parse/chrony/index.js");
    const rhel = host({ "etc/chrony.conf": "pool 2.rhel.pool.ntp.org iburst\nuser chrony\n", "etc/sysconfig/chronyd": 'OPTIONS="-F 2"\n' });
    expect(readChronyHost(rhel)).toMatchObject({ configPath: "etc/chrony.conf", optionsPath: "etc/sysconfig/chronyd", options: { seccompLevel: 2 } });
    const debian = host({ "etc/chrony/chrony.conf": "pool 2.debian.pool.ntp.org iburst\n", "etc/default/chrony": 'DAEMON_OPTS="-F 1"\n' });
    expect(readChronyHost(debian)?.files.map((f) => f.kind)).toEqual(["chrony.options", "chrony.conf"]);
    const moved = host({ "etc/chrony.conf": "server a\n", "opt/chrony/c.conf": "server b\n", "etc/sysconfig/chronyd": 'OPTIONS="-f /opt/chrony/c.conf"\n' });
    expect(readChronyHost(moved)?.configPath).toBe("opt/chrony/c.conf");
    expect(readChronyHost(host({ "etc/ntp.conf": "server a\n" }))).toBeNull();
    const bad = host({ "etc/chrony.conf": "server a\n", "etc/sysconfig/chronyd": 'OPTIONS="-k"\n' });
    expect(readChronyHost(bad)?.diagnostics.filter((d) => d.fatal)).toHaveLength(1);
  });
});
