/**
 * Constants of the committed policy build: where it lives, its entrypoint, the rule id form.
 * Where the committed policy build lives: `src/policy/*.ts` (vitest) and `dist/policy/*.js` (after tsc) are both
 * two levels below the package root, so one relative URL serves both.
 */
import { fileURLToPath } from "node:url";
import path from "node:path";

export const PACKAGE_ROOT = fileURLToPath(new URL("../../", import.meta.url));

export const POLICY_BUILD_DIR = path.join(PACKAGE_ROOT, "policies", "build");

export const DEFAULT_WASM_PATH = path.join(POLICY_BUILD_DIR, "policy.wasm");
export const DEFAULT_CATALOG_PATH = path.join(POLICY_BUILD_DIR, "catalog.json");
export const DEFAULT_MANIFEST_PATH = path.join(POLICY_BUILD_DIR, "manifest.json");

/** The one entrypoint compiled into policy.wasm (policies/ntp_policy/main/main.rego). */
export const ENTRYPOINT = "ntp_policy/main/violations";

/** Rule ids: a prefix (NTP, FW, XL, PARSE) and three digits. */
export const RULE_ID_PATTERN = /^[A-Z]+[0-9]{3}$/;
