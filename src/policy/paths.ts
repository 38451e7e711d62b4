/** Where the committed policy build lives (below the package root, in a source checkout and once installed). */
import path from "node:path";
import { PACKAGE_ROOT } from "../model/tool.js";

export { PACKAGE_ROOT } from "../model/tool.js";

export const POLICY_BUILD_DIR = path.join(PACKAGE_ROOT, "policies", "build");

export const DEFAULT_WASM_PATH = path.join(POLICY_BUILD_DIR, "policy.wasm");
export const DEFAULT_CATALOG_PATH = path.join(POLICY_BUILD_DIR, "catalog.json");
export const DEFAULT_MANIFEST_PATH = path.join(POLICY_BUILD_DIR, "manifest.json");

/** The one entrypoint compiled into policy.wasm (policies/ntp_policy/main/main.rego). */
export const ENTRYPOINT = "ntp_policy/main/violations";
