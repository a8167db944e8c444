// The dispatchers' one queue: filters, sorting, claim, assignment (one or many) and priority, updated live.
import { ApiError, get, post, query } from "../../api";
import type { Screen, ScreenContext } from "../../screens";
import { announce, busy, clearProblem, field, h, heading, showProblem } from "../../ui";
import { openDispatchStream } from "./live";
import type { Assignee, CaseResult, DispatchItem, DispatchQueue } from "./model";
import { t, termText, word } from "./texts";

const statuses = ["registered", "assigned", "in_progress", "waiting", "open", "failed"];
const channels = ["desk", "email", "field", "ivr", "map", "phone", "post", "system", "web", "sms"];
const kinds = ["petition", "information_request", "service_request", "caller_waiting", "callback", "message", "failed_notification"];
const priorities = ["low", "normal", "high", "urgent"];
const openCase = new Set(["registered", "assigned", "in_progress"]);

type SortColumn = "number" | "term" | "arrived";

/** "12/2026" sorts by year, then number. */
function numberKey(item: DispatchItem): number {
  const m = /^(\d+)\/(\d{4})$/.exec(item.registrationNumber ?? "");
  return m ? Number(m[2]) * 1e9 + Number(m[1]) : Number.MAX_SAFE_INTEGER;
}

function termKey(item: DispatchItem): number {
  return item.daysLeft ?? Number.MAX_SAFE_INTEGER;
}

function select(name: string, options: [string, string][], value = ""): HTMLSelectElement {
  const s = h("select", { name });
  for (const [v, label] of options) s.append(new Option(label, v, false, v === value));
  return s;
}

const shortDateFormat = new Intl.DateTimeFormat("ro-RO", { day: "2-digit", month: "2-digit", year: "numeric", timeZone: "UTC" });

/** A term's day as 30.10.2026 (both languages: short, so the queue fits a laptop's screen). */
function shortDate(day: string): string {
  const at = Date.parse(day.length === 10 ? `${day}T00:00:00Z` : day);
  return Number.isNaN(at) ? day : shortDateFormat.format(at);
}

export function staffLabel(a: Assignee): string {
  return a.department ? `${a.displayName} (${a.department})` : a.displayName;
}

export const queueScreen: Screen = {
  section: "queue",
  route: /^queue$/,
  async render(main: HTMLElement, ctx: ScreenContext) {
    const problem = h("div", { hidden: true });
    const liveState = h("p", { class: "live-state", id: "queue-live", role: "status" });

    // Filters: the queue's own, sent to the server.
    const department = h("input", { name: "department", type: "text", autocomplete: "off" });
    const status = select("status", [["", t("all")], ...statuses.map((s): [string, string] => [s, word(s)])]);
    const channel = select("channel", [["", t("all")], ...channels.map((s): [string, string] => [s, word(s)])]);
    const kind = select("kind", [["", t("all")], ...kinds.map((s): [string, string] => [s, word(s)])]);
    const service = h("input", { name: "service", type: "text", autocomplete: "off" });
    const assignee = select("assignee", [["", t("anyone")], ["me", t("me")], ["unassigned", t("unassigned")]]);
    const overdue = h("input", { name: "overdue", type: "checkbox" });
    const dueWithin = h("input", { name: "dueWithinDays", type: "number", min: "0", max: "366", inputmode: "numeric" });
    const unmatched = h("input", { name: "unmatched", type: "checkbox" });
    const filterForm = h("form", { class: "dispatch-filters", id: "queue-filters", "aria-labelledby": "queue-filters-title" },
      h("h2", { id: "queue-filters-title" }, t("filters")),
      h("div", { class: "filter-grid" },
        field(t("department"), department), field(t("status"), status), field(t("channel"), channel), field(t("kind"), kind),
        field(t("service"), service), field(t("assignee"), assignee), field(t("dueWithin"), dueWithin),
        h("div", { class: "checks" },
          h("label", { class: "check" }, overdue, " ", t("overdue")),
          h("label", { class: "check" }, unmatched, " ", t("unmatchedOnly")))),
      h("div", { class: "row" }, h("button", { type: "submit", id: "queue-filter" }, t("apply")),
        h("button", { type: "reset", class: "secondary" }, t("reset"))));

    // Assignment: to whom (the active staff), then one row's "Assign" or the selected rows at once.
    const staff = select("staffUsername", [["", t("chooseStaff")]]);
    staff.id = "assign-staff";
    let assignees: Assignee[] = [];
    try {
      assignees = (await get<{ staff: Assignee[] }>("/api/dispatch/assignees")).staff;
    } catch (error) {
      showProblem(problem, error);
    }
    for (const a of assignees) {
      staff.append(new Option(staffLabel(a), a.username));
      assignee.append(new Option(staffLabel(a), a.username));
    }
    const bulkButton = h("button", { type: "button", id: "assign-selected" }, t("assignSelected"));
    const toolbar = h("div", { class: "assign-bar" },
      field(t("assignTo"), staff), bulkButton);

    // A filtered queue can be linked to: #/queue?status=registered&unmatched=true (filters only, never personal data).
    for (const control of [department, status, channel, kind, service, assignee, dueWithin] as (HTMLInputElement | HTMLSelectElement)[]) {
      const asked = ctx.query.get(control.name);
      if (asked !== null) control.value = asked;
    }
    overdue.checked = ctx.query.get("overdue") === "true";
    unmatched.checked = ctx.query.get("unmatched") === "true";

    const tableHolder = h("div", { class: "table-scroll" });
    const more = h("button", { type: "button", class: "secondary", id: "queue-more", hidden: true }, t("more"));

    let items: DispatchItem[] = [];
    let total = 0;
    let cursor: string | null = null;
    let sort: { column: SortColumn; ascending: boolean } | null = null;
    const selected = new Set<string>();
    const fresh = new Set<string>();

    function filters(): Record<string, string | number | boolean | null> {
      return {
        department: department.value.trim(), status: status.value, channel: channel.value, kind: kind.value,
        service: service.value.trim(), assignee: assignee.value, overdue: overdue.checked ? true : null,
        dueWithinDays: dueWithin.value === "" ? null : Number(dueWithin.value), unmatched: unmatched.checked ? true : null,
      };
    }

    async function load(mode: "first" | "more" | "refresh"): Promise<void> {
      const limit = mode === "refresh" ? Math.min(200, Math.max(50, items.length)) : 50;
      const page = await get<DispatchQueue>(`/api/dispatch/queue${query({ ...filters(), limit, cursor: mode === "more" ? cursor : null })}`);
      if (mode === "refresh") {
        const before = new Set(items.map((i) => i.id));
        const arrived = page.items.filter((i) => !before.has(i.id));
        arrived.forEach((i) => fresh.add(i.id));
        if (arrived.length)
          announce(t("newItems", arrived.map((i) => i.registrationNumber ?? word(i.itemKind)).join(", ")));
      }
      items = mode === "more" ? [...items, ...page.items] : page.items;
      const present = new Set(items.map((i) => i.caseId).filter((x): x is string => !!x));
      for (const id of [...selected]) if (!present.has(id)) selected.delete(id);
      total = page.total;
      cursor = page.nextCursor;
      draw();
    }

    function sorted(): DispatchItem[] {
      if (!sort) return items;
      const key = sort.column === "number" ? numberKey : sort.column === "term" ? termKey : (i: DispatchItem) => Date.parse(i.arrivedAt);
      const dir = sort.ascending ? 1 : -1;
      return [...items].sort((a, b) => (key(a) - key(b)) * dir || a.id.localeCompare(b.id));
    }

    function sortHeader(column: SortColumn, label: string): HTMLTableCellElement {
      const active = sort?.column === column;
      const button = h("button", { type: "button", class: "sort", "data-key": `sort:${column}` }, label,
        h("span", { "aria-hidden": "true" }, active ? (sort!.ascending ? " ▲" : " ▼") : " ↕"));
      button.addEventListener("click", () => {
        sort = active ? { column, ascending: !sort!.ascending } : { column, ascending: true };
        draw();
        announce(`${t("sortBy", label)}: ${sort.ascending ? t("sortedAsc") : t("sortedDesc")}`);
      });
      return h("th", { scope: "col", "aria-sort": active ? (sort!.ascending ? "ascending" : "descending") : null }, button);
    }

    function row(item: DispatchItem): HTMLTableRowElement {
      const isCase = !!item.caseId && openCase.has(item.status);
      const label = item.registrationNumber ?? word(item.itemKind);
      const check = isCase ? h("input", { type: "checkbox", "aria-label": t("selectRow", label), "data-key": `check:${item.id}` }) : null;
      if (check) {
        check.checked = selected.has(item.caseId!);
        check.addEventListener("change", () => {
          if (check.checked) selected.add(item.caseId!);
          else selected.delete(item.caseId!);
          updateBulk();
        });
      }
      const number = item.caseId
        ? h("a", { href: `#/case/${item.caseId}` }, item.registrationNumber ?? item.id)
        : h("span", {}, "—");
      const priority = isCase ? select("priority", priorities.map((p): [string, string] => [p, word(p)]), item.priority) : null;
      if (priority) {
        priority.setAttribute("aria-label", t("priorityOf", label));
        priority.dataset.key = `priority:${item.id}`;
        priority.addEventListener("change", () => void act(async () => {
          const r = await post<CaseResult>(`/api/dispatch/cases/${item.caseId}/priority`, { priority: priority.value, version: item.version });
          announce(t("prioritySet", r.case.registrationNumber, word(r.priority)));
        }));
      }
      const claim = isCase ? h("button", { type: "button", class: "secondary", "data-key": `claim:${item.id}`, "aria-label": `${t("claim")} ${label}` }, t("claim")) : null;
      claim?.addEventListener("click", () => void act(async () => {
        const r = await busy(claim, () => post<CaseResult>(`/api/dispatch/cases/${item.caseId}/claim`, { version: item.version }));
        announce(t("claimed", r.case.registrationNumber));
      }));
      const assign = isCase ? h("button", { type: "button", "data-key": `assign:${item.id}`, "aria-label": `${t("assignOne")} ${label}` }, t("assignOne")) : null;
      assign?.addEventListener("click", () => void act(async () => {
        const who = chosen();
        if (!who) return;
        const r = await busy(assign, () => post<CaseResult>(`/api/dispatch/cases/${item.caseId}/assign`, { staffUsername: who.username, version: item.version }));
        announce(t("assignedTo", r.case.registrationNumber, who.displayName));
      }));
      const term = item.dueOn
        ? h("span", { class: item.overdue ? "late" : null },
          h("span", { class: "term-date" }, shortDate(item.dueOn)), h("span", { class: "term-left" }, termText(item.daysLeft)))
        : h("span", {}, termText(null));
      // A case's subject is the petitioner's words; another item's is a code (why the caller asked, the notice's kind).
      const subject = item.caseId && item.itemKind !== "failed_notification" ? item.subject ?? "—" : word(item.subject);
      const holder = item.assignedTo
        ? assignees.find((a) => a.username === item.assignedTo)?.displayName ?? item.assignedTo
        : item.department ? t("assignedDepartment", item.department) : "—";
      return h("tr", { "data-id": item.id, "data-case": item.caseId, class: fresh.has(item.id) ? "fresh" : null },
        h("td", {}, check),
        h("td", { class: "c-number" }, number),
        h("td", { class: "actions" }, claim, assign),
        h("td", { class: "c-subject" }, h("span", { class: "subject-text" }, subject),
          h("span", { class: "party" }, item.partyName ?? word(item.partyKind)),
          item.possibleDuplicateOf ? h("span", { class: "hint" }, t("possibleDuplicate", item.possibleDuplicateOf.registrationNumber)) : null),
        h("td", { class: "c-kind" }, h("span", {}, word(item.itemKind)), h("span", { class: "channel" }, word(item.channel))),
        h("td", { class: "c-status" }, word(item.status)),
        h("td", { class: "c-assigned" }, holder),
        h("td", { class: "c-term" }, term),
        h("td", { class: "c-priority" }, priority ?? word(item.priority)));
    }

    function draw(): void {
      const focusedKey = (document.activeElement as HTMLElement | null)?.dataset?.key;
      const headers = h("tr", {},
        h("th", { scope: "col" }, h("span", { class: "visually-hidden" }, t("select"))),
        sortHeader("number", t("number")),
        h("th", { scope: "col" }, t("actions")),
        h("th", { scope: "col" }, `${t("subject")} · ${t("party")}`),
        h("th", { scope: "col" }, `${t("kind")} · ${t("channel")}`),
        h("th", { scope: "col" }, t("status")),
        h("th", { scope: "col" }, t("assigned")),
        sortHeader("term", t("term")),
        h("th", { scope: "col" }, t("priority")));
      const list = sorted();
      const tableEl = h("table", { class: "data dispatch-queue", id: "queue-table" },
        h("caption", {}, t("queueCaption", total)),
        h("thead", {}, headers),
        h("tbody", {}, list.map(row)));
      tableHolder.replaceChildren(list.length ? tableEl : h("p", { id: "queue-empty" }, t("empty")));
      more.hidden = !cursor;
      updateBulk();
      if (focusedKey) tableHolder.querySelector<HTMLElement>(`[data-key="${CSS.escape(focusedKey)}"]`)?.focus();
    }

    function updateBulk(): void {
      bulkButton.textContent = `${t("assignSelected")} (${selected.size})`;
    }

    function chosen(): Assignee | null {
      const who = assignees.find((a) => a.username === staff.value) ?? null;
      if (!who) {
        showMessage(t("pickStaff"));
        staff.focus();
      }
      return who;
    }

    function showMessage(text: string): void {
      problem.replaceChildren(h("p", {}, text));
      problem.hidden = false;
      problem.className = "problem";
      problem.setAttribute("role", "alert");
    }

    /** An action, then the queue as it is now; a refusal shown as the server said it (with each refused case of a bulk). */
    async function act(work: () => Promise<void>): Promise<void> {
      clearProblem(problem);
      try {
        await work();
      } catch (error) {
        showProblem(problem, error);
        const refused = error instanceof ApiError ? (error.problem as { refused?: { registrationNumber: string | null; reason: string }[] }).refused : undefined;
        if (refused?.length)
          problem.append(h("ul", { "aria-label": t("refused") }, refused.map((r) => h("li", {}, r.reason))));
      }
      try {
        await load("refresh");
      } catch (error) {
        showProblem(problem, error);
      }
    }

    bulkButton.addEventListener("click", () => void (async () => {
      if (selected.size === 0) {
        showMessage(t("noneSelected"));
        return;
      }
      const who = chosen();
      if (!who) return;
      const chosenItems = items.filter((i) => i.caseId && selected.has(i.caseId));
      await act(async () => {
        const r = await busy(bulkButton, () => post<{ cases: CaseResult[] }>("/api/dispatch/cases/assign", {
          caseIds: chosenItems.map((i) => i.caseId), staffUsername: who.username, versions: chosenItems.map((i) => i.version),
        }));
        selected.clear();
        announce(t("bulkAssigned", r.cases.length, who.displayName));
      });
    })());

    filterForm.addEventListener("submit", (e) => {
      e.preventDefault();
      clearProblem(problem);
      fresh.clear();
      void load("first").catch((error) => showProblem(problem, error, filterForm));
    });
    filterForm.addEventListener("reset", () => window.setTimeout(() => filterForm.requestSubmit(), 0));
    more.addEventListener("click", () => void busy(more, () => load("more")).catch((error) => showProblem(problem, error)));

    main.append(heading(t("queueTitle")), filterForm, problem, toolbar, liveState, tableHolder, more);
    await load("first");

    // Live: each burst of changes rereads the queue (the stream carries no names), new items announced.
    let refreshing = false;
    let again = false;
    const refresh = async (): Promise<void> => {
      if (refreshing) {
        again = true;
        return;
      }
      refreshing = true;
      try {
        do {
          again = false;
          await load("refresh");
        } while (again);
      } catch (error) {
        showProblem(problem, error);
      } finally {
        refreshing = false;
      }
    };
    const live = openDispatchStream(() => void refresh(), (connected) => {
      // (Re)connected: whatever changed before the stream started (or while it was down) is read now.
      if (connected) void refresh();
      liveState.textContent = connected ? t("live") : t("liveLost");
      liveState.dataset.connected = String(connected);
    });
    ctx.onLeave(() => live.close());
  },
};
