// Find a citizen (#/citizens) by CNP, phone or name, diacritics optional. What is searched for travels in the request's
// body, never in the address (addresses end up in logs and the browser's history).
import { post } from "../../api";
import type { Screen } from "../../screens";
import { announce, busy, clearProblem, field, h, heading, showProblem, table } from "../../ui";
import type { CitizenSummary } from "../../model";
import { t, type CitizenTextKey } from "./citizen-texts";
import { pick } from "./registry-words";

/** What was typed: 13 digits are a CNP, 9 to 15 digits (an optional +) a phone number, anything else a name. */
export function searchBody(q: string): Record<string, string | number> {
  const compact = q.replace(/[\s.()-]/g, "");
  if (/^\d{13}$/.test(compact)) return { nationalId: compact, limit: 50 };
  if (/^\+?\d{9,15}$/.test(compact)) return { phone: compact, limit: 50 };
  return { name: q.trim(), limit: 50 };
}

export const citizenSearchScreen: Screen = {
  section: "citizens",
  route: /^citizens$/,
  render(main) {
    const input = h("input", { name: "query", type: "search", autocomplete: "off", required: true, id: "citizen-query" });
    const go = h("button", { type: "submit" }, t("searchGo"));
    const problem = h("div", { hidden: true });
    const results = h("div", { class: "search-results", id: "citizen-results" });
    const form = h("form", { class: "citizen-search", role: "search", novalidate: true }, field(t("searchLabel"), input, t("searchIntro")),
      h("div", { class: "row" }, go), problem);
    form.addEventListener("submit", (e) => {
      e.preventDefault();
      const q = input.value.trim();
      if (!q) {
        input.focus();
        return;
      }
      void busy(go, async () => {
        clearProblem(problem, form);
        try {
          const found = await post<{ citizens: CitizenSummary[] }>("/api/citizens/search", searchBody(q));
          if (found.citizens.length === 0) {
            results.replaceChildren(h("p", {}, t("searchNothing", q)));
            announce(t("searchNothing", q));
            return;
          }
          results.replaceChildren(
            h("p", { class: "hint" }, t(pick(found.citizens.length, "searchCountOne", "searchCount", "searchCountMany"), found.citizens.length)),
            table(t("searchCaption"), [t("colName"), t("colCnp"), t("colBirthYear"), t("colLanguage")],
              found.citizens.map((c) => [
                h("a", { href: `#/citizen/${c.id}` }, `${c.lastName} ${c.firstName}`),
                c.maskedNationalId, c.birthYear ?? "—", t(`lang_${c.preferredLanguage}` as CitizenTextKey),
              ])));
          announce(t(pick(found.citizens.length, "searchCountOne", "searchCount", "searchCountMany"), found.citizens.length));
        } catch (error) {
          showProblem(problem, error, form);
        }
      });
    });
    main.append(heading(t("searchTitle")), form, results,
      h("p", { class: "no-print" }, h("a", { href: "#/new-citizen" }, t("newCitizenLink"))));
  },
};
