// Cases not matched to a citizen (e-mails, map reports, letters from a contact): link one to its citizen, or mark it
// a duplicate of the case it repeats.
import { get, post, query } from "../../api";
import { formatDate } from "../../i18n";
import type { Screen, ScreenContext } from "../../screens";
import { announce, busy, clearProblem, field, h, heading, showProblem } from "../../ui";
import { openDispatchStream } from "./live";
import type { CaseResult, CitizenSummary, DispatchItem, DispatchQueue } from "./model";
import { t, word } from "./texts";

export const unmatchedScreen: Screen = {
  section: "unmatched",
  route: /^unmatched$/,
  async render(main: HTMLElement, ctx: ScreenContext) {
    const problem = h("div", { hidden: true });
    const listBox = h("div", { id: "unmatched-list" });
    const work = h("section", { id: "unmatched-work", class: "work-panel", hidden: true, "aria-labelledby": "work-title" });
    let items: DispatchItem[] = [];

    async function load(): Promise<void> {
      const page = await get<DispatchQueue>(`/api/dispatch/queue${query({ unmatched: true, limit: 200 })}`);
      items = page.items.filter((i) => i.caseId);
      listBox.replaceChildren(items.length
        ? h("table", { class: "data", id: "unmatched-table" },
          h("caption", {}, t("unmatchedCaption", page.total)),
          h("thead", {}, h("tr", {}, [t("number"), t("kind"), t("channel"), t("subject"), t("contact"), t("arrived"), t("actions")]
            .map((x) => h("th", { scope: "col" }, x)))),
          h("tbody", {}, items.map(row)))
        : h("p", {}, t("noUnmatched")));
    }

    function row(item: DispatchItem): HTMLTableRowElement {
      const number = item.registrationNumber ?? "";
      const linkButton = h("button", { type: "button", "aria-label": `${t("linkCitizen")}: ${number}` }, t("linkCitizen"));
      const dupButton = h("button", { type: "button", class: "secondary", "aria-label": `${t("markDuplicate")}: ${number}` }, t("markDuplicate"));
      linkButton.addEventListener("click", () => openLink(item));
      dupButton.addEventListener("click", () => void openDuplicate(item));
      return h("tr", { "data-case": item.caseId },
        h("td", {}, h("a", { href: `#/case/${item.caseId}` }, number)),
        h("td", {}, word(item.itemKind)),
        h("td", {}, word(item.channel)),
        h("td", {}, item.subject ?? "—",
          item.possibleDuplicateOf ? h("div", { class: "hint" }, t("possibleDuplicate", item.possibleDuplicateOf.registrationNumber)) : null),
        h("td", {}, item.partyName ?? "—"),
        h("td", {}, formatDate(item.arrivedAt)),
        h("td", { class: "actions" }, linkButton, " ", dupButton));
    }

    function openPanel(title: string, ...content: Node[]): void {
      clearProblem(problem);
      const cancel = h("button", { type: "button", class: "secondary" }, t("cancel"));
      cancel.addEventListener("click", () => {
        work.hidden = true;
        work.replaceChildren();
      });
      const titleEl = h("h2", { id: "work-title", tabindex: "-1" }, title);
      work.replaceChildren(titleEl, ...content, h("div", { class: "row" }, cancel));
      work.hidden = false;
      titleEl.focus();
    }

    async function done(message: string): Promise<void> {
      work.hidden = true;
      work.replaceChildren();
      announce(message);
      const notice = h("p", { class: "notice", role: "status" }, message);
      listBox.before(notice);
      window.setTimeout(() => notice.remove(), 8000);
      await load();
    }

    function openLink(item: DispatchItem): void {
      const number = item.registrationNumber ?? "";
      const input = h("input", { type: "search", name: "q", id: "link-search", autocomplete: "off" });
      const results = h("div", { id: "link-results" });
      const panelProblem = h("div", { hidden: true });
      const form = h("form", { class: "row search-row" }, field(t("searchCitizen"), input, t("searchHint")),
        h("button", { type: "submit" }, t("search")));
      form.addEventListener("submit", (e) => {
        e.preventDefault();
        void (async () => {
          clearProblem(panelProblem);
          const q = input.value.trim();
          if (!q) return;
          const compact = q.replace(/[\s.-]/g, "");
          const body = /^\d{13}$/.test(compact) ? { nationalId: compact } : /^\+?\d{9,15}$/.test(compact) ? { phone: compact } : { name: q };
          try {
            const found = await post<{ citizens: CitizenSummary[] }>("/api/citizens/search", { ...body, limit: 20 });
            results.replaceChildren(found.citizens.length
              ? h("ul", { class: "results" }, found.citizens.map((c) => {
                const name = `${c.lastName} ${c.firstName}`;
                const choose = h("button", { type: "button", "aria-label": t("linkThis", name) }, t("linkThis", name));
                choose.addEventListener("click", () => void (async () => {
                  clearProblem(panelProblem);
                  try {
                    const r = await busy(choose, () => post<CaseResult>(`/api/dispatch/cases/${item.caseId}/link`, { citizenId: c.id, version: item.version }));
                    await done(t("linked", r.case.registrationNumber, name));
                  } catch (error) {
                    showProblem(panelProblem, error);
                  }
                })());
                return h("li", {}, h("span", { class: "citizen-found" }, `${name} · ${c.maskedNationalId}${c.birthYear ? ` · ${c.birthYear}` : ""}`), " ", choose);
              }))
              : h("p", {}, t("noCitizens")));
          } catch (error) {
            showProblem(panelProblem, error, form);
          }
        })();
      });
      // Not registered yet: registered from the case's details and linked in one step (the server checks the CNP).
      const [first, ...rest] = (item.partyName ?? "").trim().split(/\s+/);
      const idType = h("select", { name: "idType" }, new Option(t("nationalId"), "cnp"), new Option(t("passport"), "passport"),
        new Option(t("foreignId"), "foreign_id"));
      const nationalId = h("input", { name: "nationalId", autocomplete: "off", inputmode: "numeric", id: "new-national-id" });
      const firstName = h("input", { name: "firstName", autocomplete: "off", value: first ?? "" });
      const lastName = h("input", { name: "lastName", autocomplete: "off", value: rest.join(" ") });
      const newProblem = h("div", { hidden: true });
      const register = h("button", { type: "submit" }, t("registerAndLink"));
      const newForm = h("form", { class: "new-citizen", novalidate: true },
        h("h3", {}, t("orNew")), h("p", { class: "hint" }, t("newCitizenHint")),
        field(t("idType"), idType), field(t("nationalId"), nationalId), field(t("firstName"), firstName), field(t("lastName"), lastName),
        newProblem, register);
      newForm.addEventListener("submit", (e) => {
        e.preventDefault();
        void (async () => {
          clearProblem(newProblem, newForm);
          try {
            const r = await busy(register, () => post<CaseResult>(`/api/dispatch/cases/${item.caseId}/link`, {
              citizen: { idType: idType.value, nationalId: nationalId.value.trim(), firstName: firstName.value.trim(), lastName: lastName.value.trim() },
              version: item.version,
            }));
            await done(t("linked", r.case.registrationNumber, `${lastName.value.trim()} ${firstName.value.trim()}`));
          } catch (error) {
            showProblem(newProblem, error, newForm);
          }
        })();
      });
      openPanel(t("linkTitle", number), h("p", {}, `${t("contact")}: ${item.partyName ?? "—"}`), form, panelProblem, results, newForm);
    }

    async function openDuplicate(item: DispatchItem): Promise<void> {
      const number = item.registrationNumber ?? "";
      clearProblem(problem);
      let candidates: DispatchItem[];
      try {
        candidates = (await get<DispatchQueue>(`/api/dispatch/queue${query({ kind: item.itemKind, limit: 200 })}`)).items
          .filter((i) => i.caseId && i.caseId !== item.caseId);
      } catch (error) {
        showProblem(problem, error);
        return;
      }
      const original = h("select", { name: "ofCaseId", id: "duplicate-of" });
      for (const c of candidates)
        original.append(new Option(`${c.registrationNumber} — ${c.subject ?? ""}${c.partyName ? ` (${c.partyName})` : ""}`, c.caseId!, false,
          c.caseId === item.possibleDuplicateOf?.caseId));
      const panelProblem = h("div", { hidden: true });
      const mark = h("button", { type: "submit" }, t("markIt"));
      const form = h("form", {}, field(t("originalNumber"), original), mark);
      form.addEventListener("submit", (e) => {
        e.preventDefault();
        void (async () => {
          clearProblem(panelProblem);
          const of = candidates.find((c) => c.caseId === original.value);
          if (!of) return;
          try {
            const r = await busy(mark, () => post<CaseResult>(`/api/dispatch/cases/${item.caseId}/duplicate`, { ofCaseId: of.caseId, version: item.version }));
            await done(t("markedDuplicate", r.case.registrationNumber, of.registrationNumber ?? ""));
          } catch (error) {
            showProblem(panelProblem, error, form);
          }
        })();
      });
      openPanel(t("duplicateTitle", number), form, panelProblem);
    }

    main.append(heading(t("unmatchedTitle")), problem, listBox, work);
    await load();
    const live = openDispatchStream((changes) => {
      if (work.hidden && changes.some((c) => c.caseId)) void load().catch((error) => showProblem(problem, error));
    }, () => {});
    ctx.onLeave(() => live.close());
  },
};
