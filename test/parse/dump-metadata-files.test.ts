import { describe, expect, it } from "vitest";
import { backendOfVersion, collectionTime, keyFileRecords } from "../../src/parse/dump/metadata-files.js";

describe("the collector's small files", () => {
  it("iptables-version: the backend `iptables -V` names; before 1.8 there is only legacy", () => {
    expect(backendOfVersion("iptables v1.8.9 (nf_tables)\n")).toBe("nf_tables");
    expect(backendOfVersion("iptables v1.8.7 (legacy)")).toBe("legacy");
    expect(backendOfVersion("\n  ip6tables v1.8.4 (nf_tables)  \n")).toBe("nf_tables");
    expect(backendOfVersion("iptables v1.4.21\n")).toBe("legacy");
    expect(backendOfVersion("iptables v1.8.9\n")).toBeNull();
    expect(backendOfVersion("nft v1.0.6 (Lester Gooch #5)")).toBeNull();
    expect(backendOfVersion("")).toBeNull();
  });

  it("collected-at: one UTC ISO 8601 time", () => {
    expect(collectionTime("2026-12-03T12:00:00Z\n")).toBe("2026-12-03T12:00:00Z");
    expect(collectionTime("2026-12-03T12:00:00.123Z")).toBe("2026-12-03T12:00:00.123Z");
    expect(collectionTime("2026-12-03T12:00:00+01:00")).toBeNull();
    expect(collectionTime("2026-13-45T12:00:00Z")).toBeNull();
    expect(collectionTime("Thu Dec  3 12:00:00 UTC 2026")).toBeNull();
  });

  it("key-files: mode, owner, size and path (paths may hold blanks); other lines are ignored", () => {
    expect(keyFileRecords("-rw------- 0:0 26 /etc/ntp/crypto/pw\n-rw-r----- 0:112 25 /etc/chrony/my keys\ngarbage\n")).toEqual([
      { mode: "-rw-------", owner: "0:0", bytes: 26, path: "/etc/ntp/crypto/pw" },
      { mode: "-rw-r-----", owner: "0:112", bytes: 25, path: "/etc/chrony/my keys" },
    ]);
  });
});
