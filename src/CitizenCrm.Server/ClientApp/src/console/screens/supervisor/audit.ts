// The audit of who read whose record (GET /api/audit): filters by citizen, user and days, newest first, a page at a time.
import { get, query } from "../../api";
import { textsOf } from "../../i18n";
import type { Screen } from "../../screens";
import { field, h, heading, link, showProblem } from "../../ui";
import { instant, scrollable } from "./kit";
import { supervisorTexts } from "./texts";

const t = textsOf(supervisorTexts);

interface AuditEntry {
  id: number;
  at: string;
  actor: string;
  actorRole: string;
  citizenId: string;
  endpoint: string;
  query: string;
}

interface AuditPage {
  entries: AuditEntry[];
  nextBefore: number | null;
  total: number;
}

const pageSize = 50;

/** A long address that may break only after its separators (a <wbr> after each "/"), never in the middle of a word. */
function breakable(text: string, separator: string): (string | HTMLElement)[] {
  return text.split(separator).flatMap((part, i, all) => (i < all.length - 1 ? [part + separator, h("wbr")] : [part]));
}

export const auditScreen: Screen = {
  section: "audit",
  route: /^audit$/,
  async render(main, ctx) {
    const q = ctx.query;
    const citizenId = h("input", { name: "citizenId", value: q.get("citizenId") ?? "", size: 38, spellcheck: "false" });
    const actor = h("input", { name: "actor", value: q.get("actor") ?? "" });
    const from = h("input", { type: "date", name: "from", value: q.get("from") ?? "" });
    const to = h("input", { type: "date", name: "to", value: q.get("to") ?? "" });
    const form = h("form", { class: "filters", "aria-label": t("filters") },
      h("div", { class: "filter-grid" }, field(t("citizenId"), citizenId), field(t("actor"), actor), field(t("from"), from), field(t("to"), to)),
      h("button", { type: "submit", id: "audit-filter" }, t("filter")));
    form.addEventListener("submit", (e) => {
      e.preventDefault();
      ctx.navigate(`audit${query({ citizenId: citizenId.value.trim(), actor: actor.value.trim(), from: from.value, to: to.value })}`);
    });
    const problem = h("div", { hidden: true });
    const results = h("div", { class: "audit-results", "aria-live": "polite" });
    main.append(heading(t("auditTitle")), h("p", {}, t("auditIntro")), form, problem, results);

    // The pages already seen (their "before"), so "previous" goes back without asking the server to count backwards.
    const seen: (number | null)[] = [];
    const load = async (before: number | null) => {
      try {
        const page = await get<AuditPage>(`/api/audit${query({
          citizenId: citizenId.value.trim(), actor: actor.value.trim(), from: from.value, to: to.value, before, limit: pageSize,
        })}`);
        problem.hidden = true;
        draw(page, before);
      } catch (error) {
        showProblem(problem, error);
      }
    };
    const draw = (page: AuditPage, before: number | null) => {
      if (seen[seen.length - 1] !== before) seen.push(before);
      const pageNumber = seen.length;
      const newer = h("button", { type: "button", class: "secondary", disabled: pageNumber <= 1 }, t("newer"));
      const older = h("button", { type: "button", class: "secondary", disabled: page.nextBefore === null }, t("older"));
      newer.addEventListener("click", () => {
        seen.pop();
        void load(seen.pop() ?? null);
      });
      older.addEventListener("click", () => void load(page.nextBefore));
      results.replaceChildren(
        h("p", { class: "total" }, t("auditTotal", page.total)),
        scrollable(h("table", { class: "data audit" },
          h("caption", {}, t("auditCaption", pageNumber)),
          h("thead", {}, h("tr", {}, [t("at"), t("actor"), t("role"), t("citizen"), t("endpoint"), t("query")].map((x) => h("th", { scope: "col" }, x)))),
          h("tbody", {}, page.entries.length === 0 ? h("tr", {}, h("td", { colspan: 6 }, t("auditNone"))) : page.entries.map((e) => h("tr", { "data-audit": e.id },
            h("td", {}, instant(e.at)), h("td", {}, e.actor), h("td", {}, e.actorRole),
            h("td", {}, link(`citizen/${e.citizenId}`, e.citizenId, { "aria-label": `${t("openCitizen")} ${e.citizenId}` })),
            h("td", { class: "endpoint" }, ...breakable(e.endpoint, "/")), h("td", { class: "query" }, ...breakable(e.query ?? "", "&"))))))),
        h("div", { class: "row pager" }, newer, older));
    };
    await load(null);
  },
};
