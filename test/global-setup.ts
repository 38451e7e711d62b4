/**
 * End-to-end tests run the real command (bin/ntp-policy.js → dist/). Build dist/ from the current
 * sources once before the suite so they never exercise a stale build.
 */
import { execFileSync } from "node:child_process";
import path from "node:path";

export default function setup(): void {
  // For focused runs that do not touch the command line (e.g. while another module does not compile).
  if (process.env["NTPP_SKIP_BUILD"] === "1") return;
  const root = path.resolve(import.meta.dirname, "..");
  execFileSync(process.execPath, [path.join(root, "node_modules/typescript/bin/tsc"), "-p", "tsconfig.build.json"], {
    cwd: root,
    stdio: "inherit",
  });
}
