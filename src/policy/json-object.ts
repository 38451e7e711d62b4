/** The guard for the JSON objects the policy stage validates (OPA output, catalogues, bundles). */

/** A JSON object (not null, not an array). */
export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
