/** Protocol names and numbers of `-p`, as /etc/protocols spells them (with iptables' own aliases). */

const PROTOCOLS: Record<string, number> = {
  all: 0, icmp: 1, igmp: 2, ipip: 4, ipencap: 4, tcp: 6, egp: 8, udp: 17, ipv6: 41, rsvp: 46, gre: 47,
  esp: 50, ah: 51, "ipv6-icmp": 58, ospf: 89, pim: 103, vrrp: 112, l2tp: 115, sctp: 132, dccp: 33,
  mh: 135, "ipv6-mh": 135, udplite: 136, mpls: 137,
};
const ALIASES: Record<string, string> = { icmpv6: "ipv6-icmp", icmp6: "ipv6-icmp", ipencap: "ipip" };
const BY_NUMBER = new Map<number, string>();
for (const [name, n] of Object.entries(PROTOCOLS)) if (!BY_NUMBER.has(n) && !ALIASES[name]) BY_NUMBER.set(n, name);

export function normaliseProtocol(text: string): { value: string; number: number | null; error?: string } {
  const lower = text.toLowerCase();
  if (/^\d+$/.test(lower)) {
    const n = Number(lower);
    if (n > 255) return { value: lower, number: null, error: `unknown protocol ${JSON.stringify(text)}` };
    return { value: BY_NUMBER.get(n) ?? String(n), number: n };
  }
  const name = ALIASES[lower] ?? lower;
  const n = PROTOCOLS[name];
  return { value: name, number: n ?? null };
}
