/** Content digests: the policy digest in reports, the build manifest, the custom-policy cache key. */
import { createHash } from "node:crypto";

/** sha256 of bytes or text, in hex. */
export function sha256(data: Uint8Array | string): string {
  return createHash("sha256").update(data).digest("hex");
}
