/** `--format json`: the versioned report contract (docs/architecture.md "Contracts"), byte-for-byte deterministic. */
import type { Reporter } from "./reporter.js";

export const jsonReporter: Reporter = {
  format: "json",
  render: (report) => `${JSON.stringify(report, null, 2)}\n`,
};
