/**
 * Every ntp.conf construct: the node it becomes, with exact locations. Lines are the ones ntpd 4.2.8
 * or ntpsec accept (formats.md §1; ntp_parser.y of both daemons).
 */
import { describe, expect, it } from "vitest";
import { accept, at, one, w } from "./ntp-helpers.js";

describe("association commands", () => {
  it("server with flags and valued options", () => {
    expect(one("server 0.pool.ntp.org iburst minpoll 4 maxpoll 10 prefer key 42 version 3")).toEqual({
      kind: "association",
      keyword: "server",
      location: at(1, 1),
      text: "server 0.pool.ntp.org iburst minpoll 4 maxpoll 10 prefer key 42 version 3",
      mode: "server",
      family: null,
      address: w("0.pool.ntp.org", 1, 8),
      options: { iburst: true, minpoll: 4, maxpoll: 10, prefer: true, key: 42, version: 3 },
    });
  });

  it("pool, peer, broadcast and manycastclient with -4/-6", () => {
    const nodes = accept(
      [
        "pool -4 2.debian.pool.ntp.org iburst",
        "peer -6 2001:db8::7 xleave autokey",
        "broadcast 224.0.1.1 ttl 4 key 7",
        "manycastclient 239.1.1.1 maxpoll 12 ttl 7 preempt",
      ].join("\n"),
    );
    expect(nodes.map((n) => n.kind === "association" && [n.mode, n.family, n.address, n.options])).toEqual([
      ["pool", "ipv4", w("2.debian.pool.ntp.org", 1, 9), { iburst: true }],
      ["peer", "ipv6", w("2001:db8::7", 2, 9), { xleave: true, autokey: true }],
      ["broadcast", null, w("224.0.1.1", 3, 11), { ttl: 4, key: 7 }],
      ["manycastclient", null, w("239.1.1.1", 4, 16), { maxpoll: 12, ttl: 7, preempt: true }],
    ]);
  });

  it("every option of both daemons, a repeated option keeping the last value", () => {
    const n = one(
      "server 127.127.20.0 burst noselect true xmtnonce mode 17 ttl 2 ident grp subtype 3 baud 9600 holdover 1 " +
        "stratum 2 bias -0.5 time1 .0021 time2 1e-3 flag1 1 flag2 0 flag3 true refid GPS path /dev/gps0 ppspath /dev/pps0 key 0x10 key 5",
    );
    expect(n.kind === "association" && n.options).toEqual({
      burst: true,
      noselect: true,
      true: true,
      xmtnonce: true,
      mode: 17,
      ttl: 2,
      ident: "grp",
      subtype: 3,
      baud: 9600,
      holdover: 1,
      stratum: 2,
      bias: -0.5,
      time1: 0.0021,
      time2: 0.001,
      flag1: 1,
      flag2: 0,
      flag3: 1,
      refid: "GPS",
      path: "/dev/gps0",
      ppspath: "/dev/pps0",
      key: 5,
    });
  });

  it("unsigned and hex option values (ntpd's T_U_int)", () => {
    const n = one("server a.example key 0xff version 4294967295");
    expect(n.kind === "association" && n.options).toEqual({ key: 255, version: 4294967295 });
  });

  it("ntpsec NTS client options", () => {
    const n = one("server time.cloudflare.com nts noval ca /etc/ssl/ca.pem aead AES_SIV_CMAC_256 cert /etc/c.pem iburst");
    expect(n.kind === "association" && n.options).toEqual({
      nts: true,
      noval: true,
      ca: "/etc/ssl/ca.pem",
      aead: "AES_SIV_CMAC_256",
      cert: "/etc/c.pem",
      iburst: true,
    });
  });

  it("the address is a string whatever it looks like (follow-by-string), but -4/-6 stay flags", () => {
    const nodes = accept("server limited\npeer 10 iburst\nserver -6 default\nserver \"quoted.example\" prefer\npool server");
    expect(nodes.map((n) => n.kind === "association" && [n.family, n.address.text])).toEqual([
      [null, "limited"],
      [null, "10"],
      ["ipv6", "default"],
      [null, "quoted.example"],
      [null, "server"],
    ]);
  });

  it("the quoted address keeps the quote's column", () => {
    const n = one('server "a b"   iburst');
    expect(n.kind === "association" && n.address).toEqual(w("a b", 1, 8));
  });
});

describe("refclock (ntpsec)", () => {
  it("driver, unit and options", () => {
    expect(one("refclock nmea unit 0 prefer path /dev/gps0 baud 9600 ppspath /dev/pps0 refid GPS time1 0.1 minpoll 4")).toEqual({
      kind: "refclock",
      keyword: "refclock",
      location: at(1, 1),
      text: "refclock nmea unit 0 prefer path /dev/gps0 baud 9600 ppspath /dev/pps0 refid GPS time1 0.1 minpoll 4",
      driver: w("nmea", 1, 10),
      options: { unit: 0, prefer: true, path: "/dev/gps0", baud: 9600, ppspath: "/dev/pps0", refid: "GPS", time1: 0.1, minpoll: 4 },
    });
  });

  it("without a unit", () => {
    const n = one("refclock shm");
    expect(n.kind === "refclock" && [n.driver, n.options]).toEqual([w("shm", 1, 10), {}]);
  });
});

describe("restrict", () => {
  it("default with flags, keywords used as flags (restrict default limited version kod)", () => {
    expect(one("restrict default limited version kod")).toEqual({
      kind: "restrict",
      keyword: "restrict",
      location: at(1, 1),
      text: "restrict default limited version kod",
      command: "restrict",
      family: null,
      target: "default",
      address: null,
      mask: null,
      prefixLength: null,
      flags: [w("limited", 1, 18), w("version", 1, 26), w("kod", 1, 34)],
      ippeerlimit: null,
    });
  });

  it("-4/-6 default, source, ippeerlimit", () => {
    const nodes = accept(
      "restrict -4 default kod notrap nomodify nopeer noquery limited\nrestrict -6 default ippeerlimit 0 noepeer\nrestrict source ippeerlimit -1 notrap nomodify noquery",
    );
    expect(nodes.map((n) => n.kind === "restrict" && [n.family, n.target, n.ippeerlimit, n.flags.map((f) => f.text)])).toEqual([
      ["ipv4", "default", null, ["kod", "notrap", "nomodify", "nopeer", "noquery", "limited"]],
      ["ipv6", "default", 0, ["noepeer"]],
      [null, "source", -1, ["notrap", "nomodify", "noquery"]],
    ]);
  });

  it("address with mask, host name, IPv6, no flags", () => {
    const nodes = accept("restrict 192.168.1.0 mask 255.255.255.0 nomodify notrap\nrestrict -6 ::1\nrestrict ntp.example.com noquery\nrestrict 127.0.0.1");
    expect(nodes.map((n) => n.kind === "restrict" && [n.family, n.target, n.address, n.mask, n.flags.length])).toEqual([
      [null, "address", w("192.168.1.0", 1, 10), w("255.255.255.0", 1, 27), 2],
      ["ipv6", "address", w("::1", 2, 13), null, 0],
      [null, "address", w("ntp.example.com", 3, 10), null, 1],
      [null, "address", w("127.0.0.1", 4, 10), null, 0],
    ]);
  });

  it("ntpsec ADDR/LEN is split into address and prefix length", () => {
    const n = one("restrict 2001:db8::/32 noquery");
    expect(n.kind === "restrict" && [n.address, n.prefixLength]).toEqual([w("2001:db8::", 1, 10), 32]);
  });

  it("every flag of both daemons; serverresponse fuzz is one flag", () => {
    const flags =
      "epeer flake ignore kod limited lowpriotrap mssntp noepeer nomodify nomrulist nopeer noquery noserve notrap notrust ntpport version";
    const n = one(`restrict default ${flags} serverresponse fuzz`);
    expect(n.kind === "restrict" && n.flags.map((f) => f.text)).toEqual([...flags.split(" "), "serverresponse fuzz"]);
    expect(n.kind === "restrict" && n.flags.at(-1)).toEqual(w("serverresponse fuzz", 1, "restrict default ".length + flags.length + 2));
  });

  it("unrestrict (ntpsec) and delrestrict (ntpd)", () => {
    const nodes = accept("unrestrict default noquery limited\ndelrestrict 10.0.0.0 mask 255.0.0.0\ndelrestrict source 192.0.2.1");
    expect(nodes.map((n) => n.kind === "restrict" && [n.command, n.target, n.address?.text ?? null, n.mask?.text ?? null, n.flags])).toEqual([
      ["unrestrict", "default", null, null, [w("noquery", 1, 20), w("limited", 1, 28)]],
      ["delrestrict", "address", "10.0.0.0", "255.0.0.0", []],
      ["delrestrict", "source", "192.0.2.1", null, []],
    ]);
  });
});

describe("system flags, keys, includes", () => {
  it("enable/disable with every flag", () => {
    const nodes = accept(
      "enable auth bclient calibrate kernel monitor ntp stats mode7\ndisable peer_clear_digest_early unpeer_crypto_early unpeer_crypto_nak_early unpeer_digest_early",
    );
    expect(nodes[0]).toEqual({
      kind: "enable",
      keyword: "enable",
      location: at(1, 1),
      text: "enable auth bclient calibrate kernel monitor ntp stats mode7",
      flags: ["auth", "bclient", "calibrate", "kernel", "monitor", "ntp", "stats", "mode7"].map((f, i, all) =>
        w(f, 1, 8 + all.slice(0, i).reduce((s, x) => s + x.length + 1, 0)),
      ),
    });
    expect(nodes[1]!.kind === "disable" && nodes[1]!.flags.map((f) => f.text)).toHaveLength(4);
  });

  it("includefile keeps the path as written", () => {
    expect(one("includefile /etc/ntp/crypto/pw")).toEqual({
      kind: "includefile",
      keyword: "includefile",
      location: at(1, 1),
      text: "includefile /etc/ntp/crypto/pw",
      path: w("/etc/ntp/crypto/pw", 1, 13),
    });
  });

  it("trustedkey with ranges", () => {
    expect(one("trustedkey 1 2 (4 ... 8) 15")).toEqual({
      kind: "trustedkey",
      keyword: "trustedkey",
      location: at(1, 1),
      text: "trustedkey 1 2 (4 ... 8) 15",
      ranges: [
        [1, 1],
        [2, 2],
        [4, 8],
        [15, 15],
      ],
    });
    const n = one("trustedkey (1...5)".replace("...", " ... "));
    expect(n.kind === "trustedkey" && n.ranges).toEqual([[1, 5]]);
  });

  it("tos with every option", () => {
    const n = one(
      "tos minclock 3 maxclock 6 minsane 1 floor 1 ceiling 15 cohort 1 orphan 10 orphanwait 300 mindist 0.5 maxdist 1.5 beacon 3600 bcpollbstep 4 maxdisp 16 basedate 2018-01-01",
    );
    expect(n).toMatchObject({ kind: "tos", keyword: "tos", location: at(1, 1) });
    expect(n.kind === "tos" && n.options).toEqual({
      minclock: 3,
      maxclock: 6,
      minsane: 1,
      floor: 1,
      ceiling: 15,
      cohort: 1,
      orphan: 10,
      orphanwait: 300,
      mindist: 0.5,
      maxdist: 1.5,
      beacon: 3600,
      bcpollbstep: 4,
      maxdisp: 16,
      basedate: "2018-01-01",
    });
  });

  it("interface/nic with classes, names and addresses", () => {
    const nodes = accept("interface ignore wildcard\ninterface listen 127.0.0.1\nnic drop ipv6\ninterface listen eth0\ninterface listen 10.0.0.0/8");
    expect(nodes.map((n) => n.kind === "interface" && [n.keyword, n.action, n.match])).toEqual([
      ["interface", "ignore", w("wildcard", 1, 18)],
      ["interface", "listen", w("127.0.0.1", 2, 18)],
      ["nic", "drop", w("ipv6", 3, 10)],
      ["interface", "listen", w("eth0", 4, 18)],
      ["interface", "listen", w("10.0.0.0/8", 5, 18)],
    ]);
  });

  it("end", () => {
    expect(one("end")).toEqual({ kind: "end", keyword: "end", location: at(1, 1), text: "end" });
  });
});

describe("other commands become directives with their words", () => {
  const cases: Array<[string, string[]]> = [
    ["driftfile /var/lib/ntp/drift", ["/var/lib/ntp/drift"]],
    ["driftfile /var/lib/ntp/drift 1e-7", ["/var/lib/ntp/drift", "1e-7"]],
    ["driftfile", []],
    ["driftfile server", ["server"]],
    ["leapfile /usr/share/zoneinfo/leap-seconds.list checkhash", ["/usr/share/zoneinfo/leap-seconds.list", "checkhash"]],
    ["leapfile /x ignorehash", ["/x", "ignorehash"]],
    ["logfile /var/log/ntp.log", ["/var/log/ntp.log"]],
    ["pidfile /run/ntpd.pid", ["/run/ntpd.pid"]],
    ["saveconfigdir /var/lib/ntp/save", ["/var/lib/ntp/save"]],
    ["statsdir /var/log/ntpstats/", ["/var/log/ntpstats/"]],
    ["keys /etc/ntp.keys", ["/etc/ntp.keys"]],
    ["keysdir /etc/ntp", ["/etc/ntp"]],
    ["ntpsigndsocket /var/lib/samba/ntp_signd/", ["/var/lib/samba/ntp_signd/"]],
    ["ident mygroup", ["mygroup"]],
    ["requestkey 14", ["14"]],
    ["controlkey 15", ["15"]],
    ["revoke 17", ["17"]],
    ["automax 12", ["12"]],
    ["dscp 46", ["46"]],
    ["leapsmearinterval 86400", ["86400"]],
    ["mdnstries 5", ["5"]],
    ["broadcastdelay 0.008", ["0.008"]],
    ["nonvolatile 1e-7", ["1e-7"]],
    ["tick 0.01", ["0.01"]],
    ["broadcastclient", []],
    ["manycastserver 239.255.254.254 -6 ff05::101", ["239.255.254.254", "-6", "ff05::101"]],
    ["multicastclient 224.0.1.1", ["224.0.1.1"]],
    ["logconfig =syncall +clockall -peerevents", ["=syncall", "+clockall", "-peerevents"]],
    ["phone ATDT13034944774 ATDT13034944775", ["ATDT13034944774", "ATDT13034944775"]],
    ["crypto", []],
    ["crypto randfile /dev/urandom host h ident i pw secret digest MD5 revoke 3", ["randfile", "/dev/urandom", "host", "h", "ident", "i", "pw", "secret", "digest", "MD5", "revoke", "3"]],
    ["statistics loopstats peerstats clockstats rawstats sysstats cryptostats timingstats protostats usestats ntsstats ntskestats", ["loopstats", "peerstats", "clockstats", "rawstats", "sysstats", "cryptostats", "timingstats", "protostats", "usestats", "ntsstats", "ntskestats"]],
    ["filegen loopstats file loopstats type day enable", ["loopstats", "file", "loopstats", "type", "day", "enable"]],
    ["filegen peerstats type none nolink disable link", ["peerstats", "type", "none", "nolink", "disable", "link"]],
    ["filegen clockstats", ["clockstats"]],
    ["discard average 3 minimum 2 monitor 3000", ["average", "3", "minimum", "2", "monitor", "3000"]],
    ["mru maxdepth 1000 maxmem 1024 mindepth 600 maxage 3600 minage 64 initalloc 4 initmem 4 incalloc 4 incmem 4", ["maxdepth", "1000", "maxmem", "1024", "mindepth", "600", "maxage", "3600", "minage", "64", "initalloc", "4", "initmem", "4", "incalloc", "4", "incmem", "4"]],
    ["rlimit memlock 32 stacksize 50 filenum 100", ["memlock", "32", "stacksize", "50", "filenum", "100"]],
    ["tinker panic 0 step 0.128 stepback 0 stepfwd 0 stepout 900 allan 1500 dispersion 15 freq 0 huffpuff 7200 tick 0.01", ["panic", "0", "step", "0.128", "stepback", "0", "stepfwd", "0", "stepout", "900", "allan", "1500", "dispersion", "15", "freq", "0", "huffpuff", "7200", "tick", "0.01"]],
    ["reset allpeers auth ctl io mem sys timer", ["allpeers", "auth", "ctl", "io", "mem", "sys", "timer"]],
    ["fudge 127.127.1.0 stratum 10", ["127.127.1.0", "stratum", "10"]],
    ["fudge 127.127.4.0 refid GPS1 time1 -.000097 flag1 1 time2 0 minjitter 0.001 abbrev GPS flag4 true", ["127.127.4.0", "refid", "GPS1", "time1", "-.000097", "flag1", "1", "time2", "0", "minjitter", "0.001", "abbrev", "GPS", "flag4", "true"]],
    ["device 127.127.20.0 timedata /dev/gps0 ppsdata /dev/pps0", ["127.127.20.0", "timedata", "/dev/gps0", "ppsdata", "/dev/pps0"]],
    ['setvar Owner = "The Boss" default', ["Owner", "=", "The Boss", "default"]],
    ["setvar x =y", ["x", "=", "y"]],
    ["trap 192.0.2.5 port 1234 interface 192.0.2.1", ["192.0.2.5", "port", "1234", "interface", "192.0.2.1"]],
    ["ttl 1 32 64", ["1", "32", "64"]],
    ["pollskewlist", []],
    ["pollskewlist 6 1|2 default 3|4", ["6", "1", "|", "2", "default", "3", "|", "4"]],
    ["unpeer 192.0.2.1", ["192.0.2.1"]],
    ["unconfig -4 ntp.example", ["-4", "ntp.example"]],
    ["nts enable key /etc/ntp/key.pem cert /etc/ntp/cert.pem", ["enable", "key", "/etc/ntp/key.pem", "cert", "/etc/ntp/cert.pem"]],
    ["nts ca /etc/ssl/certs cookie /var/lib/ntp/nts-keys mintls TLS1.2 maxtls TLS1.3", ["ca", "/etc/ssl/certs", "cookie", "/var/lib/ntp/nts-keys", "mintls", "TLS1.2", "maxtls", "TLS1.3"]],
    ["nts tlsciphers HIGH:!aNULL tlsciphersuites TLS_AES_256_GCM_SHA384 aead AES_SIV_CMAC_256 disable", ["tlsciphers", "HIGH:!aNULL", "tlsciphersuites", "TLS_AES_256_GCM_SHA384", "aead", "AES_SIV_CMAC_256", "disable"]],
  ];
  it.each(cases)("%s", (line, args) => {
    const n = one(line);
    expect(n.kind).toBe("directive");
    expect(n.keyword).toBe(line.split(" ")[0]);
    expect(n.location).toEqual(at(1, 1));
    expect(n.kind === "directive" && n.args.map((a) => a.text)).toEqual(args);
  });

  it("directive words carry their locations", () => {
    expect(one("fudge  127.127.1.0\tstratum 10")).toEqual({
      kind: "directive",
      keyword: "fudge",
      location: at(1, 1),
      text: "fudge  127.127.1.0\tstratum 10",
      args: [w("127.127.1.0", 1, 8), w("stratum", 1, 20), w("10", 1, 28)],
    });
  });
});
