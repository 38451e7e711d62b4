/** Small helpers the policy stage shares: content digests and the guard for JSON objects it validates. */
import { createHash } from "node:crypto";

/** sha256 of bytes or text, in hex. */
export function sha256(data: Uint8Array | string): string {
  return createHash("sha256").update(data).digest("hex");
}

/** A JSON object (not null, not an array). */
export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
