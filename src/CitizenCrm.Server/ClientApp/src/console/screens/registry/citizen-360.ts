// The citizen's 360° view (#/citizen/<id>): identity with the CNP masked until "show" (an audited read), contact details,
// taxes and unpaid fines, open cases with their terms, the unified timeline, and the desk's actions on the record.
import { get, idempotencyKey, post } from "../../api";
import { formatDate, formatMoney } from "../../i18n";
import type { Screen, ScreenContext } from "../../screens";
import { busy, clearProblem, field, h, heading, noticeLine, showProblem, table } from "../../ui";
import { t, type CitizenTextKey } from "./citizen-texts";
import { timelineSection } from "./citizen-timeline";
import { daysLate, daysLeft, pick } from "./registry-words";

export interface Citizen {
  id: string;
  idType: string;
  nationalId: string;
  firstName: string;
  lastName: string;
  dateOfBirth: string | null;
  address: string | null;
  preferredLanguage: string;
  phones: string[];
  emails: string[];
  hasPhonePin: boolean;
  version: number;
}

interface TaxObligation {
  obligationId: string;
  taxKind: string;
  fiscalYear: number;
  description: string;
  outstanding: number;
  lateIncrease: number;
  payableNow: number;
  nextDueDate: string | null;
  nextInstalment: number;
  overdue: boolean;
}

interface TaxBalance {
  asOf: string;
  ledgerExportedOn: string | null;
  totalPayableNow: number;
  obligations: TaxObligation[];
}

interface UnpaidFine {
  fineId: string;
  reportNumber: string;
  handedOverOn: string;
  legalBasis: string;
  outstanding: number;
  halfMinimumAmount: number | null;
  halfMinimumDeadline: string | null;
}

interface UnpaidFines {
  count: number;
  totalOutstanding: number;
  fines: UnpaidFine[];
}

interface CaseStatusView {
  caseId: string;
  registrationNumber: string;
  kind: string;
  status: string;
  subject: string;
  registeredOn: string;
  dueOn: string | null;
  daysLeft: number | null;
  late: boolean;
}

interface CitizenCases {
  items: CaseStatusView[];
  total: number;
}

interface IssuedPhonePin {
  pin: string;
}

interface PhoneAccessUnlocked {
  wasLocked: boolean;
}

/** The API's amounts are lei, exact to the ban; formatMoney takes bani. */
const lei = (amount: number | null | undefined) => (amount === null || amount === undefined ? formatMoney(null) : formatMoney(Math.round(amount * 100)));

const known = (prefix: string, value: string) => {
  const key = `${prefix}_${value}` as CitizenTextKey;
  const text = t(key);
  return text === key ? value : text;
};

function definition(term: string, ...value: (Node | string)[]): HTMLElement[] {
  return [h("dt", {}, term), h("dd", {}, ...value)];
}

export const citizen360Screen: Screen = {
  section: "citizens",
  route: /^citizen\/([0-9a-f-]{36})$/,
  async render(main: HTMLElement, ctx: ScreenContext) {
    const id = ctx.params[0];
    const base = `/api/citizens/${id}`;
    const [citizen, taxes, fines, cases] = await Promise.allSettled([
      get<Citizen>(base),
      get<TaxBalance>(`${base}/taxes`),
      get<UnpaidFines>(`${base}/fines`),
      get<CitizenCases>(`${base}/cases?openOnly=true&limit=50`),
    ]);
    if (citizen.status === "rejected") throw citizen.reason;
    const c = citizen.value;
    const mayWrite = ctx.me.role === "clerk" || ctx.me.role === "supervisor";
    const { notice, say } = noticeLine();
    const problem = h("div", { hidden: true });

    // Identity: the CNP as the server masked it, until "show" asks for it whole (reveal=true, audited by the server).
    const cnpValue = h("span", { class: "cnp", id: "citizen-cnp" }, c.nationalId);
    const phonesValue = h("span", { id: "citizen-phones" }, c.phones.join(", ") || t("none"));
    const reveal = h("button", { type: "button", class: "secondary", id: "show-cnp", "aria-controls": "citizen-cnp citizen-phones" }, t("showCnp"));
    let revealed = false;
    reveal.addEventListener("click", () => void busy(reveal, async () => {
      clearProblem(problem);
      if (revealed) {
        cnpValue.textContent = c.nationalId;
        phonesValue.textContent = c.phones.join(", ") || t("none");
        reveal.textContent = t("showCnp");
        revealed = false;
        return;
      }
      try {
        const whole = await get<Citizen>(`${base}?reveal=true`);
        cnpValue.textContent = whole.nationalId;
        phonesValue.textContent = whole.phones.join(", ") || t("none");
        reveal.textContent = t("hideCnp");
        revealed = true;
      } catch (error) {
        showProblem(problem, error);
      }
    }));
    const identity = h("section", { class: "card", "aria-labelledby": "identity-title" },
      h("h2", { id: "identity-title" }, t("identity")),
      h("dl", { class: "facts" },
        definition(c.idType === "cnp" ? t("cnp") : known("idType", c.idType), cnpValue, " ", reveal),
        definition(t("born"), formatDate(c.dateOfBirth)),
        definition(t("language"), known("lang", c.preferredLanguage))),
      h("p", { class: "hint" }, t("revealNote")));

    const contact = h("section", { class: "card", "aria-labelledby": "contact-title" },
      h("h2", { id: "contact-title" }, t("contact")),
      h("dl", { class: "facts" },
        definition(t("phonesLabel"), phonesValue),
        definition(t("emailsLabel"), c.emails.join(", ") || t("none")),
        definition(t("addressLabel"), c.address ?? t("none")),
        definition(t("phonePin"), h("span", { id: "pin-state" }, c.hasPhonePin ? t("hasPin") : t("noPin")))));

    // Taxes and fines.
    const money = h("section", { class: "card money", "aria-labelledby": "money-title" }, h("h2", { id: "money-title" }, t("money")));
    if (taxes.status === "fulfilled") {
      const b = taxes.value;
      const owing = b.obligations.filter((o) => o.payableNow > 0);
      money.append(
        h("p", { class: "balance" }, h("span", {}, t("balance"), ": "), h("strong", { id: "balance-total" }, lei(b.totalPayableNow))),
        h("p", { class: "hint" }, t("ledgerAsOf", formatDate(b.ledgerExportedOn ?? b.asOf))),
        owing.length === 0 ? h("p", {}, t("noTaxes")) : table(t("taxCaption"), [t("colTax"), t("colYear"), t("colDescription"), t("colPayable"), t("colNextDue")],
          owing.map((o) => [known("tax", o.taxKind), o.fiscalYear, o.description, lei(o.payableNow),
            o.overdue ? h("span", { class: "late" }, t("overdue")) : o.nextDueDate ? `${formatDate(o.nextDueDate)} (${lei(o.nextInstalment)})` : t("none")]),
          { className: "data compact" }));
    } else {
      const box = h("div", {});
      showProblem(box, taxes.reason);
      money.append(box);
    }
    if (fines.status === "fulfilled") {
      const f = fines.value;
      money.append(h("h3", {}, t("fines")),
        f.count === 0 ? h("p", { id: "fines-total" }, t("noFines")) : h("p", { id: "fines-total" }, f.count === 1 ? t("finesOne", lei(f.totalOutstanding)) : t(pick(f.count, "finesOne", "finesTotal", "finesTotalMany"), f.count, lei(f.totalOutstanding))));
      if (f.count > 0) money.append(table(t("fineCaption"), [t("colReport"), t("colHandedOver"), t("colOutstanding"), t("colHalf")],
          f.fines.map((x) => [x.reportNumber, formatDate(x.handedOverOn), lei(x.outstanding),
            x.halfMinimumAmount !== null && x.halfMinimumDeadline ? t("halfUntil", lei(x.halfMinimumAmount), formatDate(x.halfMinimumDeadline)) : t("none")]),
          { className: "data compact" }));
    } else {
      const box = h("div", {});
      showProblem(box, fines.reason);
      money.append(box);
    }

    // Open cases with their terms.
    const casesCard = h("section", { class: "card cases", "aria-labelledby": "cases-title" }, h("h2", { id: "cases-title" }, t("cases")));
    if (cases.status === "fulfilled") {
      const items = cases.value.items;
      casesCard.append(items.length === 0 ? h("p", {}, t("noCases")) :
        table(t("casesCaption"), [t("colNumber"), t("colKind"), t("colSubject"), t("colStatus"), t("colDue")],
          items.map((x) => [
            h("a", { href: `#/case/${x.caseId}` }, x.registrationNumber), known("kind", x.kind), x.subject, known("status", x.status),
            x.dueOn === null ? t("none") : h("span", { class: x.late ? "late" : "due" }, h("span", { class: "term-part" }, formatDate(x.dueOn)),
              x.daysLeft === null ? null : [" ", h("span", { class: "term-days" }, `(${x.late ? daysLate(Math.abs(x.daysLeft)) : daysLeft(x.daysLeft)})`)]),
          ]), { className: "data compact cases-table" }));
    } else {
      const box = h("div", {});
      showProblem(box, cases.reason);
      casesCard.append(box);
    }

    // The desk's actions.
    const actions = h("div", { class: "row citizen-actions no-print", role: "group", "aria-label": t("actions") });
    const panels = h("div", { class: "citizen-panels" });
    if (mayWrite) {
      actions.append(h("a", { class: "button", href: `#/new-case?citizen=${c.id}`, id: "new-case-for-citizen" }, t("newCase")));
      let hasPin = c.hasPhonePin;
      const pinButton = h("button", { type: "button", class: "secondary", id: "issue-pin" }, hasPin ? t("resetPin") : t("issuePin"));
      const issue = async () => {
        clearProblem(problem);
        try {
          const issued = await post<IssuedPhonePin>(`${base}/phone-pin`);
          hasPin = true;
          unlock.hidden = false;
          pinButton.textContent = t("resetPin");
          document.getElementById("pin-state")!.textContent = t("hasPin");
          const done = h("button", { type: "button" }, t("pinDismiss"));
          const box = h("section", { class: "pin-box", id: "pin-box", role: "alert", "aria-labelledby": "pin-box-title" },
            h("h2", { id: "pin-box-title" }, t("pinBoxTitle")),
            h("p", { class: "pin", id: "pin-value" }, issued.pin),
            h("p", { class: "pin-note" }, t("pinBoxNote")), done);
          done.addEventListener("click", () => {
            box.remove();
            pinButton.focus();
          });
          panels.replaceChildren(box);
          done.focus();
          void timeline.reload();
        } catch (error) {
          showProblem(problem, error);
        }
      };
      pinButton.addEventListener("click", () => {
        if (!hasPin) {
          void busy(pinButton, issue);
          return;
        }
        const yes = h("button", { type: "button", class: "danger", id: "reset-pin-yes" }, t("resetYes"));
        const no = h("button", { type: "button", class: "secondary" }, t("cancel"));
        const confirm = h("section", { class: "confirm", role: "alertdialog", "aria-labelledby": "reset-confirm-text" },
          h("p", { id: "reset-confirm-text" }, t("resetConfirm")), h("div", { class: "row" }, yes, no));
        yes.addEventListener("click", () => void busy(yes, issue));
        no.addEventListener("click", () => {
          confirm.remove();
          pinButton.focus();
        });
        panels.replaceChildren(confirm);
        no.focus();
      });
      // Only a citizen with a phone PIN can be locked out of the phone line: the button shows once a PIN exists.
      const unlock = h("button", { type: "button", class: "secondary", id: "unlock-phone", hidden: !hasPin }, t("unlock"));
      unlock.addEventListener("click", () => void busy(unlock, async () => {
        clearProblem(problem);
        try {
          const result = await post<PhoneAccessUnlocked>(`/api/citizens/${id}/phone-access/unlock`);
          say(result.wasLocked ? t("unlocked") : t("notLocked"));
          void timeline.reload();
        } catch (error) {
          showProblem(problem, error);
        }
      }));
      actions.append(pinButton, unlock);
    }
    const visit = h("button", { type: "button", class: "secondary", id: "log-visit", "aria-expanded": "false" }, t("logVisit"));
    visit.addEventListener("click", () => {
      const summary = h("input", { name: "summary", required: true, maxlength: 300 });
      const notes = h("textarea", { name: "notes", maxlength: 4000 });
      const save = h("button", { type: "submit" }, t("visitSave"));
      const cancel = h("button", { type: "button", class: "secondary" }, t("cancel"));
      const formProblem = h("div", { hidden: true });
      const form = h("form", { class: "visit-form", "aria-label": t("logVisit"), novalidate: true },
        field(t("visitSummary"), summary), field(t("visitNotes"), notes), formProblem, h("div", { class: "row" }, save, cancel));
      const close = () => {
        form.remove();
        visit.setAttribute("aria-expanded", "false");
        visit.focus();
      };
      cancel.addEventListener("click", close);
      form.addEventListener("submit", (e) => {
        e.preventDefault();
        void busy(save, async () => {
          clearProblem(formProblem, form);
          try {
            await post(`${base}/interactions`, { type: "desk_visit", channel: "desk", summary: summary.value, notes: notes.value || null }, idempotencyKey());
            close();
            say(t("visitSaved"));
            await timeline.reload();
          } catch (error) {
            showProblem(formProblem, error, form);
          }
        });
      });
      panels.replaceChildren(form);
      visit.setAttribute("aria-expanded", "true");
      summary.focus();
    });
    actions.append(visit);

    const timeline = timelineSection(id, ctx.onLeave);
    main.append(
      heading(`${c.lastName} ${c.firstName}`),
      h("p", { class: "subtitle" }, t("title360")),
      actions, panels, notice, problem,
      h("div", { class: "citizen-grid" }, identity, contact, money, casesCard),
      timeline.section);
    main.classList.add("citizen-360");
    // The first page is asked for once the screen is on the page, so it is drawn (and timed) where it is seen.
    window.setTimeout(() => void timeline.reload(), 0);
  },
};
