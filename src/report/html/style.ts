/**
 * The auditor report's stylesheet, inlined into the HTML (the report loads nothing: its CSP is default-src 'none').
 * Status is never shown by colour alone: every cell also carries a glyph and a word. Print rules give each host
 * its own page, keep tables and findings from splitting where they can, and drop screen-only navigation.
 */
export const HTML_REPORT_CSS = `
:root {
  --ink: #1d2330; --muted: #5b6475; --rule: #d5dae3; --panel: #f5f7fa; --accent: #1f4e8c;
  --pass: #1e7b3a; --pass-bg: #e6f4ea; --fail: #b3261e; --fail-bg: #fbe9e7;
  --waived: #8a5a00; --waived-bg: #fff4d6; --na: #5b6475; --na-bg: #eef0f3; --error: #6a1b9a; --error-bg: #f3e5f5;
  --critical: #7f0000; --high: #b3261e; --medium: #b45309; --low: #1f5fa8; --info: #5b6475;
}
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body {
  margin: 0; color: var(--ink); background: #fff;
  font: 14px/1.45 "DejaVu Sans", "Segoe UI", "Helvetica Neue", Arial, sans-serif;
}
main { max-width: 1180px; margin: 0 auto; padding: 24px 32px 48px; }
code, pre, .mono { font-family: "DejaVu Sans Mono", "SFMono-Regular", Consolas, "Liberation Mono", monospace; font-size: 0.88em; }
h1, h2, h3, h4 { line-height: 1.25; margin: 0; }
h1 { font-size: 26px; font-weight: 700; }
h2 { font-size: 19px; color: var(--accent); border-bottom: 2px solid var(--accent); padding-bottom: 4px; margin: 36px 0 14px; }
h3 { font-size: 17px; margin: 0 0 8px; }
h4 { font-size: 14px; margin: 18px 0 8px; text-transform: uppercase; letter-spacing: 0.04em; color: var(--muted); }
p { margin: 6px 0; }
a { color: var(--accent); }
.muted { color: var(--muted); }
.small { font-size: 12px; }
.nowrap { white-space: nowrap; }
.break { overflow-wrap: anywhere; word-break: break-word; }

.report-head { border-bottom: 1px solid var(--rule); padding-bottom: 14px; margin-bottom: 8px;
  display: flex; justify-content: space-between; align-items: flex-end; gap: 24px; flex-wrap: wrap; }
.report-head .subtitle { color: var(--muted); margin-top: 4px; }
.verdict { border-radius: 6px; padding: 10px 16px; font-weight: 700; font-size: 15px; border: 1px solid; }
.verdict.fail { color: var(--fail); background: var(--fail-bg); border-color: var(--fail); }
.verdict.pass { color: var(--pass); background: var(--pass-bg); border-color: var(--pass); }
.verdict.error { color: var(--error); background: var(--error-bg); border-color: var(--error); }
.verdict .why { display: block; font-weight: 400; font-size: 12px; margin-top: 2px; }

nav.toc { margin: 10px 0 0; font-size: 13px; }
nav.toc ol { margin: 0; padding: 0; list-style: none; display: flex; flex-wrap: wrap; gap: 4px 18px; }
nav.toc a { text-decoration: none; }

dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 4px 18px; margin: 0; }
dl.facts dt { color: var(--muted); }
dl.facts dd { margin: 0; overflow-wrap: anywhere; }

.tiles { display: grid; grid-template-columns: repeat(auto-fit, minmax(150px, 1fr)); gap: 10px; margin: 8px 0 16px; }
.tile { background: var(--panel); border: 1px solid var(--rule); border-radius: 6px; padding: 10px 12px; }
.tile .num { font-size: 24px; font-weight: 700; }
.tile .lbl { color: var(--muted); font-size: 12px; }
.tile.fail .num { color: var(--fail); }
.tile.pass .num { color: var(--pass); }
.tile.waived .num { color: var(--waived); }

table { border-collapse: collapse; width: 100%; margin: 6px 0 12px; font-size: 13px; }
th, td { border: 1px solid var(--rule); padding: 5px 8px; text-align: left; vertical-align: top; }
thead th { background: var(--panel); font-weight: 600; }
tfoot td, tfoot th { background: var(--panel); font-weight: 600; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
thead th.num { white-space: normal; }
caption { caption-side: top; text-align: left; color: var(--muted); font-size: 12px; padding-bottom: 4px; }

.bar { display: inline-block; vertical-align: middle; width: 90px; height: 8px; background: var(--fail-bg);
  border: 1px solid var(--rule); border-radius: 4px; overflow: hidden; margin-left: 6px; }
.bar > span { display: block; height: 100%; background: var(--pass); }

table.matrix { width: auto; min-width: 60%; }
table.matrix th.ctl { text-align: center; white-space: nowrap; font-size: 12px; }
table.matrix th.ctl .sev { display: block; font-weight: 400; }
table.matrix td.cell { text-align: center; white-space: nowrap; font-size: 12px; font-weight: 600; min-width: 74px; }
table.matrix td.cell .sev { display: block; font-weight: 400; font-size: 11px; }
.matrix-wrap { max-width: 100%; overflow-x: auto; }
details.host.passing { margin-top: 8px; padding: 4px 0; border-top: 1px solid var(--rule); }
details.host.passing > summary { cursor: pointer; }
table.matrix th.host { position: sticky; left: 0; z-index: 1; background: #fff; max-width: 16em; overflow-wrap: anywhere; }

.cell.pass, .st.pass { color: var(--pass); background: var(--pass-bg); }
.cell.fail, .st.fail { color: var(--fail); background: var(--fail-bg); }
.cell.waived, .st.waived { color: var(--waived); background: var(--waived-bg); }
.cell.na, .st.na { color: var(--na); background: var(--na-bg); font-weight: 400; }
.cell.error, .st.error { color: var(--error); background: var(--error-bg); }
.st { display: inline-block; padding: 1px 7px; border-radius: 3px; font-weight: 600; font-size: 12px; white-space: nowrap; }

.sev { text-transform: lowercase; }
.badge { display: inline-block; padding: 1px 7px; border-radius: 10px; font-size: 11px; font-weight: 700;
  text-transform: uppercase; letter-spacing: 0.03em; color: #fff; white-space: nowrap; }
.badge.critical { background: var(--critical); } .badge.high { background: var(--high); }
.badge.medium { background: var(--medium); } .badge.low { background: var(--low); } .badge.info { background: var(--info); }
.sev.critical { color: var(--critical); } .sev.high { color: var(--high); } .sev.medium { color: var(--medium); }
.sev.low { color: var(--low); } .sev.info { color: var(--info); }

section.host { margin-top: 28px; padding-top: 4px; border-top: 3px solid var(--rule); }
section.host > header { display: flex; justify-content: space-between; align-items: baseline; gap: 16px; flex-wrap: wrap; }
section.host > header .tally { font-size: 13px; }

article.finding { border: 1px solid var(--rule); border-left: 5px solid var(--fail); border-radius: 4px;
  padding: 10px 14px; margin: 10px 0; background: #fff; }
article.finding.waived { border-left-color: var(--waived); background: #fffdf6; }
article.finding > header { display: flex; gap: 10px; align-items: baseline; flex-wrap: wrap; }
article.finding .rid { font-weight: 700; }
article.finding .loc { margin-left: auto; color: var(--muted); }
.field { margin-top: 8px; }
.field > .k { font-size: 11px; text-transform: uppercase; letter-spacing: 0.05em; color: var(--muted); font-weight: 600; }
.field > .v { margin-top: 2px; white-space: pre-wrap; overflow-wrap: anywhere; }
ol.evidence { list-style: none; margin: 4px 0 0; padding: 0; border: 1px solid var(--rule); border-radius: 4px;
  background: var(--panel); font-family: "DejaVu Sans Mono", Consolas, monospace; font-size: 12px; }
ol.evidence li { display: grid; grid-template-columns: minmax(150px, max-content) 1fr; gap: 12px; padding: 3px 10px;
  border-top: 1px solid var(--rule); }
ol.evidence li:first-child { border-top: 0; }
ol.evidence .where { color: var(--muted); white-space: nowrap; }
ol.evidence .text { white-space: pre-wrap; overflow-wrap: anywhere; }
ul.refs { margin: 2px 0 0; padding-left: 18px; }
.waiver { margin-top: 8px; border: 1px dashed var(--waived); border-radius: 4px; padding: 6px 10px; background: var(--waived-bg); }
.cc { display: inline-block; border: 1px solid currentColor; border-radius: 2px; padding: 0 2px; font-size: 0.8em;
  font-family: "DejaVu Sans Mono", Consolas, monospace; color: var(--error); }
.warn { color: var(--fail); font-weight: 600; }
.note { background: var(--panel); border: 1px solid var(--rule); border-radius: 4px; padding: 8px 12px; font-size: 13px; }
.hash { font-family: "DejaVu Sans Mono", Consolas, monospace; font-size: 11.5px; overflow-wrap: anywhere; }
table.waivers td:nth-child(1) { min-width: 90px; }
table.waivers td:nth-child(3) { min-width: 170px; }
table.passes th:first-child { width: 90px; }
table.passes td:nth-child(3) { width: 120px; }
table.passes td:nth-child(4) { width: 52%; }
table.passes .hash { font-size: 10.5px; }
.catalogue-entry { border-top: 1px solid var(--rule); padding: 10px 0; }
footer.report-foot { margin-top: 40px; border-top: 1px solid var(--rule); padding-top: 8px; color: var(--muted); font-size: 12px; }

@media screen and (max-width: 760px) {
  main { padding: 14px; }
  ol.evidence li { grid-template-columns: 1fr; gap: 0; }
}

@media print {
  @page { size: A4; }
  @page wide { size: A4 landscape; }
  section#matrix { page: wide; }
  body { font-size: 9.5pt; background: #fff; }
  main { max-width: none; padding: 0; }
  .no-print, nav.toc { display: none !important; }
  h2 { margin-top: 18pt; break-after: avoid; page-break-after: avoid; }
  h3, h4 { break-after: avoid; page-break-after: avoid; }
  table { font-size: 8pt; }
  thead { display: table-header-group; }
  tr, article.finding, .tile, .catalogue-entry, .waiver { break-inside: avoid; page-break-inside: avoid; }
  .tiles { grid-template-columns: repeat(5, 1fr); gap: 6px; }
  .tile { padding: 6px 8px; }
  .tile .num { font-size: 16pt; }
  .bar { width: 40px; }
  .small, table .small { font-size: 7.5pt; }
  .hash, table.passes .hash { font-size: 7pt; }
  table.matrix td.cell { min-width: 0; font-size: 7.5pt; padding: 3px 4px; }
  table.matrix th.ctl { font-size: 7.5pt; padding: 3px 4px; }
  .matrix-wrap { overflow: visible; }
  table.matrix th.host { position: static; }
  section.host { border-top: 0; margin-top: 0; }
  section.host + section.host { break-before: page; page-break-before: always; }
  section.page { break-before: page; page-break-before: always; }
  a { color: inherit; text-decoration: none; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
`;
