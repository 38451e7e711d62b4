/** The tool's own identity, as reports print it. */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** The package root: src/model/ under vitest and dist/model/ after the build are both two levels down. */
export const PACKAGE_ROOT = fileURLToPath(new URL("../../", import.meta.url));

export const TOOL_NAME = "ntp-policy";

export const TOOL_VERSION: string = (
  JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string }
).version;
