/**
 * `fix --write`: the verified changes written in place. A dump may be hostile and files may have changed since
 * they were checked, so each file is written only when it is still a regular file inside its host directory (no
 * symbolic link) holding exactly the text that was checked; the new text replaces it atomically (a temporary file
 * beside it, then rename) with its permissions kept. `--backup` keeps the old text as FILE.orig.
 */
import { chmodSync, copyFileSync, existsSync, lstatSync, realpathSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";
import { readHostFile } from "../discover/host-files.js";
import type { HostFixPlan } from "./plan.js";

export interface WriteResult {
  written: string[];
  refused: Array<{ file: string; reason: string }>;
}

export function writeFixes(hosts: readonly HostFixPlan[], options: { backup: boolean }): WriteResult {
  const result: WriteResult = { written: [], refused: [] };
  for (const h of hosts) {
    for (const f of h.files) {
      const target = path.join(h.root, f.file);
      const refuse = (reason: string): void => void result.refused.push({ file: target, reason });
      const st = lstatSync(target, { throwIfNoEntry: false });
      if (!st || !st.isFile()) {
        refuse("not a regular file (or a symbolic link)");
        continue;
      }
      const real = realpathSync(target);
      const root = realpathSync(h.root);
      if (path.relative(root, real).startsWith("..")) {
        refuse("outside its host directory");
        continue;
      }
      const now = readHostFile(h.root, f.file);
      if (!now.ok || now.text !== f.before) {
        refuse("changed since it was checked; run fix again");
        continue;
      }
      if (options.backup) {
        if (existsSync(`${target}.orig`)) {
          refuse(`${f.file}.orig exists already; move it away to keep a new backup`);
          continue;
        }
        copyFileSync(target, `${target}.orig`);
      }
      const temporary = path.join(path.dirname(target), `.${path.basename(target)}.ntp-policy-fix`);
      writeFileSync(temporary, f.after, { mode: st.mode & 0o7777 });
      chmodSync(temporary, st.mode & 0o7777);
      renameSync(temporary, target);
      result.written.push(target);
    }
  }
  return result;
}
