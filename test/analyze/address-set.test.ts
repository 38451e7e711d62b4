import { describe, expect, it } from "vitest";
import { AddressSet, contiguousMaskLength, parseAddress, parsePrefix } from "../../src/analyze/address-set.js";

describe("AddressSet", () => {
  it("prints the minimal CIDR cover of a difference", () => {
    const all = AddressSet.all("ipv4");
    const rest = all.subtract(AddressSet.of("ipv4", ["10.0.0.0/8"]));
    expect(rest.toCidrs()).toEqual([
      "0.0.0.0/5",
      "8.0.0.0/7",
      "11.0.0.0/8",
      "12.0.0.0/6",
      "16.0.0.0/4",
      "32.0.0.0/3",
      "64.0.0.0/2",
      "128.0.0.0/1",
    ]);
    expect(rest.union(AddressSet.of("ipv4", ["10.0.0.0/8"])).isAll()).toBe(true);
  });

  it("merges adjacent and overlapping prefixes", () => {
    const s = AddressSet.of("ipv4", ["192.0.2.0/25", "192.0.2.128/25", "192.0.2.7/32"]);
    expect(s.toCidrs()).toEqual(["192.0.2.0/24"]);
    expect(s.size()).toBe(256n);
  });

  it("intersects and tests containment", () => {
    const a = AddressSet.of("ipv4", ["10.0.0.0/8"]);
    const b = AddressSet.of("ipv4", ["10.1.0.0/16", "11.0.0.0/8"]);
    expect(a.intersect(b).toCidrs()).toEqual(["10.1.0.0/16"]);
    expect(a.contains(AddressSet.of("ipv4", ["10.9.9.9"]))).toBe(true);
    expect(a.contains(b)).toBe(false);
  });

  it("handles IPv6 and keeps families apart", () => {
    const s = AddressSet.all("ipv6").subtract(AddressSet.of("ipv6", ["::1/128", "2001:db8::/32"]));
    expect(s.contains(AddressSet.of("ipv6", ["2001:db8::5"]))).toBe(false);
    expect(s.exampleAddress()).toBe("::");
    expect(s.contains(AddressSet.of("ipv6", ["2001:db8::1"]))).toBe(false);
    expect(() => s.union(AddressSet.all("ipv4"))).toThrow(/family mismatch/);
    expect(AddressSet.of("ipv6", ["10.0.0.0/8"]).isEmpty()).toBe(true);
  });

  it("gives a documentation address as example when it can, else not a network's zero address", () => {
    expect(AddressSet.all("ipv4").exampleAddress()).toBe("203.0.113.1");
    expect(AddressSet.all("ipv6").exampleAddress()).toBe("2001:db8::1");
    expect(AddressSet.of("ipv4", ["10.0.0.0/8"]).exampleAddress()).toBe("10.0.0.1");
    expect(AddressSet.of("ipv4", ["10.0.0.7"]).exampleAddress()).toBe("10.0.0.7");
    expect(AddressSet.empty("ipv4").exampleAddress()).toBeNull();
  });
});

describe("parsing", () => {
  it("parses prefixes, clears host bits and accepts dotted masks", () => {
    expect(parsePrefix("10.1.2.3/8")).toEqual({ family: "ipv4", network: 0x0a000000n, length: 8 });
    expect(parsePrefix("10.1.2.3/255.255.0.0")?.length).toBe(16);
    expect(parsePrefix("2001:db8::1/32")?.length).toBe(32);
    expect(parsePrefix("10.0.0.0/33")).toBeNull();
    expect(parsePrefix("ntp.example.com")).toBeNull();
    expect(parsePrefix("10.0.0")).toBeNull();
    expect(parsePrefix("fe80::1%eth0")).toBeNull();
  });

  it("measures contiguous masks and refuses holes", () => {
    expect(contiguousMaskLength("ipv4", parseAddress("255.255.255.0")!.value)).toBe(24);
    expect(contiguousMaskLength("ipv4", parseAddress("255.0.255.0")!.value)).toBeNull();
    expect(contiguousMaskLength("ipv6", parseAddress("ffff:ffff::")!.value)).toBe(32);
  });
});
