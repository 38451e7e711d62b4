#!/usr/bin/env node
// Compiles src/ into dist/ (tsc -p tsconfig.build.json, then the dist/bundle/ of scripts/bundle-cli.mjs) unless dist/ is already fresh: no file or directory
// under src/ and no tsconfig*.json or package.json is newer than the stamp written after the last successful
// compile. Directories count, so a deleted or renamed source also triggers a compile. The test setup
// (test/global-setup.ts, for the projects that run the command line) and scripts/build-policy.mjs (which runs
// the policy build from dist/) call it.
//
//   node scripts/ensure-dist.mjs           compile when stale, say which
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const STAMP = path.join(ROOT, "dist", ".build-stamp");

function newestInput() {
  let newest = 0;
  const visit = (p) => {
    const s = statSync(p);
    newest = Math.max(newest, s.mtimeMs);
    if (s.isDirectory()) for (const name of readdirSync(p)) visit(path.join(p, name));
  };
  visit(path.join(ROOT, "src"));
  for (const f of ["tsconfig.json", "tsconfig.build.json", "package.json"]) newest = Math.max(newest, statSync(path.join(ROOT, f)).mtimeMs);
  return newest;
}

export function ensureDist({ log = (m) => console.error(m) } = {}) {
  if (existsSync(STAMP) && statSync(STAMP).mtimeMs >= newestInput()) return false;
  const started = Date.now();
  execFileSync(process.execPath, [path.join(ROOT, "node_modules/typescript/bin/tsc"), "-p", "tsconfig.build.json"], { cwd: ROOT, stdio: "inherit" });
  execFileSync(process.execPath, [path.join(ROOT, "scripts/bundle-cli.mjs")], { cwd: ROOT, stdio: "inherit" });
  writeFileSync(STAMP, `${new Date().toISOString()}\n`);
  log(`dist/ compiled from src/ (${Date.now() - started} ms)`);
  return true;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    ensureDist();
  } catch {
    process.exit(1);
  }
}
