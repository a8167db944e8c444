// One case at the registry desk: its details and term, its party (masked), documents, every lifecycle move the API
// allows (the law's 409 refusals shown as the server words them), internal notes, and its history.
import { get, idempotencyKey, post } from "../../api";
import { formatDate } from "../../i18n";
import type { Screen, ScreenContext } from "../../screens";
import { announce, busy, clearProblem, field, h, heading, link, showProblem } from "../../ui";
import { documentUrl, internalNoteKind, uploadDocument, type CaseDetails, type CaseFound, type TimelineEvent, type TimelinePage } from "./case-api";
import { printReceipt } from "./case-receipt";
import { caseText as t } from "./case-texts";
import { actorName, days, daysLate, daysLeft, eventKindLabel } from "./registry-words";

const deskRoles = ["clerk", "supervisor"];

interface AttachedDocument {
  sha256: string;
  fileName: string | null;
  contentType: string;
  at: string;
}

function dl(rows: [string, Node | string | null | undefined][]): HTMLDListElement {
  return h("dl", { class: "case-facts" }, rows.filter(([, v]) => v !== null && v !== undefined && v !== "").map(([k, v]) => [h("dt", {}, k), h("dd", {}, v!)]).flat());
}

function sendingMethod(name: string, label: string, required = true): HTMLElement {
  const s = h("select", { name, required }, ["email", "post", "in_person"].map((m) => h("option", { value: m }, t(`via.${m}` as never))));
  return field(label, s);
}

/** The term as a clerk reads it: the date, and the days left or how late it is. */
export function termText(c: { dueOn: string | null; daysLeft: number | null; late: boolean }): string {
  if (!c.dueOn) return t("noTerm");
  if (c.daysLeft === null) return c.late ? t("termAnsweredLate", formatDate(c.dueOn)) : t("termDue", formatDate(c.dueOn));
  if (c.late) return t("termLate", formatDate(c.dueOn), daysLate(-c.daysLeft));
  return t("termLeft", formatDate(c.dueOn), daysLeft(c.daysLeft));
}

/** Draws the case into root (the screen's container); after a change it draws it again, with what was done on top. */
async function draw(root: HTMLElement, ctx: ScreenContext, message?: string): Promise<void> {
  const id = ctx.params[0];
  const [c, history] = await Promise.all([
    get<CaseDetails>(`/api/cases/${id}`),
    get<TimelinePage>(`/api/timeline/cases/${id}?limit=50`),
  ]);
  const main = h("div", {});
  const redraw = (done: string) => draw(root, ctx, done);
  const mayAct = deskRoles.includes(ctx.me.role);

  // Facts.
  const title = heading(`${t(`kind.${c.kind}` as never)} ${c.registrationNumber}`);
  const done = h("p", { class: "notice case-done", tabindex: "-1", role: "status", hidden: true });
  const termLine = h("span", { class: c.late ? "late" : "" }, termText(c));
  const facts = h("section", { class: "card", "aria-labelledby": "case-facts-title" }, h("h2", { id: "case-facts-title" }, t("details")), dl([
    [t("status"), h("span", { class: `case-status case-status-${c.status}` }, t(`status.${c.status}` as never))],
    [t("subject"), c.subject],
    [t("description"), c.description],
    [t("register.label"), c.register],
    [t("channel"), t(`channel.${c.channel}` as never)],
    [t("registeredOn"), formatDate(c.registeredOn)],
    [t("term"), termLine],
    [t("extendedBy"), c.extendedByDays ? days(c.extendedByDays) : null],
    [t("forwardBy"), c.forwardBy ? formatDate(c.forwardBy) : null],
    [t("refuseBy"), c.refuseBy ? formatDate(c.refuseBy) : null],
    [t("department"), c.assignedDepartment],
    [t("assignedTo"), c.assignedTo],
    [t("forwardedTo"), c.forwardedTo],
    [t("note"), c.note],
  ]));
  const party = h("section", { class: "card", "aria-labelledby": "case-party-title" }, h("h2", { id: "case-party-title" }, t("party")), dl([
    [t("partyKind"), t(`party.${c.party.kind}` as never)],
    [t("partyName"), c.party.citizenId ? link(`citizen/${c.party.citizenId}`, c.party.displayName) : c.party.displayName],
    [t("orgCui"), c.party.organisationCui],
    [t("contactDetails"), c.party.contactDetails],
  ]));
  const answer = c.answer ? h("section", { class: "card case-wide", "aria-labelledby": "case-answer-title" }, h("h2", { id: "case-answer-title" }, t("answer")), dl([
    [t("outgoingNumber"), c.answer.outgoingNumber],
    [t("answeredOn"), formatDate(c.answer.answeredOn)],
    [t("sentVia"), t(`via.${c.answer.sentVia}` as never)],
    [t("signedBy"), c.answer.signedBy],
    [t("legalBasis"), c.answer.legalBasis],
    [t("answerText"), c.answer.text],
    [t("answerDocument"), c.answer.documentSha256 ? h("a", { href: documentUrl(c.id, c.answer.documentSha256), download: "" }, t("download")) : null],
  ])) : null;

  // Documents, as their attachments are recorded on the history.
  const events = [...history.events];
  const documents = (): AttachedDocument[] => {
    const seen = new Map<string, AttachedDocument>();
    for (const e of [...events].reverse())
      if (e.kind === "case.document_attached" && e.payload && typeof e.payload.sha256 === "string")
        seen.set(e.payload.sha256, { sha256: e.payload.sha256, fileName: (e.payload.fileName as string | null) ?? null,
          contentType: String(e.payload.contentType ?? ""), at: e.occurredAt });
    return [...seen.values()];
  };
  const docs = documents();
  const file = h("input", { type: "file", name: "document", accept: ".pdf,.png,.jpg,.jpeg,.docx,.odt,application/pdf,image/png,image/jpeg" });
  const uploadButton = h("button", { type: "submit", class: "secondary" }, t("upload"));
  const uploadProblem = h("div", { hidden: true });
  const uploadForm = h("form", { class: "case-upload no-print" }, field(t("document"), file, t("documentHint")), uploadButton, uploadProblem);
  uploadForm.addEventListener("submit", (e) => {
    e.preventDefault();
    clearProblem(uploadProblem);
    const chosen = file.files?.[0];
    if (!chosen) return;
    void busy(uploadButton, async () => {
      try {
        await uploadDocument(c.id, chosen);
        await redraw(t("uploaded", chosen.name));
      } catch (error) {
        showProblem(uploadProblem, error);
      }
    });
  });
  const documentsCard = h("section", { class: "card", "aria-labelledby": "case-docs-title" }, h("h2", { id: "case-docs-title" }, t("documents")),
    docs.length === 0 ? h("p", {}, t("noDocuments")) : h("ul", { class: "case-docs" }, docs.map((d) =>
      h("li", {}, h("a", { href: documentUrl(c.id, d.sha256), download: "" }, d.fileName ?? `${d.sha256.slice(0, 8)}…`),
        ` — ${d.contentType}, ${formatDate(d.at)}`))),
    mayAct ? uploadForm : null);

  // The receipt, printed from the print stylesheet.
  const receiptHolder = h("div", {});
  const print = h("button", { type: "button", id: "print-receipt", class: "secondary" }, t("printReceipt"));
  const printProblem = h("div", { hidden: true });
  print.addEventListener("click", () => void busy(print, async () => {
    clearProblem(printProblem);
    try {
      await printReceipt(c.id, receiptHolder);
    } catch (error) {
      showProblem(printProblem, error);
    }
  }));

  // The moves: every one the API has, each a small form; the server decides, and its refusal is shown as it is.
  const move = (action: string, controls: HTMLElement[], body: (form: HTMLFormElement) => Promise<unknown> | unknown, hint?: string): HTMLElement => {
    const problem = h("div", { hidden: true });
    const button = h("button", { type: "submit" }, t(`move.${action}` as never));
    const form = h("form", { class: "case-move-form", novalidate: true, "data-move": action }, hint ? h("p", { class: "hint" }, hint) : null, ...controls, problem, button);
    form.addEventListener("submit", (e) => {
      e.preventDefault();
      clearProblem(problem, form);
      void busy(button, async () => {
        try {
          const payload = await body(form);
          await post(`/api/cases/${c.id}/${action}`, payload, idempotencyKey());
          await redraw(t(`moved.${action}` as never, c.registrationNumber));
        } catch (error) {
          showProblem(problem, error, form);
        }
      });
    });
    return h("details", { class: "case-move", "data-move": action }, h("summary", {}, t(`move.${action}` as never)), form);
  };
  const value = (form: HTMLFormElement, name: string): string | null => {
    const el = form.elements.namedItem(name) as HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement | null;
    return el && el.value.trim() !== "" ? el.value : null;
  };
  const text = (name: string, label: string, hint?: string) => field(label, h("input", { name, autocomplete: "off" }), hint);
  const area = (name: string, label: string) => field(label, h("textarea", { name, rows: 3 }));

  const answerFile = h("input", { type: "file", name: "answerDocument", accept: ".pdf,.png,.jpg,.jpeg,.docx,.odt,application/pdf,image/png,image/jpeg" });
  const answerExisting = h("select", { name: "documentSha256" }, h("option", { value: "" }, t("noAnswerDocument")),
    docs.map((d) => h("option", { value: d.sha256, selected: c.answer?.documentSha256 === d.sha256 }, d.fileName ?? d.sha256.slice(0, 8))));
  // Moves that belong to one kind only (OG 27/2002 for petitions, Law 544/2001 for information requests) are offered for it only.
  const petition = c.kind === "petition";
  const information = c.kind === "information_request";
  const moves = mayAct ? h("section", { class: "card case-moves no-print", "aria-labelledby": "case-moves-title" },
    h("h2", { id: "case-moves-title" }, t("moves")), h("p", { class: "hint" }, t("movesHint")),
    move("assign", [text("department", t("department")), text("staffUsername", t("staffUsername"), t("staffUsernameHint"))],
      (f) => ({ department: value(f, "department"), staffUsername: value(f, "staffUsername") })),
    move("start", [], () => ({})),
    move("answer", [area("text", t("answerText")), text("legalBasis", t("legalBasis"), t("legalBasisHint")), text("signedBy", t("signedBy")),
      sendingMethod("sentVia", t("sentVia")), field(t("answerDocumentFile"), answerFile, t("documentHint")), field(t("answerDocumentAttached"), answerExisting)],
      async (f) => {
        let sha = value(f, "documentSha256");
        const chosen = answerFile.files?.[0];
        if (chosen) sha = (await uploadDocument(c.id, chosen)).sha256;
        return { text: value(f, "text"), legalBasis: value(f, "legalBasis"), signedBy: value(f, "signedBy"), sentVia: value(f, "sentVia"), documentSha256: sha };
      }),
    move("close", [area("note", t("note"))], (f) => ({ note: value(f, "note") })),
    petition && move("forward", [text("forwardedTo", t("forwardedTo")), sendingMethod("noticeVia", t("noticeVia")), area("note", t("note"))],
      (f) => ({ forwardedTo: value(f, "forwardedTo"), noticeVia: value(f, "noticeVia"), note: value(f, "note") }), t("forwardHint")),
    petition && move("join", [text("intoCase", t("intoCase"), t("intoCaseHint"))], async (f) => {
      const typed = (value(f, "intoCase") ?? "").replace(/\s/g, "");
      const m = /^(\d{1,9})\/(\d{4})$/.exec(typed);
      if (!m) return { intoCaseId: null };
      const found = await get<{ items: CaseFound[] }>(`/api/cases/by-registration-number/${m[1]}/${m[2]}`);
      const same = found.items.find((x) => x.registerCode === c.register) ?? found.items[0];
      return { intoCaseId: same?.id ?? "00000000-0000-0000-0000-000000000000" };
    }),
    move("file", [area("reason", t("reason"))], (f) => ({ reason: value(f, "reason") })),
    move("reject", [area("reason", t("reason")), text("legalBasis", t("legalBasis")), text("signedBy", t("signedBy")), sendingMethod("sentVia", t("sentVia")),
      ...(information ? [field(t("refusalGround"), h("select", { name: "refusalGround" }, h("option", { value: "" }, "—"),
        ["exempt", "nonexistent", "other"].map((g) => h("option", { value: g }, t(`ground.${g}` as never)))))] : [])],
      (f) => ({ reason: value(f, "reason"), legalBasis: value(f, "legalBasis"), signedBy: value(f, "signedBy"), sentVia: value(f, "sentVia"),
        refusalGround: value(f, "refusalGround") })),
    petition && move("extend", [field(t("extendDays"), h("input", { name: "days", type: "number", min: 1, max: 15, inputmode: "numeric" })), area("reason", t("reason")),
      sendingMethod("noticeVia", t("noticeVia"))],
      (f) => ({ days: value(f, "days") === null ? null : Number(value(f, "days")), reason: value(f, "reason"), noticeVia: value(f, "noticeVia") }), t("extendHint")),
    information && move("notify-extended-term", [area("reason", t("reason")), sendingMethod("noticeVia", t("noticeVia"))],
      (f) => ({ reason: value(f, "reason"), noticeVia: value(f, "noticeVia") }), t("notifyHint")),
  ) : null;

  // Internal notes: for colleagues, on the history, never shown to the public.
  const noteText = h("textarea", { name: "text", rows: 3, maxlength: 4000, id: "case-note-text" });
  const noteButton = h("button", { type: "submit", id: "add-note" }, t("addNote"));
  const noteProblem = h("div", { hidden: true });
  const noteForm = h("form", { class: "case-note-form no-print", novalidate: true }, field(t("noteLabel"), noteText, t("noteHint")), noteProblem, noteButton);
  noteForm.addEventListener("submit", (e) => {
    e.preventDefault();
    clearProblem(noteProblem, noteForm);
    void busy(noteButton, async () => {
      try {
        await post(`/api/cases/${c.id}/notes`, { text: noteText.value }, idempotencyKey());
        await redraw(t("noteAdded"));
      } catch (error) {
        showProblem(noteProblem, error, noteForm);
      }
    });
  });

  // The history, newest first, with older pages on request.
  const list = h("ol", { class: "case-history", reversed: true });
  const drawEvents = (page: TimelineEvent[]) => list.append(...page.map((e) => {
    const internal = e.kind === internalNoteKind;
    const note = internal && e.payload && typeof e.payload.text === "string" ? e.payload.text : null;
    return h("li", { class: internal ? "case-event case-event-internal" : "case-event", "data-kind": e.kind },
      h("p", { class: "case-event-head" },
        h("time", { datetime: e.occurredAt }, formatDate(e.occurredAt)), " · ",
        h("span", { class: "case-event-kind", title: e.kind }, eventKindLabel(e.kind) ?? e.kind), " · ", t(`channel.${e.channel}` as never), " · ", actorName(e.actor),
        e.onBehalfOf ? ` (${t("onBehalfOf", e.onBehalfOf)})` : null,
        internal ? h("span", { class: "case-internal-badge" }, t("internalBadge")) : null),
      h("p", { class: "case-event-text" }, note ?? e.summary));
  }));
  drawEvents(history.events);
  let before = history.nextBefore;
  const more = h("button", { type: "button", class: "secondary no-print", hidden: before === null }, t("older"));
  more.addEventListener("click", () => void busy(more, async () => {
    const page = await get<TimelinePage>(`/api/timeline/cases/${c.id}?limit=50&before=${before}`);
    events.push(...page.events);
    drawEvents(page.events);
    before = page.nextBefore;
    more.hidden = before === null;
  }));
  const historyCard = h("section", { class: "card case-history-card", "aria-labelledby": "case-history-title" },
    h("h2", { id: "case-history-title" }, t("history")), noteForm, list, more);

  const parts: (HTMLElement | null)[] = [title, done,
    h("div", { class: "row no-print case-tools" }, print, link("my-work", t("backToMyWork"), { class: "button secondary" })), printProblem,
    h("div", { class: "cards case-cards" }, facts, party, answer, documentsCard), moves, historyCard, receiptHolder];
  main.append(...parts.filter((p): p is HTMLElement => p !== null));
  root.replaceChildren(...main.childNodes);
  if (message) {
    done.textContent = message;
    done.hidden = false;
    done.focus();
    announce(message);
  }
}

async function render(main: HTMLElement, ctx: ScreenContext): Promise<void> {
  await draw(main, ctx);
}

export const caseViewScreen: Screen = { section: "my-work", route: /^case\/([0-9a-f-]{36})$/, render };
