import { describe, expect, it } from "vitest";
import ipaddr from "ipaddr.js";
import { AddressSet, contiguousMaskLength, formatAddress, parseAddress, parsePrefix } from "../../src/analyze/address-set.js";

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

describe("text forms agree with ipaddr.js", () => {
  // A deterministic generator: IPv6 values made of zero and non-zero groups in every arrangement.
  let seed = 12345;
  const next = (n: number): number => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed % n;
  };

  it("prints IPv6 addresses as toRFC5952String does, whatever the runs of zero groups", () => {
    for (let mask = 0; mask < 256; mask++) {
      for (let k = 0; k < 3; k++) {
        const groups = Array.from({ length: 8 }, (_, i) => ((mask >> i) & 1 ? 1 + next(0xffff) : 0));
        const bytes = groups.flatMap((g) => [g >> 8, g & 0xff]);
        const expected = (ipaddr.fromByteArray(bytes) as ipaddr.IPv6).toRFC5952String();
        const value = groups.reduce((v, g) => (v << 16n) | BigInt(g), 0n);
        expect(formatAddress("ipv6", value), expected).toBe(expected);
        expect(parseAddress(expected)).toEqual({ family: "ipv6", value });
      }
    }
  });

  it("reads and prints IPv4 as ipaddr.js does, and refuses what it refuses", () => {
    for (let i = 0; i < 2000; i++) {
      const value = next(2 ** 31) * 2 + next(2);
      const text = ipaddr.fromByteArray([value >>> 24, (value >>> 16) & 255, (value >>> 8) & 255, value & 255]).toString();
      expect(formatAddress("ipv4", BigInt(value))).toBe(text);
      expect(parseAddress(text)).toEqual({ family: "ipv4", value: BigInt(value) });
    }
    for (const text of ["1.2.3", "1.2.3.4.5", "01.2.3.4", "1.2.3.256", "1..2.3", "1.2.3.4 ", "", "0x1.2.3.4", "1.2.3.04", "0.0.0.0", "255.255.255.255", "1.2.3.-4"]) {
      const theirs = ipaddr.IPv4.isValidFourPartDecimal(text);
      expect(parseAddress(text) !== null, text).toBe(theirs);
    }
  });

  it("covers every set with the fewest aligned CIDRs", () => {
    // Reference: grow each block one bit at a time (the definition of the minimal cover).
    const reference = (family: "ipv4" | "ipv6", set: AddressSet): string[] => {
      const width = family === "ipv4" ? 32 : 128;
      const out: string[] = [];
      for (const [first, last] of set.intervalList) {
        const hi = BigInt(last);
        let start = BigInt(first);
        while (start <= hi) {
          let size = 0;
          while (size < width && (start & ((1n << BigInt(size + 1)) - 1n)) === 0n && start + (1n << BigInt(size + 1)) - 1n <= hi) size++;
          out.push(`${formatAddress(family, start)}/${width - size}`);
          start += 1n << BigInt(size);
        }
      }
      return out;
    };
    for (const family of ["ipv4", "ipv6"] as const) {
      const width = family === "ipv4" ? 32 : 128;
      for (let k = 0; k < 200; k++) {
        const bounds: bigint[] = [];
        for (let j = 0; j < 6; j++) {
          let v = 0n;
          for (let w = 0; w < width / 16; w++) v = (v << 16n) | BigInt(next(4) === 0 ? 0 : next(0x10000));
          bounds.push(v);
        }
        bounds.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
        let set = AddressSet.empty(family);
        for (let j = 0; j + 1 < bounds.length; j += 2) set = set.union(AddressSet.fromRange(family, bounds[j]!, bounds[j + 1]!));
        expect(set.toCidrs()).toEqual(reference(family, set));
        expect(set.complement().toCidrs()).toEqual(reference(family, set.complement()));
        expect(AddressSet.of(family, set.toCidrs()).equals(set)).toBe(true);
      }
      expect(AddressSet.all(family).toCidrs()).toEqual([family === "ipv4" ? "0.0.0.0/0" : "::/0"]);
    }
  });
});

describe("set algebra on sets of very different sizes", () => {
  it("intersects a few intervals with many exactly as De Morgan's law says, and knows when they overlap or contain", () => {
    let seed = 99;
    const next = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    const many = AddressSet.of("ipv4", Array.from({ length: 5000 }, () => `${next(256)}.${next(256)}.${next(256)}.0/${24 + next(9)}`));
    for (let k = 0; k < 300; k++) {
      const few = AddressSet.of("ipv4", Array.from({ length: 1 + next(3) }, () => `${next(256)}.${next(256)}.0.0/${8 + next(25)}`));
      const expected = few.complement().union(many.complement()).complement();
      expect(few.intersect(many).equals(expected)).toBe(true);
      expect(many.intersect(few).equals(expected)).toBe(true);
      expect(few.overlaps(many)).toBe(!expected.isEmpty());
      expect(many.overlaps(few)).toBe(!expected.isEmpty());
      expect(many.contains(few)).toBe(few.subtract(many).isEmpty());
      expect(many.contains(expected)).toBe(true);
      expect(few.contains(expected)).toBe(true);
    }
  });
});
