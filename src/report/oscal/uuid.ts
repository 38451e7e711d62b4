/**
 * Name-based (version 5, RFC 4122 §4.3) UUIDs for the OSCAL document. OSCAL wants a UUID on nearly every object;
 * deriving them from names instead of drawing random ones keeps the output byte-for-byte deterministic and gives
 * the same subject (a host, a rule, a control) the same UUID in every run, as OSCAL asks ("assigned per-subject").
 */
import { createHash } from "node:crypto";

/** The namespace of every ntp-policy OSCAL UUID (a fixed random UUID; never change it, or every UUID changes). */
export const OSCAL_NAMESPACE = "5f0c8e6a-3b1d-4c7e-9a52-1d6e0b7f4c38";

export function uuidV5(name: string, namespace: string = OSCAL_NAMESPACE): string {
  const ns = Buffer.from(namespace.replace(/-/g, ""), "hex");
  const hash = createHash("sha1").update(ns).update(name, "utf8").digest();
  const b = hash.subarray(0, 16);
  b[6] = (b[6]! & 0x0f) | 0x50;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const hex = b.toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
