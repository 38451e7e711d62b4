/**
 * The projects that run the real command line (bin/ntp-policy.js → dist/) compile dist/ from the current
 * sources first, so they never exercise a stale build — and skip the compile when dist/ is already fresh
 * (scripts/ensure-dist.mjs compares modification times with the stamp of the last compile).
 */
import { execFileSync } from "node:child_process";
import path from "node:path";

export default function setup(): void {
  // For focused runs that do not touch the command line (e.g. while another module does not compile).
  if (process.env["NTPP_SKIP_BUILD"] === "1") return;
  const root = path.resolve(import.meta.dirname, "..");
  execFileSync(process.execPath, [path.join(root, "scripts/ensure-dist.mjs")], { cwd: root, stdio: "inherit" });
}
