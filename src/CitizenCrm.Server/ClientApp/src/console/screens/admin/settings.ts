// The city hall's settings: the service catalogue, the notification texts, the registers and request categories, the
// non-working days and the Open311 app keys. Each a table and a form; refusals shown as the server words them.
import { get, idempotencyKey, post, put, query } from "../../api";
import { currentLang, formatDate, textsOf } from "../../i18n";
import type { Screen } from "../../screens";
import { announce, busy, clearProblem, field, h, heading, showProblem } from "../../ui";
import { bucharestToday, codeLabel, confirmAction, instant, scrollable } from "../supervisor/kit";
import { adminTexts } from "./texts";

const t = textsOf(adminTexts);

/** A status line that screen readers hear. */
function notices(): { box: HTMLParagraphElement; say(text: string): void } {
  const box = h("p", { class: "notice", role: "status", hidden: true });
  return {
    box,
    say(text) {
      box.textContent = text;
      box.hidden = false;
      announce(text);
    },
  };
}

function headRow(...names: string[]): HTMLTableSectionElement {
  return h("thead", {}, h("tr", {}, names.map((x) => h("th", { scope: "col" }, x))));
}

// ---------- the service catalogue ----------

interface Translations {
  ro: string | null;
  en: string | null;
  hu: string | null;
}

interface CatalogueService {
  code: string;
  name: string;
  names: Translations;
  descriptions: Translations;
  department: string;
  documents: { name: string; names: Translations }[];
  feeLei: number;
  processingDays: number;
  channels: string[];
  incident: boolean;
  attributes: { code: string; datatype: string; required: boolean; questions: Translations; values: { key: string; names: Translations }[] }[];
  active: boolean;
}

export const catalogueScreen: Screen = {
  section: "catalogue",
  route: /^catalogue$/,
  async render(main) {
    const note = notices();
    const listBox = h("div", {});
    let services: CatalogueService[] = [];
    let editing: CatalogueService | null = null;

    const code = h("input", { name: "code", required: true, spellcheck: "false" });
    const nameRo = h("input", { name: "names.ro", required: true });
    const nameEn = h("input", { name: "names.en" });
    const nameHu = h("input", { name: "names.hu" });
    const descRo = h("textarea", { name: "descriptions.ro" });
    const descEn = h("textarea", { name: "descriptions.en" });
    const department = h("input", { name: "department", required: true });
    const fee = h("input", { name: "feeLei", type: "number", min: "0", step: "0.01", value: "0" });
    const days = h("input", { name: "processingDays", type: "number", min: "1", max: "365", value: "30" });
    const channels = h("input", { name: "channels", value: "desk, web" });
    const incident = h("input", { name: "incident", type: "checkbox" });
    const active = h("input", { name: "active", type: "checkbox", checked: true });
    const formTitle = h("h2", { id: "service-form-title" }, t("newService"));
    const problem = h("div", { hidden: true });
    const submit = h("button", { type: "submit", id: "save-service" }, t("save"));
    const cancel = h("button", { type: "button", class: "secondary", hidden: true }, t("cancel"));
    const form = h("form", { class: "service", "aria-labelledby": "service-form-title", novalidate: true }, formTitle,
      field(t("code"), code, t("codeHint")), field(t("nameRo"), nameRo), field(t("nameEn"), nameEn), field(t("nameHu"), nameHu),
      field(t("descRo"), descRo), field(t("descEn"), descEn), field(t("department"), department), field(t("fee"), fee),
      field(t("processingDays"), days), field(t("channels"), channels, t("channelsHint")),
      h("div", { class: "field checkbox" }, h("label", {}, incident, ` ${t("incident")}`)),
      h("div", { class: "field checkbox" }, h("label", {}, active, ` ${t("active")}`)),
      problem, h("div", { class: "row" }, submit, cancel));

    const startNew = () => {
      editing = null;
      form.reset();
      code.disabled = false;
      formTitle.textContent = t("newService");
      cancel.hidden = true;
    };
    const startEdit = (s: CatalogueService) => {
      editing = s;
      code.value = s.code;
      code.disabled = true;
      nameRo.value = s.names.ro ?? "";
      nameEn.value = s.names.en ?? "";
      nameHu.value = s.names.hu ?? "";
      descRo.value = s.descriptions.ro ?? "";
      descEn.value = s.descriptions.en ?? "";
      department.value = s.department;
      fee.value = String(s.feeLei);
      days.value = String(s.processingDays);
      channels.value = s.channels.join(", ");
      incident.checked = s.incident;
      active.checked = s.active;
      formTitle.textContent = t("editService", s.code);
      cancel.hidden = false;
      nameRo.focus();
    };
    cancel.addEventListener("click", startNew);

    const load = async () => {
      services = await get<CatalogueService[]>(`/api/catalogue/services/${query({ lang: currentLang() })}`);
      listBox.replaceChildren(scrollable(h("table", { class: "data catalogue" },
        h("caption", {}, `${t("catalogueCaption")} (${services.length})`),
        headRow(t("code"), t("name"), t("department"), t("fee"), t("processingDays"), t("channels"), t("status"), t("actions")),
        h("tbody", {}, services.length === 0 ? h("tr", {}, h("td", { colspan: 8 }, t("noServices"))) : services.map((s) => {
          const edit = h("button", { type: "button", class: "secondary", "data-edit": s.code, "aria-label": `${t("edit")} ${s.code}` }, t("edit"));
          edit.addEventListener("click", () => startEdit(s));
          return h("tr", { "data-service": s.code }, h("th", { scope: "row" }, s.code), h("td", {}, s.name), h("td", {}, s.department),
            h("td", {}, String(s.feeLei)), h("td", {}, String(s.processingDays)), h("td", { class: "channels" }, s.channels.map(codeLabel).join(", ")),
            h("td", {}, t(s.active ? "active" : "disabled")), h("td", {}, edit));
        })))));
    };

    form.addEventListener("submit", (e) => {
      e.preventDefault();
      clearProblem(problem, form);
      const keep = editing;
      const body = {
        code: code.value.trim(),
        names: { ro: nameRo.value.trim() || null, en: nameEn.value.trim() || null, hu: nameHu.value.trim() || null },
        descriptions: { ro: descRo.value.trim() || null, en: descEn.value.trim() || null, hu: keep?.descriptions.hu ?? null },
        department: department.value.trim(),
        // What this form does not edit goes back as it was: a PUT rewrites the whole service.
        documents: keep?.documents.map((d) => ({ names: d.names })) ?? [],
        feeLei: fee.value === "" ? null : Number(fee.value),
        processingDays: days.value === "" ? null : Number(days.value),
        channels: channels.value.split(/[\s,]+/).filter(Boolean),
        incident: incident.checked,
        attributes: keep?.attributes.map((a) => ({ code: a.code, datatype: a.datatype, required: a.required, questions: a.questions,
          values: a.values.map((v) => ({ key: v.key, names: v.names })) })) ?? [],
        active: active.checked,
      };
      void busy(submit, async () => {
        try {
          const saved = keep
            ? await put<CatalogueService>(`/api/catalogue/services/${encodeURIComponent(keep.code)}`, body)
            : await post<CatalogueService>("/api/catalogue/services/", body);
          note.say(t("serviceSaved", saved.code));
          startNew();
          await load();
        } catch (error) {
          showProblem(problem, error, form);
        }
      });
    });
    main.append(heading(t("catalogueTitle")), note.box, listBox, form);
    await load();
  },
};

// ---------- notification texts ----------

interface Template {
  kind: string;
  language: string;
  subject: string;
  body: string;
  sms: string | null;
  placeholders: string[];
  updatedAt: string | null;
  updatedBy: string | null;
}

export const templatesScreen: Screen = {
  section: "templates",
  route: /^templates$/,
  async render(main) {
    const note = notices();
    const listBox = h("div", {});
    const formBox = h("div", {});
    const edit = (tp: Template) => {
      const subject = h("input", { name: "subject", value: tp.subject });
      const body = h("textarea", { name: "body", rows: 8 }, tp.body);
      const sms = h("textarea", { name: "sms", rows: 3 }, tp.sms ?? "");
      const problem = h("div", { hidden: true });
      const save = h("button", { type: "submit", id: "save-template" }, t("save"));
      const cancel = h("button", { type: "button", class: "secondary" }, t("cancel"));
      cancel.addEventListener("click", () => formBox.replaceChildren());
      const form = h("form", { class: "template", "aria-labelledby": "template-title", novalidate: true },
        h("h2", { id: "template-title" }, t("editTemplate", tp.kind, tp.language)),
        h("p", { class: "hint" }, t("placeholders", tp.placeholders.map((p) => `{${p}}`).join(", "))),
        field(t("subject"), subject), field(t("body"), body), field(t("sms"), sms, t("smsHint")), problem, h("div", { class: "row" }, save, cancel));
      form.addEventListener("submit", (e) => {
        e.preventDefault();
        clearProblem(problem, form);
        void busy(save, async () => {
          try {
            await put(`/api/notification-templates/${encodeURIComponent(tp.kind)}/${encodeURIComponent(tp.language)}`,
              { subject: subject.value, body: body.value, sms: sms.value.trim() === "" ? null : sms.value });
            note.say(t("templateSaved", tp.kind, tp.language));
            formBox.replaceChildren();
            await load();
          } catch (error) {
            showProblem(problem, error, form);
          }
        });
      });
      formBox.replaceChildren(form);
      subject.focus();
    };
    const load = async () => {
      const templates = await get<Template[]>("/api/notification-templates/");
      listBox.replaceChildren(scrollable(h("table", { class: "data templates" },
        h("caption", {}, t("templatesCaption")),
        headRow(t("kind"), t("language"), t("subject"), t("updated"), t("actions")),
        h("tbody", {}, templates.map((tp) => {
          const button = h("button", { type: "button", class: "secondary", "data-edit": `${tp.kind}/${tp.language}`, "aria-label": `${t("edit")} ${tp.kind} (${tp.language})` }, t("edit"));
          button.addEventListener("click", () => edit(tp));
          return h("tr", {}, h("th", { scope: "row" }, codeLabel(tp.kind)), h("td", {}, tp.language), h("td", {}, tp.subject),
            h("td", {}, tp.updatedAt ? `${instant(tp.updatedAt)} (${tp.updatedBy ?? ""})` : "—"), h("td", {}, button));
        })))));
    };
    main.append(heading(t("templatesTitle")), note.box, listBox, formBox);
    await load();
  },
};

// ---------- registers and request categories ----------

interface Register {
  code: string;
  name: string;
}

interface Category {
  code: string;
  name: string;
  processingDays: number;
  active: boolean;
}

export const registersScreen: Screen = {
  section: "registers",
  route: /^registers$/,
  async render(main) {
    const note = notices();
    const registersBox = h("div", {});
    const categoriesBox = h("div", {});
    const load = async () => {
      const [registers, categories] = await Promise.all([get<Register[]>("/api/registry/registers"), get<Category[]>("/api/registry/categories")]);
      registersBox.replaceChildren(h("table", { class: "data registers" }, h("caption", {}, t("registersCaption")), headRow(t("code"), t("name")),
        h("tbody", {}, registers.map((r) => h("tr", { "data-register": r.code }, h("th", { scope: "row" }, r.code), h("td", {}, r.name))))));
      categoriesBox.replaceChildren(h("table", { class: "data categories" }, h("caption", {}, t("categoriesCaption")),
        headRow(t("code"), t("name"), t("processingDays"), t("status")),
        h("tbody", {}, categories.map((c) => h("tr", {}, h("th", { scope: "row" }, c.code), h("td", {}, c.name), h("td", {}, String(c.processingDays)),
          h("td", {}, t(c.active ? "active" : "disabled")))))));
    };

    const regCode = h("input", { name: "code", required: true });
    const regName = h("input", { name: "name", required: true });
    const regProblem = h("div", { hidden: true });
    const regSave = h("button", { type: "submit", id: "save-register" }, t("save"));
    const regForm = h("form", { "aria-labelledby": "new-register", novalidate: true }, h("h2", { id: "new-register" }, t("newRegister")),
      field(t("code"), regCode), field(t("name"), regName), regProblem, regSave);
    regForm.addEventListener("submit", (e) => {
      e.preventDefault();
      clearProblem(regProblem, regForm);
      void busy(regSave, async () => {
        try {
          const made = await post<Register>("/api/registry/registers", { code: regCode.value.trim(), name: regName.value.trim() });
          regForm.reset();
          note.say(t("registerSaved", made.code));
          await load();
        } catch (error) {
          showProblem(regProblem, error, regForm);
        }
      });
    });

    const catCode = h("input", { name: "code", required: true });
    const catName = h("input", { name: "name", required: true });
    const catDays = h("input", { name: "processingDays", type: "number", min: "1", max: "365", value: "30" });
    const catActive = h("input", { name: "active", type: "checkbox", checked: true });
    const catProblem = h("div", { hidden: true });
    const catSave = h("button", { type: "submit", id: "save-category" }, t("save"));
    const catForm = h("form", { "aria-labelledby": "edit-category", novalidate: true }, h("h2", { id: "edit-category" }, t("editCategory")),
      h("p", { class: "hint" }, t("categoryHint")), field(t("code"), catCode), field(t("name"), catName), field(t("processingDays"), catDays),
      h("div", { class: "field checkbox" }, h("label", {}, catActive, ` ${t("active")}`)), catProblem, catSave);
    catForm.addEventListener("submit", (e) => {
      e.preventDefault();
      clearProblem(catProblem, catForm);
      void busy(catSave, async () => {
        try {
          const saved = await put<Category>(`/api/registry/categories/${encodeURIComponent(catCode.value.trim())}`,
            { name: catName.value.trim(), processingDays: catDays.value === "" ? null : Number(catDays.value), active: catActive.checked });
          catForm.reset();
          note.say(t("categorySaved", saved.code));
          await load();
        } catch (error) {
          showProblem(catProblem, error, catForm);
        }
      });
    });

    main.append(heading(t("registersTitle")), note.box, registersBox, regForm, h("h2", {}, t("categoriesTitle")), categoriesBox, catForm);
    await load();
  },
};

// ---------- non-working days ----------

interface NonWorkingDay {
  day: string;
  reason: string;
  source: string;
}

export const calendarScreen: Screen = {
  section: "calendar",
  route: /^calendar$/,
  async render(main, ctx) {
    const note = notices();
    const year = Number(ctx.query.get("year") ?? bucharestToday().slice(0, 4));
    const yearInput = h("input", { name: "year", type: "number", min: "2000", max: "2100", value: String(year) });
    const yearForm = h("form", { class: "row", "aria-label": t("showYear") }, field(t("year"), yearInput),
      h("button", { type: "submit", class: "secondary" }, t("showYear")));
    yearForm.addEventListener("submit", (e) => {
      e.preventDefault();
      ctx.navigate(`calendar?year=${encodeURIComponent(yearInput.value)}`);
    });
    const listBox = h("div", {});
    const load = async () => {
      const days = await get<NonWorkingDay[]>(`/api/calendar/non-working-days/${year}`);
      listBox.replaceChildren(h("table", { class: "data calendar" }, h("caption", {}, t("calendarCaption", year)),
        headRow(t("day"), t("reason"), t("source")),
        h("tbody", {}, days.map((d) => h("tr", { "data-day": d.day }, h("th", { scope: "row" }, formatDate(d.day)), h("td", {}, d.reason), h("td", {}, t(d.source === "law" ? "sourceLaw" : d.source === "declared" ? "sourceDeclared" : "none")))))));
    };
    const day = h("input", { name: "day", type: "date", required: true });
    const reason = h("input", { name: "reason", required: true });
    const problem = h("div", { hidden: true });
    const save = h("button", { type: "submit", id: "declare-day" }, t("declare"));
    const form = h("form", { "aria-labelledby": "declare-title", novalidate: true }, h("h2", { id: "declare-title" }, t("declare")),
      field(t("day"), day), field(t("reason"), reason, t("reasonHint")), problem, save);
    form.addEventListener("submit", (e) => {
      e.preventDefault();
      clearProblem(problem, form);
      void (async () => {
        if (day.value && !(await confirmAction(t("confirmDeclare", formatDate(day.value)), t("declare")))) return;
        await busy(save, async () => {
          try {
            const made = await post<NonWorkingDay>("/api/calendar/non-working-days/", { day: day.value || null, reason: reason.value.trim() });
            form.reset();
            note.say(t("declared", formatDate(made.day)));
            await load();
          } catch (error) {
            showProblem(problem, error, form);
          }
        });
      })();
    });
    main.append(heading(t("calendarTitle")), note.box, yearForm, listBox, form);
    await load();
  },
};

// ---------- Open311 app keys ----------

interface Open311Key {
  id: string;
  appName: string;
  createdAt: string;
  createdBy: string;
  revokedAt: string | null;
  revokedBy: string | null;
  revokedReason: string | null;
  active: boolean;
}

export const open311KeysScreen: Screen = {
  section: "open311-keys",
  route: /^open311-keys$/,
  async render(main) {
    const note = notices();
    const problem = h("div", { hidden: true });
    const listBox = h("div", {});
    const shown = h("div", { class: "issued-key", "aria-live": "polite" });
    const load = async () => {
      const keys = await get<Open311Key[]>("/api/open311/keys/");
      listBox.replaceChildren(scrollable(h("table", { class: "data keys" }, h("caption", {}, t("keysCaption")),
        headRow(t("appName"), t("createdAt"), t("createdBy"), t("status"), t("actions")),
        h("tbody", {}, keys.length === 0 ? h("tr", {}, h("td", { colspan: 5 }, t("noKeys"))) : keys.map((k) => {
          let action: Node | string = "—";
          if (!k.revokedAt) {
            const reason = h("input", { name: `reason-${k.id}`, "aria-label": `${t("revokeReason")}: ${k.appName}` });
            const revoke = h("button", { type: "button", class: "danger", "data-revoke": k.appName }, t("revoke", k.appName));
            revoke.addEventListener("click", () => void (async () => {
              if (!(await confirmAction(t("confirmRevoke", k.appName), t("revoke", k.appName)))) return;
              await busy(revoke, async () => {
                try {
                  await post(`/api/open311/keys/${k.id}/revoke`, { reason: reason.value.trim() || null }, idempotencyKey());
                  note.say(t("revoked", k.appName));
                  await load();
                } catch (error) {
                  showProblem(problem, error);
                }
              });
            })());
            action = h("span", { class: "row" }, reason, revoke);
          }
          return h("tr", { "data-key": k.appName }, h("th", { scope: "row" }, k.appName), h("td", {}, instant(k.createdAt)), h("td", {}, k.createdBy),
            h("td", {}, k.revokedAt ? `${t("revokedAt")} ${instant(k.revokedAt)} (${k.revokedBy ?? ""}): ${k.revokedReason ?? ""}` : t("active")),
            h("td", {}, action));
        })))));
    };
    const appName = h("input", { name: "appName", required: true });
    const formProblem = h("div", { hidden: true });
    const issue = h("button", { type: "submit", id: "issue-key" }, t("issue"));
    const form = h("form", { "aria-labelledby": "key-title", novalidate: true }, h("h2", { id: "key-title" }, t("keyFor")),
      field(t("appName"), appName), formProblem, issue);
    form.addEventListener("submit", (e) => {
      e.preventDefault();
      clearProblem(formProblem, form);
      void busy(issue, async () => {
        try {
          const made = await post<{ appName: string; apiKey: string }>("/api/open311/keys/", { appName: appName.value.trim() }, idempotencyKey());
          form.reset();
          const key = h("input", { id: "new-api-key", readonly: true, value: made.apiKey, size: Math.max(made.apiKey.length, 20) });
          shown.replaceChildren(h("div", { class: "notice" }, h("p", {}, h("strong", {}, t("keyOnce"))), field(t("issued", made.appName), key)));
          key.select();
          await load();
        } catch (error) {
          showProblem(formProblem, error, form);
        }
      });
    });
    main.append(heading(t("keysTitle")), note.box, problem, shown, listBox, form);
    await load();
  },
};
