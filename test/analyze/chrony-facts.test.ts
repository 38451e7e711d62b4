/**
 * chrony semantics on hand-written configurations with known meaning (addrfilt.c, conf.c defaults); the
 * namespace lab (test/netns/chrony-lab.test.ts) proves the same sets against the real chronyd.
 */
import { describe, expect, it } from "vitest";
import { chronyFacts } from "../../src/analyze/chrony/index.js";
import { parseChronyConf, parseChronyDaemonOptions } from "../../src/parse/chrony/index.js";

const facts = (text: string, options = "") =>
  chronyFacts(parseChronyConf(text, "etc/chrony/chrony.conf").nodes, options ? parseChronyDaemonOptions(options, "etc/sysconfig/chronyd") : null);

describe("chrony facts", () => {
  it("serves nobody and answers commands from localhost only by default", () => {
    const f = facts("pool 2.pool.ntp.org iburst\n");
    expect(f.serves_time_to).toEqual({ ipv4: [], ipv6: [] });
    expect(f.may_query_or_command).toEqual({ ipv4: ["127.0.0.1/32"], ipv6: ["::1/128"] });
    expect(f.ntp_listen).toEqual({ port: 123, ipv4: null, ipv6: null });
    expect(f.command_listen).toEqual({ port: 323, ipv4: "127.0.0.1", ipv6: "::1" });
  });

  it("evaluates allow/deny as addrfilt.c: more specific wins, later wins on the same nodes, `all` prunes", () => {
    expect(facts("allow 10/8\ndeny 10.1/16\n").serves_time_to.ipv4).toEqual(["10.0.0.0/16", "10.2.0.0/15", "10.4.0.0/14", "10.8.0.0/13", "10.16.0.0/12", "10.32.0.0/11", "10.64.0.0/10", "10.128.0.0/9"]);
    // The /16 deny was written first, and still wins over the later, shorter allow.
    expect(facts("deny 10.1/16\nallow 10/8\n").serves_time_to.ipv4).toContain("10.0.0.0/16");
    expect(facts("deny 10.1/16\nallow 10/8\n").serves_time_to.ipv4).not.toContain("10.1.0.0/16");
    // `allow all` removes the more specific deny made before it.
    expect(facts("deny 10.1/16\nallow all 10/8\n").serves_time_to.ipv4).toEqual(["10.0.0.0/8"]);
    // Non-multiple-of-4 lengths are expanded to /12 nodes: a later /9 overrides an earlier /10 on them.
    expect(facts("allow 10.0.0.0/10\ndeny 10.0.0.0/9\n").serves_time_to.ipv4).toEqual([]);
    expect(facts("allow\n").serves_time_to).toEqual({ ipv4: ["0.0.0.0/0"], ipv6: ["::/0"] });
    expect(facts("allow\ndeny all\n").serves_time_to).toEqual({ ipv4: [], ipv6: [] });
    expect(facts("allow ::/0\n").serves_time_to).toEqual({ ipv4: [], ipv6: ["::/0"] });
    // A host name is resolved only when chronyd starts: not in the sets, and said so.
    const named = facts("allow ntp-clients.example.net\n");
    expect(named.serves_time_to).toEqual({ ipv4: [], ipv6: [] });
    expect(named.access_lines).toEqual([{ directive: "allow", all: false, subnet: "ntp-clients.example.net", hostname: true, location: { file: "etc/chrony/chrony.conf", line: 1, column: 1 }, text: "allow ntp-clients.example.net" }]);
  });

  it("port 0, bindaddress, -4/-6 and cmdport 0 close or narrow the sockets", () => {
    expect(facts("allow\nport 0\n").serves_time_to).toEqual({ ipv4: [], ipv6: [] });
    expect(facts("allow\nbindaddress 127.0.0.1\n").serves_time_to).toEqual({ ipv4: ["127.0.0.0/8"], ipv6: ["::/0"] });
    expect(facts("allow\n", 'OPTIONS="-4"\n').serves_time_to).toEqual({ ipv4: ["0.0.0.0/0"], ipv6: [] });
    expect(facts("cmdallow\n").may_query_or_command).toEqual({ ipv4: ["127.0.0.0/8"], ipv6: ["::1/128"] });
    expect(facts("cmdallow 192.0.2.0/24\nbindcmdaddress 0.0.0.0\n").may_query_or_command.ipv4).toEqual(["127.0.0.1/32", "192.0.2.0/24"]);
    expect(facts("cmdallow\nbindcmdaddress 0.0.0.0\ncmdport 0\n").may_query_or_command).toEqual({ ipv4: [], ipv6: [] });
  });

  it("describes sources, user, makestep and maxpoll", () => {
    const f = facts("server a iburst nts maxpoll 12\npeer b key 3\npool c noselect maxpoll 17\nrefclock PHC /dev/ptp0 poll 2\nuser chrony\nmakestep 1 -1\n", 'OPTIONS="-u _chrony"\n');
    expect(f.sources.map((s) => [s.kind, s.address, s.auth, s.maxpoll])).toEqual([
      ["server", "a", "nts", 12], ["peer", "b", "symmetric_key", 10], ["pool", "c", "none", 17], ["refclock", "PHC:/dev/ptp0", "local", 2],
    ]);
    expect(f.max_maxpoll).toBe(12);
    expect(f.runs_as_user).toMatchObject({ user: "_chrony", from: "options" });
    expect(facts("user chrony\n").runs_as_user).toMatchObject({ user: "chrony", from: "directive", location: { line: 1 } });
    expect(f.makestep).toMatchObject({ threshold: 1, limit: -1, steps_any_time: true });
  });
});
