import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { discoverHosts, DiscoveryError } from "../../src/discover/hosts.js";
import { readHostFile, resolveInHost } from "../../src/discover/host-files.js";

function tree(files: Record<string, string>): string {
  const root = mkdtempSync(path.join(tmpdir(), "ntp-policy-"));
  for (const [rel, body] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    writeFileSync(path.join(root, rel), body);
  }
  return root;
}

describe("host discovery", () => {
  it("finds one host per sub-directory, with every file layout", () => {
    const root = tree({
      "b/etc/ntp.conf": "server x\n",
      "b/etc/iptables/rules.v4": "*filter\nCOMMIT\n",
      "a/ntp.conf": "server x\n",
      "a/ip6tables-save": "",
      "c/etc/ntpsec/ntp.conf": "",
      "notes/README": "not a host",
    });
    const hosts = discoverHosts([root]);
    expect(hosts.map((h) => [h.name, h.displayPrefix, h.files])).toEqual([
      ["a", "a", { ntp: "ntp.conf", ip6tables: "ip6tables-save" }],
      ["b", "b", { ntp: "etc/ntp.conf", iptables: "etc/iptables/rules.v4" }],
      ["c", "c", { ntp: "etc/ntpsec/ntp.conf" }],
    ]);
  });

  it("takes a sub-directory holding only ntp-version as a host (daemon installed, configuration missing)", () => {
    const root = tree({ "a/ntp.conf": "", "ntp2/ntp-version": "ntpd ntpsec-1.2.2\n", "notes/README": "" });
    expect(discoverHosts([root]).map((h) => [h.name, h.files])).toEqual([
      ["a", { ntp: "ntp.conf" }],
      ["ntp2", { version: "ntp-version" }],
    ]);
  });

  it("takes a directory holding ntp.conf as one host", () => {
    const root = tree({ "web1/ntp.conf": "" });
    const hosts = discoverHosts([path.join(root, "web1")]);
    expect(hosts.map((h) => [h.name, h.displayPrefix])).toEqual([["web1", ""]]);
  });

  it("groups files given one by one with their host", () => {
    const root = tree({ "h1/etc/ntp.conf": "", "h1/iptables-save": "" });
    const hosts = discoverHosts([path.join(root, "h1/etc/ntp.conf"), path.join(root, "h1/iptables-save")]);
    expect(hosts).toHaveLength(1);
    expect(hosts[0]!.files).toEqual({ ntp: "etc/ntp.conf", iptables: "iptables-save" });
  });

  it("groups an nftables configuration and the files it includes from /etc/nftables.d with their host", () => {
    const root = tree({
      "web1/etc/nftables.conf": 'include "/etc/nftables.d/*.nft"\n',
      "web1/etc/nftables.d/ntp.nft": "table inet ntp {}\n",
      "web1/etc/ntp.conf": "server x\n",
    });
    for (const given of ["web1/etc/nftables.conf", "web1/etc/nftables.d/ntp.nft"]) {
      const [host] = discoverHosts([path.join(root, given)]);
      expect(host!.root).toBe(path.join(root, "web1"));
      expect(host!.files).toEqual({ ntp: "etc/ntp.conf", nft: "etc/nftables.conf" });
    }
  });

  it("finds chrony hosts in every layout, and a service options file alone is no host", () => {
    const root = tree({
      "deb/etc/chrony/chrony.conf": "pool 2.debian.pool.ntp.org iburst\n",
      "deb/etc/default/chrony": 'DAEMON_OPTS="-F 1"\n',
      "rhel/etc/chrony.conf": "pool 2.rhel.pool.ntp.org iburst\n",
      "rhel/etc/sysconfig/chronyd": 'OPTIONS="-F 2"\n',
      "flat/chrony.conf": "server a\n",
      "flat/chrony-version": "chronyd (chrony) version 4.3\n",
      "ver/chrony-version": "chronyd (chrony) version 4.3\n",
      "opts/etc/default/chrony": 'DAEMON_OPTS=""\n',
    });
    expect(discoverHosts([root]).map((h) => [h.name, h.files])).toEqual([
      ["deb", { chrony: "etc/chrony/chrony.conf", chronyOptions: "etc/default/chrony" }],
      ["flat", { chrony: "chrony.conf", chronyVersion: "chrony-version" }],
      ["rhel", { chrony: "etc/chrony.conf", chronyOptions: "etc/sysconfig/chronyd" }],
      ["ver", { chronyVersion: "chrony-version" }],
    ]);
  });

  it("groups etc/chrony/chrony.conf given on its own (a pre-commit hook) with its host", () => {
    const root = tree({ "h1/etc/chrony/chrony.conf": "", "h1/etc/default/chrony": "", "h1/iptables-save": "" });
    const hosts = discoverHosts([path.join(root, "h1/etc/chrony/chrony.conf")]);
    expect(hosts.map((h) => [h.name, h.files])).toEqual([["h1", { chrony: "etc/chrony/chrony.conf", chronyOptions: "etc/default/chrony", iptables: "iptables-save" }]]);
  });

  it("does not follow symbolic links to host directories", () => {
    const outside = tree({ "ntp.conf": "" });
    const root = tree({ "real/ntp.conf": "" });
    symlinkSync(outside, path.join(root, "link"));
    expect(discoverHosts([root]).map((h) => h.name)).toEqual(["real"]);
  });

  it("fails clearly on a missing path or a directory without hosts", () => {
    expect(() => discoverHosts(["/nonexistent/dump"])).toThrow(/\/nonexistent\/dump: no such file/);
    const empty = tree({ "x/readme.txt": "" });
    expect(() => discoverHosts([empty])).toThrow(DiscoveryError);
    expect(() => discoverHosts([empty])).toThrow(/no hosts found/);
  });
});

describe("reading host files", () => {
  it("confines paths to the host directory", () => {
    expect(resolveInHost("/h", "/etc/ntp/keys", "etc")).toEqual({ ok: true, relPath: "etc/ntp/keys" });
    expect(resolveInHost("/h", "extra.conf", "etc")).toEqual({ ok: true, relPath: "etc/extra.conf" });
    expect(resolveInHost("/h", "../../../etc/passwd", "etc").ok).toBe(false);
    expect(resolveInHost("/h", "/../etc/passwd", "").ok).toBe(false);
  });

  it("refuses links that leave the host, binary files and oversize files", () => {
    const outside = tree({ secret: "password" });
    const host = tree({ "ntp.conf": "server x\n", "bin.conf": "a\u0000b", "big.conf": "x".repeat(2000) });
    symlinkSync(path.join(outside, "secret"), path.join(host, "leak.conf"));
    expect(readHostFile(host, "ntp.conf")).toMatchObject({ ok: true, text: "server x\n", bytes: 9 });
    expect(readHostFile(host, "leak.conf")).toMatchObject({ ok: false, reason: expect.stringMatching(/outside the host/) });
    expect(readHostFile(host, "bin.conf")).toMatchObject({ ok: false, reason: "binary content (NUL byte at offset 1)" });
    expect(readHostFile(host, "big.conf", 1000)).toMatchObject({ ok: false, reason: expect.stringMatching(/larger than the 1000-byte limit/) });
    expect(readHostFile(host, "missing.conf")).toMatchObject({ ok: false, reason: "no such file" });
    expect(readHostFile(host, ".")).toMatchObject({ ok: false, reason: "a directory, not a regular file" });
  });
});
