/** Section "Control catalogue": every control in effect, what it reads, its rationale, remediation and references. */
import { describeInputs } from "../outcomes.js";
import { badge, renderReferences, type Ctx } from "./parts.js";
import { prose, slug, t } from "./escape.js";

export function renderCatalogue(ctx: Ctx): string {
  const { compliance: c } = ctx;
  return c.controls
    .map(
      (ctl) =>
        `<div class="catalogue-entry" id="control-${slug(ctl.id)}"><h3>${t(ctl.id)} ${badge(ctl.severity)} <span>${t(ctl.title)}</span></h3>` +
        `<p class="small muted">Evaluates: ${t(describeInputs(ctl.inputs))}${ctl.inCatalogue ? "" : " · not in the rule catalogue (reported by the policy only)"}</p>` +
        (ctl.description ? `<p>${prose(ctl.description)}</p>` : "") +
        (ctl.remediation ? `<div class="field"><div class="k">Remediation</div><div class="v">${prose(ctl.remediation)}</div></div>` : "") +
        renderReferences(ctl) +
        "</div>",
    )
    .join("\n");
}
