/**
 * Custom policy bundles: the tar.gz `opa build -t wasm` writes (or a bare policy.wasm), and the rule catalogue
 * ntp-policy puts inside it (data.ntp_policy_custom.catalog = {rules: [...]}).
 */
import { readFileSync, statSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { parseCatalog, type CatalogRule } from "../catalog.js";
import { toError } from "../engine.js";
import { isRecord } from "../json-object.js";
import { readTar, TarError } from "../tar.js";
import { CustomPolicyError } from "./error.js";

/** Where the rule metadata travels inside a bundle: data.ntp_policy_custom.catalog = {rules: [...]}. */
export const CATALOG_DATA_PATH = ["ntp_policy_custom", "catalog"] as const;

export const MAX_BUNDLE_BYTES = 256 * 1024 * 1024;

export function readBundleFile(file: string): Buffer {
  const stat = statSync(file, { throwIfNoEntry: false });
  if (!stat?.isFile()) throw new CustomPolicyError(`--bundle ${file}: no such file`);
  if (stat.size > MAX_BUNDLE_BYTES) throw new CustomPolicyError(`--bundle ${file}: larger than 256 MiB`);
  return readFileSync(file);
}

/** What a bundle holds for us: policy.wasm and, when ntp-policy built it, the rule catalogue. */
export interface BundleContents {
  wasm: Buffer;
  /** data.json (absent for a bare .wasm). */
  data: Record<string, unknown> | null;
}

/** Read a bundle: an `opa build` tar.gz (policy.wasm, data.json) or a bare WebAssembly module. */
export function readBundle(bytes: Buffer, origin: string): BundleContents {
  if (bytes.subarray(0, 4).equals(Buffer.from([0x00, 0x61, 0x73, 0x6d]))) return { wasm: bytes, data: null };
  if (bytes[0] !== 0x1f || bytes[1] !== 0x8b) throw new CustomPolicyError(`${origin}: neither a bundle (tar.gz from opa build -t wasm) nor a .wasm module`);
  let tar: Buffer;
  try {
    tar = gunzipSync(bytes, { maxOutputLength: MAX_BUNDLE_BYTES });
  } catch (e) {
    throw new CustomPolicyError(`${origin}: cannot decompress the bundle: ${toError(e).message}`);
  }
  let files: Map<string, Buffer>;
  try {
    files = readTar(tar, origin);
  } catch (e) {
    throw e instanceof TarError ? new CustomPolicyError(e.message) : e;
  }
  const wasm = files.get("policy.wasm");
  if (!wasm) throw new CustomPolicyError(`${origin}: the bundle has no /policy.wasm (build it with opa build -t wasm)`);
  let data: Record<string, unknown> | null = null;
  const dataJson = files.get("data.json");
  if (dataJson) {
    try {
      const parsed: unknown = JSON.parse(dataJson.toString("utf8"));
      data = isRecord(parsed) ? parsed : null;
    } catch (e) {
      throw new CustomPolicyError(`${origin}: the bundle's data.json is not JSON: ${toError(e).message}`);
    }
  }
  return { wasm, data };
}

/** The rule catalogue a bundle carries (data.ntp_policy_custom.catalog.rules), [] when it has none. */
export function bundleCatalog(contents: BundleContents, origin: string, builtinIds: ReadonlySet<string>, sourceOf: (s: string) => string): CatalogRule[] {
  const data = contents.data ?? {};
  for (const key of Object.keys(data)) {
    if (key !== CATALOG_DATA_PATH[0]) {
      throw new CustomPolicyError(`${origin}: the bundle carries data (data.${key}); ntp-policy loads only Rego, so write such values as Rego constants`);
    }
  }
  const ours = data[CATALOG_DATA_PATH[0]];
  const catalog = isRecord(ours) ? ours[CATALOG_DATA_PATH[1]] : undefined;
  if (catalog === undefined) return [];
  let rules: CatalogRule[];
  try {
    rules = parseCatalog(catalog, `${origin}: rule catalogue`);
  } catch (e) {
    throw new CustomPolicyError(toError(e).message);
  }
  for (const r of rules) {
    if (builtinIds.has(r.id)) throw new CustomPolicyError(`${origin}: rule id ${r.id} is a built-in rule's id; give custom rules their own prefix (e.g. ORG001)`);
    r.source = sourceOf(r.source);
  }
  return rules;
}
