/**
 * Too few usable time sources (NTP003) or none remote (NTP015): `server NAME iburst` lines for servers the
 * configuration already authorises by name or address (`authorized_upstreams` entries that are not globs or
 * networks), after the last source line, until `min_upstreams` is reached. Which servers a host should use is the
 * operator's decision: with too few such entries nothing is proposed, and the reason says what to add.
 */
import { insertLines } from "../text-edits.js";
import { needsDecision, type Fixer, type Proposal } from "../fixer.js";

/** A concrete server: a host name or a single address, not a glob (`*.pool.ntp.org`) nor a network. */
function concreteServer(entry: string): string | null {
  if (/[*?[\]]/.test(entry)) return null;
  const m = /^([^/]+)(?:\/(\d+))?$/.exec(entry.trim());
  if (!m) return null;
  const [, address, prefix] = m;
  if (prefix === undefined) return address!;
  return (address!.includes(":") ? prefix === "128" : prefix === "32") ? address! : null;
}

export const upstreamsFixer: Fixer = {
  rules: ["NTP003", "NTP015"],
  propose(_finding, ctx): Proposal {
    const time = ctx.input.time;
    if (!time) return needsDecision("the host's time sources could not be told from the facts");
    const file = time.daemon.config_file;
    const lines = ctx.lines(file);
    if (lines === null) return needsDecision(`${file} could not be read again`);
    const usable = time.sources.filter((s) => s.selectable && s.local_clock !== true).length;
    const needed = Math.max(1, ctx.config.min_upstreams - usable);
    const configured = new Set(time.sources.map((s) => s.address.toLowerCase()));
    const candidates = [...new Set(ctx.config.authorized_upstreams.map(concreteServer).filter((s): s is string => s !== null))].filter(
      (s) => !configured.has(s.toLowerCase()),
    );
    if (candidates.length < needed) {
      return needsDecision(
        `which upstream servers to add is a decision: ${needed} more usable source${needed === 1 ? " is" : "s are"} needed and authorized_upstreams names ${candidates.length} server${candidates.length === 1 ? "" : "s"} not configured yet (globs and networks name no server); list servers there by name or address, or add server lines`,
      );
    }
    const maxpoll = ctx.input.settings.require_maxpoll ? ` maxpoll ${ctx.input.settings.max_poll}` : "";
    const added = candidates.slice(0, needed).map((s) => `server ${s} iburst${maxpoll}`);
    const last = time.sources.filter((s) => s.location.file === file && s.local_clock !== true).at(-1);
    const at = last ? last.location.line + 1 : lines.length + 1;
    return { description: `add ${added.map((l) => `\`${l}\``).join(", ")} to ${file} (from authorized_upstreams)`, edits: [insertLines(file, at, added)] };
  },
};
