/** `--format json`: the versioned report contract (docs/architecture.md "Contracts"), byte-for-byte deterministic. */
import type { HostReport, Report } from "../model/report.js";
import type { Reporter } from "./reporter.js";

export const jsonReporter: Reporter = {
  format: "json",
  render: (report) => `${JSON.stringify(report, null, 2)}\n`,
};

/**
 * A host's entry as the whole report's JSON holds it: JSON strings never hold a raw line break, so indenting the
 * host's own JSON.stringify output by four spaces places it exactly where the whole report's would be.
 */
export function hostEntryJson(host: HostReport): string {
  return JSON.stringify(host, null, 2).replace(/\n/g, "\n    ");
}

/** The same bytes as jsonReporter, written a host at a time: a fleet's report is never held whole. */
export class JsonReportStream {
  private hosts = 0;

  constructor(private readonly write: (text: string) => void) {}

  begin(head: Omit<Report, "hosts" | "notices" | "summary">): void {
    const text = JSON.stringify(head, null, 2);
    this.write(`${text.slice(0, -2)},\n  "hosts": [`);
  }

  /** A host's entry, as hostEntryJson() renders it. */
  host(entryJson: string): void {
    this.write(`${this.hosts++ === 0 ? "\n    " : ",\n    "}${entryJson}`);
  }

  end(tail: Pick<Report, "notices" | "summary">): void {
    this.write(`${this.hosts === 0 ? "]" : "\n  ]"},${JSON.stringify(tail, null, 2).slice(1)}\n`);
  }
}
