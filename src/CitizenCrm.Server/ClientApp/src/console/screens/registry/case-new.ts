// Registering a petition, a public-information request (Law 544/2001) or a service request at the desk, for a citizen
// found in the register, an organisation, a person not in the register, or nobody known (an anonymous petition); or
// brought by a volunteer or a mobile team on a citizen's behalf (POST /api/intake/field, which records on whose behalf).
// Then the number, the term and the receipt to print.
import { get, idempotencyKey, post } from "../../api";
import { formatDate } from "../../i18n";
import type { Screen, ScreenContext } from "../../screens";
import { busy, clearProblem, field, h, heading, link, showProblem, announce } from "../../ui";
import type { CaseDetails, CitizenSummary, Named } from "./case-api";
import { printReceipt } from "./case-receipt";
import { caseText as t } from "./case-texts";
import { daysLeft } from "./registry-words";

type PartyChoice = "citizen" | "organisation" | "contact" | "anonymous";

interface ChosenCitizen {
  id: string;
  name: string;
  masked: string;
}

function radios(name: string, legend: string, options: [string, string][], checked: string, onChange: (value: string) => void): HTMLFieldSetElement {
  return h("fieldset", { class: "case-choice" }, h("legend", {}, legend), options.map(([value, label]) => {
    const input = h("input", { type: "radio", name, value, checked: value === checked });
    input.addEventListener("change", () => input.checked && onChange(value));
    return h("label", { class: "case-radio" }, input, ` ${label}`);
  }));
}

function select(name: string, options: [string, string][], selected?: string): HTMLSelectElement {
  return h("select", { name }, options.map(([value, label]) => h("option", { value, selected: value === selected }, label)));
}

async function render(main: HTMLElement, ctx: ScreenContext): Promise<void> {
  const [registers, services] = await Promise.all([
    get<Named[]>("/api/registry/registers"),
    get<(Named & { active: boolean })[]>("/api/registry/categories"),
  ]);

  let kind = "petition";
  let party: PartyChoice = "citizen";
  let chosen: ChosenCitizen | null = null;

  const kindChoice = radios("kind", t("kind"), [["petition", t("kind.petition")], ["information_request", t("kind.information_request")],
    ["service_request", t("kind.service_request")]], kind, (v) => {
    kind = v;
    show();
  });
  const service = select("service", [["", t("chooseService")], ...services.filter((s) => s.active).map((s): [string, string] => [s.code, s.name])]);
  const serviceField = field(t("service"), service);
  const register = select("register", registers.map((r): [string, string] => [r.code, `${r.name} (${r.code})`]), "general");
  const channel = select("channel", ["desk", "post", "email", "phone"].map((c): [string, string] => [c, t(`channel.${c}` as never)]), "desk");
  const written = h("input", { type: "checkbox", name: "writtenAndConfirmed" });
  const writtenField = h("div", { class: "field case-check" }, h("label", {}, written, ` ${t("writtenAndConfirmed")}`));

  const partyChoice = radios("partyKind", t("party"), [["citizen", t("party.citizen")], ["organisation", t("party.organisation")],
    ["contact", t("party.contact")], ["anonymous", t("party.anonymous")]], party, (v) => {
    party = v as PartyChoice;
    show();
  });

  // The citizen, found by name (diacritics optional), CNP or phone, as the "/" search does.
  const citizenQuery = h("input", { type: "search", name: "citizenId", autocomplete: "off" });
  const citizenGo = h("button", { type: "button", class: "secondary" }, t("findCitizen"));
  const citizenResults = h("div", { class: "case-citizen-results", "aria-live": "polite" });
  const chosenLine = h("p", { class: "case-chosen", "aria-live": "polite" });
  const findCitizens = async () => {
    const q = citizenQuery.value.trim();
    if (!q) return;
    const compact = q.replace(/[\s.-]/g, "");
    const body = /^\d{13}$/.test(compact) ? { nationalId: compact } : /^\+?\d{9,15}$/.test(compact) ? { phone: compact } : { name: q };
    try {
      const found = await post<{ citizens: CitizenSummary[] }>("/api/citizens/search", { ...body, limit: 10 });
      citizenResults.replaceChildren(found.citizens.length === 0 ? h("p", {}, t("noCitizen", q)) :
        h("ul", { class: "results" }, found.citizens.map((c) => {
          const name = `${c.lastName} ${c.firstName}`;
          const choose = h("button", { type: "button", class: "secondary", "aria-label": t("chooseCitizenNamed", name) }, t("chooseCitizen"));
          choose.addEventListener("click", () => {
            chosen = { id: c.id, name, masked: c.maskedNationalId };
            citizenResults.replaceChildren();
            drawChosen();
            announce(t("citizenChosen", name));
          });
          return h("li", {}, `${name} — ${c.maskedNationalId}${c.birthYear ? `, ${c.birthYear}` : ""} `, choose);
        })));
    } catch (error) {
      showProblem(citizenResults, error);
    }
  };
  citizenGo.addEventListener("click", () => void busy(citizenGo, findCitizens));
  citizenQuery.addEventListener("keydown", (e) => {
    if (e.key === "Enter") {
      e.preventDefault();
      void busy(citizenGo, findCitizens);
    }
  });
  const drawChosen = () => chosenLine.replaceChildren(chosen ? `${t("chosen")}: ${chosen.name} — ${chosen.masked}` : t("noneChosen"));
  const citizenBox = h("div", { class: "case-party-box" },
    h("div", { class: "row case-search-row" }, field(t("findCitizenLabel"), citizenQuery, t("findCitizenHint")), citizenGo),
    citizenResults, chosenLine);

  const orgName = h("input", { name: "organisation.name", autocomplete: "organization" });
  const orgCui = h("input", { name: "organisation.cui", inputmode: "numeric" });
  const orgBox = h("div", { class: "case-party-box" }, field(t("orgName"), orgName), field(t("orgCui"), orgCui, t("orgCuiHint")));
  const contactName = h("input", { name: "contact.name", autocomplete: "off" });
  const contactDetails = h("input", { name: "contact.details", autocomplete: "off" });
  const contactBox = h("div", { class: "case-party-box" }, field(t("contactName"), contactName), field(t("contactDetails"), contactDetails, t("contactDetailsHint")));
  const anonymousBox = h("p", { class: "case-party-box hint" }, t("anonymousHint"));

  // Brought by a volunteer or a mobile team: registered as a field request, on the party's behalf.
  const brought = h("input", { type: "checkbox", name: "broughtByVolunteer" });
  const broughtField = h("div", { class: "field case-check" }, h("label", {}, brought, ` ${t("broughtByVolunteer")}`),
    h("p", { class: "hint" }, t("broughtByVolunteerHint")));

  const subject = h("input", { name: "subject", maxlength: 300, required: true });
  const description = h("textarea", { name: "description", rows: 5 });
  const problem = h("div", { hidden: true });
  const submit = h("button", { type: "submit", id: "register-case" }, t("register"));
  const form = h("form", { class: "case-form", novalidate: true },
    kindChoice, serviceField, h("div", { class: "row case-row" }, field(t("register.label"), register), field(t("channel"), channel)), writtenField,
    partyChoice, citizenBox, orgBox, contactBox, anonymousBox, broughtField,
    field(t("subject"), subject), field(t("description"), description), problem, submit);

  const result = h("div", { class: "case-result" });
  const receiptHolder = h("div", {});

  function show(): void {
    serviceField.hidden = kind !== "service_request";
    writtenField.hidden = !(kind === "petition" && channel.value === "phone");
    citizenBox.hidden = party !== "citizen";
    orgBox.hidden = party !== "organisation";
    contactBox.hidden = party !== "contact";
    anonymousBox.hidden = party !== "anonymous";
    broughtField.hidden = !(party === "citizen" || party === "contact");
    if (broughtField.hidden) brought.checked = false;
    const field = brought.checked;
    register.disabled = field;
    channel.disabled = field;
  }
  channel.addEventListener("change", show);
  brought.addEventListener("change", show);

  // A citizen named in the address (#/new-case?citizen=<id>, from the citizen's page) is chosen already.
  const preset = ctx.query.get("citizen");
  if (preset && /^[0-9a-f-]{36}$/.test(preset)) {
    try {
      const c = await get<{ id: string; firstName: string; lastName: string; nationalId: string }>(`/api/citizens/${preset}`);
      chosen = { id: c.id, name: `${c.lastName} ${c.firstName}`, masked: c.nationalId };
    } catch (error) {
      showProblem(problem, error);
    }
  }
  drawChosen();
  show();

  form.addEventListener("submit", (e) => {
    e.preventDefault();
    clearProblem(problem, form);
    void busy(submit, async () => {
      const common = { kind, subject: subject.value, description: description.value || null, service: kind === "service_request" ? service.value || null : null };
      const partyBody =
        party === "citizen" ? { citizenId: chosen?.id ?? null }
        : party === "organisation" ? { organisation: { name: orgName.value, cui: orgCui.value } }
        : party === "contact" ? { contact: { name: contactName.value, details: contactDetails.value } }
        : { anonymous: true };
      if (party === "citizen" && !chosen) {
        problem.hidden = false;
        problem.className = "problem";
        problem.setAttribute("role", "alert");
        problem.replaceChildren(h("p", { class: "problem-title" }, t("chooseCitizenFirst")));
        citizenQuery.focus();
        return;
      }
      try {
        const c = brought.checked
          ? await post<CaseDetails>("/api/intake/field", { ...common, ...partyBody }, idempotencyKey())
          : await post<CaseDetails>("/api/cases", {
              ...common, ...partyBody, channel: channel.value, register: register.value,
              writtenAndConfirmed: !writtenField.hidden && written.checked,
            }, idempotencyKey());
        drawResult(c);
      } catch (error) {
        showProblem(problem, error, form);
      }
    });
  });

  function drawResult(c: CaseDetails): void {
    const print = h("button", { type: "button", id: "print-receipt" }, t("printReceipt"));
    const printProblem = h("div", { hidden: true });
    print.addEventListener("click", () => void busy(print, async () => {
      clearProblem(printProblem);
      try {
        await printReceipt(c.id, receiptHolder);
      } catch (error) {
        showProblem(printProblem, error);
      }
    }));
    const term = c.dueOn ? t("registeredTerm", formatDate(c.dueOn), daysLeft(c.daysLeft ?? 0)) : t("registeredNoTerm");
    const done = h("section", { class: "notice case-registered", tabindex: "-1", "aria-labelledby": "case-registered-title" },
      h("h2", { id: "case-registered-title" }, t("registeredAs", t(`kind.${c.kind}` as never), c.registrationNumber)),
      h("p", { class: "case-registered-term" }, term),
      c.status === "filed" ? h("p", {}, c.note ?? "") : null,
      h("div", { class: "row no-print" }, print, link(`case/${c.id}`, t("openCase"), { class: "button secondary" }),
        link(`new-case?after=${encodeURIComponent(c.registrationNumber)}`, t("another"), { class: "button secondary", id: "another-case" })),
      printProblem);
    form.hidden = true;
    result.replaceChildren(done);
    done.focus();
    announce(t("registeredAs", t(`kind.${c.kind}` as never), c.registrationNumber));
  }

  main.append(heading(t("newCaseTitle")), form, result, receiptHolder);
}

export const caseNewScreen: Screen = { section: "new-case", route: /^new-case$/, render };
