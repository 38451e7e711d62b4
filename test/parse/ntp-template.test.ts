/** Templates are reported once, at their first marker, and not parsed as configuration. */
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseNtpConf } from "../../src/parse/ntp/index.js";
import { FILE, at } from "./ntp-helpers.js";
import { SHARED_CORPUS, sharedCorpusPresent } from "../requirements.js";

const CORPUS = path.join(SHARED_CORPUS, "ntp");

describe("template detection", () => {
  it.each([
    ["server {{ ntp_server }} iburst", "jinja", 1, 8, "{{ ntp_server }}"],
    ["# managed by ansible\n{% for s in servers %}\nserver {{ s }}\n{% endfor %}", "jinja", 2, 1, "{% for s in servers %}"],
    ["{# a jinja comment #}\nserver a", "jinja", 1, 1, "{# a jinja comment #}"],
    ["driftfile <%= @driftfile %>", "erb", 1, 11, "<%= @driftfile %>"],
    ["<% @servers.each do |s| -%>\nserver <%= s %>\n<% end -%>", "erb", 1, 1, "<% @servers.each do |s| -%>"],
    ["server a\nserver %NTP_SERVER% iburst", "placeholder", 2, 8, "%NTP_SERVER%"],
    ["server ${NTP_SERVER:-pool.ntp.org}", "placeholder", 1, 8, "${NTP_SERVER:-pool.ntp.org}"],
    ["server %DCDomain", "placeholder", 1, 8, "%DCDomain"],
    ["server $NTP_SERVER iburst", "placeholder", 1, 8, "$NTP_SERVER"],
    ["driftfile @localstatedir@/ntp.drift", "placeholder", 1, 11, "@localstatedir@"],
    ["server a # {{ not a comment to jinja }}", "jinja", 1, 12, "{{ not a comment to jinja }}"],
  ])("%j", (text, engine, line, column, marker) => {
    const r = parseNtpConf(text, FILE);
    expect(r.template).toEqual({ engine, location: at(line, column), marker });
    expect(r.nodes).toEqual([]);
    expect(r.diagnostics).toHaveLength(1);
    expect(r.diagnostics[0]).toMatchObject({ kind: "template", location: at(line, column) });
    expect(r.diagnostics[0]!.message).toContain(JSON.stringify(marker));
  });

  it.each([
    "# 100% of clients use ${HOME}/ntp and %PATH% here: placeholders in comments do not count",
    "server fe80::1%eth0 iburst",
    "restrict 10.0.0.0 mask 255.0.0.0 # <% of subnet",
    'setvar motd = "50% off"',
    "logconfig =syncall +clockall",
  ])("not a template: %s", (text) => {
    const r = parseNtpConf(text, FILE);
    expect(r.template).toBeNull();
    expect(r.diagnostics.filter((d) => d.kind === "template")).toEqual([]);
  });

  it("a template with broken ntp syntax gets no syntax diagnostics", () => {
    const r = parseNtpConf("Server bogus line\n{{ NTPSERVER }}\nrestrict default none", FILE);
    expect(r.diagnostics.map((d) => d.kind)).toEqual(["template"]);
  });
});

describe.skipIf(!sharedCorpusPresent("corpus templates (test/parse/ntp-template.test.ts)", ["ntp"]))("corpus templates", () => {
  it.each([
    ["ansible-lockdown__RHEL7-CIS__templates_ntp.conf.j2", "jinja", 23, 1],
    ["ghoneycutt__puppet-module-ntp__templates_ntp.conf.erb", "erb", 10, 11],
    ["burnbabyburn__docker-samba-dc__etc_ntp.conf", "jinja", 15, 1],
    ["mrhid6__SolarisADjoin__files_ntp.conf", "placeholder", 56, 8],
  ])("%s", (name, engine, line, column) => {
    const r = parseNtpConf(readFileSync(path.join(CORPUS, name), "utf8"), name);
    expect(r.template).toMatchObject({ engine, location: { file: name, line, column } });
    expect(r.diagnostics.map((d) => d.kind)).toEqual(["template"]);
    expect(r.nodes).toEqual([]);
  });
});
