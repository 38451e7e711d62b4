/** Building ntp.conf syntax nodes by hand for analysis tests (the parser has its own tests). */
import type { AssociationNode, RestrictNode, Word } from "../../src/model/ntpconf.js";

let nextLine = 1;

function word(text: string, line: number, column = 1): Word {
  return { text, location: { file: "ntp.conf", line, column } };
}

/** `restrict …` written the way the grammar would return it. */
export function restrictLine(text: string): RestrictNode {
  const line = nextLine++;
  const parts = text.trim().split(/\s+/);
  const command = parts.shift() as RestrictNode["command"];
  let family: RestrictNode["family"] = null;
  if (parts[0] === "-4" || parts[0] === "-6") family = parts.shift() === "-4" ? "ipv4" : "ipv6";
  const targetText = parts.shift() ?? "default";
  let mask: Word | null = null;
  if (parts[0] === "mask") {
    parts.shift();
    mask = word(parts.shift()!, line);
  }
  let address: Word | null = null;
  let prefixLength: number | null = null;
  const target = targetText === "default" ? "default" : targetText === "source" ? "source" : "address";
  if (target === "address") {
    const [addr, len] = targetText.split("/");
    address = word(addr!, line);
    prefixLength = len === undefined ? null : Number(len);
  }
  return {
    kind: "restrict",
    keyword: command,
    location: { file: "ntp.conf", line, column: 1 },
    text,
    command,
    family,
    target,
    address,
    mask,
    prefixLength,
    flags: parts.map((f) => word(f, line)),
    ippeerlimit: null,
  };
}

export function serverLine(text: string): AssociationNode {
  const line = nextLine++;
  const parts = text.trim().split(/\s+/);
  const mode = parts.shift() as AssociationNode["mode"];
  let family: AssociationNode["family"] = null;
  if (parts[0] === "-4" || parts[0] === "-6") family = parts.shift() === "-4" ? "ipv4" : "ipv6";
  const address = word(parts.shift()!, line);
  const options: AssociationNode["options"] = {};
  while (parts.length > 0) {
    const name = parts.shift()!;
    if (["key", "minpoll", "maxpoll", "version", "ttl", "mode"].includes(name)) options[name] = Number(parts.shift());
    else options[name] = true;
  }
  return { kind: "association", keyword: mode, location: { file: "ntp.conf", line, column: 1 }, text, mode, family, address, options };
}
