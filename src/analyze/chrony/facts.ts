/**
 * What a chrony configuration means, as daemon-neutral facts plus chrony's own details. Defaults are
 * chronyd 4.3's (conf.c CNF_Initialise), not ntpd's:
 * - chronyd serves time to nobody until an `allow` says so (both access tables start as "deny"); a
 *   family's NTP server socket is opened only when some address of that family is allowed, on `port`
 *   (default 123; `port 0`: pure client) and on `bindaddress` (default: every address).
 * - chronyc commands: the command sockets listen on `cmdport` (default 323; `cmdport 0`: no IP command
 *   socket) at `bindcmdaddress` (default 127.0.0.1 and ::1), and answer 127.0.0.1 and ::1 always and other
 *   sources only when `cmdallow` allows them. Remote sources get the monitoring commands only (chronyc
 *   tracking, sources…); changes need the local Unix socket.
 * - `-4`/`-6` in the daemon's options leave the other family closed.
 * Address sets are exact (access-table.ts follows addrfilt.c); a socket bound to a loopback address can
 * only be reached from the host itself, so its set is cut down to the loopback range.
 */
import { AddressSet, LOOPBACK, parseAddress } from "../address-set.js";
import type { AddressSetJson, ChronyDaemonOptions, ChronyFacts, ChronyNode, ChronySourceFact } from "../../model/chrony.js";

export type { AddressSetJson, ChronyFacts, ChronyListen, ChronySourceFact } from "../../model/chrony.js";
import type { SourceLocation } from "../../model/location.js";
import type { AddressFamily } from "../../model/ntpconf.js";
import { ChronyAccessTable } from "./access-table.js";

const FAMILIES: AddressFamily[] = ["ipv4", "ipv6"];
/** chronyd's compiled-in defaults (4.3). */
export const CHRONY_DEFAULTS = {
  ntpPort: 123,
  commandPort: 323,
  ntsPort: 4460,
  minpoll: 6,
  maxpoll: 10,
  /** chrony accepts polling intervals up to 2^24 s. */
  maxpollLimit: 24,
  commandSocket: "/var/run/chrony/chronyd.sock",
} as const;

/** The exact sets behind the facts, for callers that compute with them (the firewall cross-check, the lab). */
export interface ChronyExposure {
  servesTimeTo: Record<AddressFamily, AddressSet>;
  mayCommand: Record<AddressFamily, AddressSet>;
  ntpTable: ChronyAccessTable;
  commandTable: ChronyAccessTable;
}

export function chronyExposure(nodes: readonly ChronyNode[], options: ChronyDaemonOptions | null = null): ChronyExposure {
  const ntpTable = new ChronyAccessTable();
  const commandTable = new ChronyAccessTable();
  for (const node of nodes) {
    if (node.kind !== "access" || node.subnet.family === "hostname") continue; // a name is resolved at start-up
    const table = node.directive === "allow" || node.directive === "deny" ? ntpTable : commandTable;
    table.apply({
      allow: node.directive === "allow" || node.directive === "cmdallow",
      all: node.all,
      family: node.subnet.family,
      address: node.subnet.address,
      bits: node.subnet.bits,
    });
  }
  const ntp = listen(nodes, options, "ntp");
  const cmd = listen(nodes, options, "cmd");
  const servesTimeTo = {} as Record<AddressFamily, AddressSet>;
  const mayCommand = {} as Record<AddressFamily, AddressSet>;
  for (const family of FAMILIES) {
    const allowed = ntpTable.allowed(family);
    const bound = ntp[family];
    servesTimeTo[family] = bound === null || allowed.isEmpty() ? AddressSet.empty(family) : reachable(allowed, bound, family);
    const localhost = AddressSet.of(family, [family === "ipv4" ? "127.0.0.1" : "::1"]);
    const cbound = cmd[family];
    mayCommand[family] = cbound === null ? AddressSet.empty(family) : reachable(commandTable.allowed(family).union(localhost), cbound, family);
  }
  return { servesTimeTo, mayCommand, ntpTable, commandTable };
}

/** Sources that can reach a socket bound to `bound`: from the host only when it is a loopback address. */
function reachable(allowed: AddressSet, bound: string, family: AddressFamily): AddressSet {
  const parsed = parseAddress(bound);
  if (parsed && LOOPBACK[family].contains(AddressSet.of(family, [bound]))) return allowed.intersect(LOOPBACK[family]);
  return allowed;
}

type Listen = { port: number; ipv4: string | null; ipv6: string | null };

/** Port and bound address per family of the NTP or the IP command sockets (null: not opened). */
function listen(nodes: readonly ChronyNode[], options: ChronyDaemonOptions | null, which: "ntp" | "cmd"): Listen {
  let port: number = which === "ntp" ? CHRONY_DEFAULTS.ntpPort : CHRONY_DEFAULTS.commandPort;
  const bound: Record<AddressFamily, string> = which === "ntp" ? { ipv4: "0.0.0.0", ipv6: "::" } : { ipv4: "127.0.0.1", ipv6: "::1" };
  const portDirective = which === "ntp" ? "port" : "cmdport";
  const bindDirective = which === "ntp" ? "bindaddress" : "bindcmdaddress";
  for (const node of nodes) {
    if (node.kind !== "directive") continue;
    if (node.directive === portDirective) port = Number.parseInt(node.args[0]!.text, 10);
    if (node.directive === bindDirective) {
      const text = node.args[0]!.text;
      const parsed = parseAddress(text);
      if (parsed) bound[parsed.family] = text;
    }
  }
  const open = (family: AddressFamily): string | null =>
    port === 0 || (options?.family != null && options.family !== family) ? null : bound[family];
  return { port, ipv4: open("ipv4"), ipv6: open("ipv6") };
}

/** The daemon-neutral and chrony-specific facts of one host's chrony configuration. */
export function chronyFacts(nodes: readonly ChronyNode[], options: ChronyDaemonOptions | null = null): ChronyFacts {
  const exposure = chronyExposure(nodes, options);
  const ntp = listen(nodes, options, "ntp");
  const cmd = listen(nodes, options, "cmd");
  // A family whose table allows nothing has no NTP socket.
  for (const family of FAMILIES) if (!exposure.ntpTable.isAnyAllowed(family)) ntp[family] = null;
  const json = (s: Record<AddressFamily, AddressSet>): AddressSetJson => ({ ipv4: s.ipv4.toCidrs(), ipv6: s.ipv6.toCidrs() });

  const sources: ChronySourceFact[] = [];
  let userDirective: { user: string; location: SourceLocation } | null = null;
  let makestep: ChronyFacts["makestep"] = null;
  let localStratum: ChronyFacts["local_stratum"] = null;
  let commandSocket: string | null = CHRONY_DEFAULTS.commandSocket;
  let ntsPort: number = CHRONY_DEFAULTS.ntsPort;
  let ntsCert = false;
  let ntsKey = false;
  const last: Record<string, string | null> = { driftfile: null, keyfile: null, authselectmode: null };
  let rtcsync = false;
  const accessLines: ChronyFacts["access_lines"] = [];
  const bindcmdLines: ChronyFacts["bindcmdaddress_lines"] = [];

  for (const node of nodes) {
    if (node.kind === "source") {
      const o = node.options;
      const key = typeof o["key"] === "number" ? o["key"] : null;
      sources.push({
        kind: node.directive,
        address: node.address.text,
        auth: o["nts"] === true ? "nts" : key !== null ? "symmetric_key" : "none",
        key_id: key,
        minpoll: typeof o["minpoll"] === "number" ? o["minpoll"] : CHRONY_DEFAULTS.minpoll,
        maxpoll: typeof o["maxpoll"] === "number" ? o["maxpoll"] : CHRONY_DEFAULTS.maxpoll,
        noselect: o["noselect"] === true,
        prefer: o["prefer"] === true,
        iburst: o["iburst"] === true,
        location: node.location,
      });
    } else if (node.kind === "refclock") {
      const o = node.options;
      sources.push({
        kind: "refclock",
        address: `${node.driver.text}:${node.parameter.text}`,
        auth: "local",
        key_id: null,
        minpoll: typeof o["poll"] === "number" ? o["poll"] : 4,
        maxpoll: typeof o["poll"] === "number" ? o["poll"] : 4,
        noselect: o["noselect"] === true,
        prefer: o["prefer"] === true,
        iburst: false,
        location: node.location,
      });
    } else if (node.kind === "access") {
      const s = node.subnet;
      accessLines.push({
        directive: node.directive,
        all: node.all,
        subnet: s.family === "any" ? null : s.family === "hostname" ? s.address : `${s.address}/${s.bits}`,
        hostname: s.family === "hostname",
        location: node.location,
        text: node.text,
      });
    } else {
      const arg = (i: number): string => node.args[i]?.text ?? "";
      switch (node.directive) {
        case "user":
          userDirective = { user: arg(0), location: node.location };
          break;
        case "makestep": {
          const threshold = Number.parseFloat(arg(0));
          const limit = Number.parseInt(arg(1), 10);
          makestep = { threshold, limit, steps_any_time: limit < 0, location: node.location, text: node.text };
          break;
        }
        case "local": {
          const i = node.args.findIndex((a) => a.text.toLowerCase() === "stratum");
          localStratum = {
            stratum: i >= 0 ? Number(arg(i + 1)) : 10,
            orphan: node.args.some((a) => a.text.toLowerCase() === "orphan"),
            location: node.location,
          };
          break;
        }
        case "bindcmdaddress":
          bindcmdLines.push({ location: node.location, text: node.text });
          if (arg(0).startsWith("/")) commandSocket = arg(0) === "/" ? null : arg(0);
          break;
        case "ntsport":
          ntsPort = Number.parseInt(arg(0), 10);
          break;
        case "ntsservercert":
          ntsCert = true;
          break;
        case "ntsserverkey":
          ntsKey = true;
          break;
        case "rtcsync":
          rtcsync = true;
          break;
        case "driftfile":
        case "keyfile":
        case "authselectmode":
          last[node.directive] = arg(0);
          break;
      }
    }
  }

  const fromOptions = options?.user ?? null;
  const runsAs: ChronyFacts["runs_as_user"] = fromOptions
    ? { user: fromOptions, from: "options", location: options?.location ?? null }
    : userDirective
      ? { user: userDirective.user, from: "directive", location: userDirective.location }
      : { user: null, from: "default", location: null };
  const selectable = sources.filter((s) => s.kind !== "refclock" && !s.noselect);

  return {
    daemon: "chrony",
    serves_time_to: json(exposure.servesTimeTo),
    may_query_or_command: json(exposure.mayCommand),
    sources,
    runs_as_user: runsAs,
    ntp_listen: ntp,
    command_listen: cmd,
    command_socket: commandSocket,
    nts_server: { enabled: ntsCert && ntsKey, port: ntsPort },
    makestep,
    bindcmdaddress_lines: bindcmdLines,
    max_maxpoll: selectable.length === 0 ? null : Math.max(...selectable.map((s) => s.maxpoll)),
    local_stratum: localStratum,
    rtcsync,
    driftfile: last["driftfile"] ?? null,
    keyfile: last["keyfile"] ?? null,
    authselectmode: last["authselectmode"] ?? null,
    address_family: options?.family ?? null,
    access_lines: accessLines,
  };
}
