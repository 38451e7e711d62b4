/**
 * The test suites as vitest projects, so the loop while editing is fast and `npm test` still runs everything:
 *
 *   unit         parsers, analysis, policies (through the compiled wasm), reports: in-process, no build step
 *                (`npm run test:unit`)
 *   e2e          the real command line (bin/ntp-policy.js → dist/): test/e2e and every test file that runs it
 *                through test/e2e/cli.ts
 *   kernel       real netfilter in network namespaces (test/netns, the iptables-restore oracle suites)
 *   browser      the HTML report in Chromium, and its PDF
 *   integration  the collector script, the pre-commit hook, the shared real-world corpus
 *   scale        generated large inputs and fuzzing (a 20,000-rule Kubernetes dump, thousands of generated lines)
 *
 * Only the projects that run the command line compile dist/ first (test/global-setup.ts), and only when dist/
 * is older than src/. Suites whose requirement is missing skip with a banner; CI's NTPP_REQUIRE_… variables turn
 * those skips into failures (test/requirements.ts).
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { defineConfig } from "vitest/config";

const ROOT = import.meta.dirname;

function testFiles(dir: string): string[] {
  return readdirSync(path.join(ROOT, dir), { recursive: true, encoding: "utf8" })
    .filter((f) => f.endsWith(".test.ts"))
    .map((f) => `${dir}/${f.split(path.sep).join("/")}`)
    .sort();
}

const ALL = testFiles("test");
/** Files that spawn the built command line. */
const RUNS_CLI = ALL.filter((f) => /from "\.\.\/e2e\/cli\.js"|from "\.\/cli\.js"/.test(readFileSync(path.join(ROOT, f), "utf8")));

const KERNEL = [
  "test/netns/**/*.test.ts",
  "test/parse/iptables-restore-oracle.test.ts",
  "test/parse/chrony-oracle-lines.test.ts",
  "test/parse/nft-oracle.test.ts",
  "test/parse/nft-json-equivalence.test.ts",
  // The real ntpd (ntpsec) and both iptables backends, each in a private network namespace.
  "test/analyze/ntpsec-syntax.test.ts",
  "test/parse/iptables-restore-oracle-backends.test.ts",
];
const BROWSER = ["test/report/html-browser.test.ts"];
const INTEGRATION = ["test/integration/**/*.test.ts", "test/parse/ntp-corpus.test.ts", "test/parse/iptables-corpus.test.ts"];
const SCALE = [
  "test/parse/iptables-kube.test.ts",
  "test/parse/iptables-fuzz.test.ts",
  "test/parse/ntp-fuzz.test.ts",
  // 3,000 random restrict lists against the quadratic reference algorithm.
  "test/hostile/restrict-differential.test.ts",
];
const E2E = ["test/e2e/**/*.test.ts", ...RUNS_CLI];

const BUILD = ["test/global-setup.ts"];

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 120_000,
    projects: [
      // Unit tests run in worker threads, not a child process per file: about 24 s on 2 cores instead of 34 s.
      { extends: true, test: { name: "unit", pool: "threads", include: ["test/**/*.test.ts"], exclude: [...E2E, ...KERNEL, ...BROWSER, ...INTEGRATION, ...SCALE] } },
      { extends: true, test: { name: "e2e", include: E2E, exclude: [...KERNEL, ...BROWSER, ...INTEGRATION], globalSetup: BUILD } },
      { extends: true, test: { name: "kernel", include: KERNEL } },
      { extends: true, test: { name: "browser", include: BROWSER } },
      { extends: true, test: { name: "integration", include: INTEGRATION, globalSetup: BUILD } },
      { extends: true, test: { name: "scale", include: SCALE } },
    ],
  },
});
