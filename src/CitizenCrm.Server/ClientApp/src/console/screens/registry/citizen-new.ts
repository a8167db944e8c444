// Register a citizen (#/new-citizen): the CNP is checked as it is typed (which part is wrong: the digits, the date, the
// county or the check digit), the server's refusals are shown beside their fields, and the new record opens in its 360° view.
import { idempotencyKey, post } from "../../api";
import { formatDate } from "../../i18n";
import type { Screen } from "../../screens";
import { busy, clearProblem, field, h, heading, setFieldError, showProblem } from "../../ui";
import { checkCnp, type CnpCheck } from "./citizen-cnp";
import { t } from "./citizen-texts";

/** The live sentence for a CNP typed so far, and whether it is an error. */
export function cnpMessage(check: CnpCheck): { text: string; error: boolean } {
  switch (check.kind) {
    case "empty": return { text: "", error: false };
    case "partial": return { text: t("cnpDigitsSoFar", check.digits), error: false };
    case "notDigits": return { text: t("cnpNotDigits"), error: true };
    case "tooLong": return { text: t("cnpTooLong", check.digits), error: true };
    case "first": return { text: t("cnpFirst"), error: true };
    case "date": return { text: t("cnpDate"), error: true };
    case "future": return { text: t("cnpFuture"), error: true };
    case "county": return { text: t("cnpCounty", check.county), error: true };
    case "control": return { text: t("cnpControl"), error: true };
    case "ok": return { text: t("cnpOk", formatDate(check.birth), check.county), error: false };
  }
}

const lines = (text: string) => text.split(/[\n,;]/).map((s) => s.trim()).filter((s) => s !== "");

export const citizenNewScreen: Screen = {
  section: "new-citizen",
  route: /^new-citizen$/,
  render(main, ctx) {
    const idType = h("select", { name: "idType" },
      ["cnp", "passport", "foreign_id"].map((v) => h("option", { value: v }, t(`idType_${v}` as "idType_cnp"))));
    const nationalId = h("input", { name: "nationalId", required: true, autocomplete: "off", inputmode: "numeric", maxlength: 32, id: "new-national-id" });
    const firstName = h("input", { name: "firstName", required: true, maxlength: 100, autocomplete: "off" });
    const lastName = h("input", { name: "lastName", required: true, maxlength: 100, autocomplete: "off" });
    const dateOfBirth = h("input", { name: "dateOfBirth", type: "date" });
    const address = h("textarea", { name: "address", maxlength: 500 });
    const phones = h("textarea", { name: "phones", class: "short" });
    const emails = h("textarea", { name: "emails", class: "short" });
    const preferredLanguage = h("select", { name: "preferredLanguage" },
      ["ro", "hu", "en"].map((v) => h("option", { value: v }, t(`lang_${v}` as "lang_ro"))));
    const submit = h("button", { type: "submit", id: "register-citizen" }, t("register"));
    const problem = h("div", { hidden: true });

    const idField = field(t("nationalId"), nationalId, t("nationalIdHint"));
    const live = h("p", { class: "cnp-check", id: "new-national-id-check", role: "status", "aria-live": "polite" });
    nationalId.insertAdjacentElement("afterend", live);
    nationalId.setAttribute("aria-describedby", `${nationalId.getAttribute("aria-describedby")} ${live.id}`);

    const check = () => {
      if (idType.value !== "cnp") {
        live.textContent = "";
        live.classList.remove("bad", "good");
        setFieldError(nationalId, null);
        return true;
      }
      const result = checkCnp(nationalId.value);
      const message = cnpMessage(result);
      live.textContent = message.text;
      live.classList.toggle("bad", message.error);
      live.classList.toggle("good", result.kind === "ok");
      if (message.error) nationalId.setAttribute("aria-invalid", "true");
      else nationalId.removeAttribute("aria-invalid");
      document.getElementById(`${nationalId.id}-error`)!.hidden = true; // the server's last word is replaced by the live check
      return result.kind === "ok";
    };
    nationalId.addEventListener("input", check);
    idType.addEventListener("change", () => {
      nationalId.setAttribute("inputmode", idType.value === "cnp" ? "numeric" : "text");
      check();
    });

    const form = h("form", { class: "new-citizen", novalidate: true },
      h("div", { class: "form-grid" },
        field(t("idType"), idType), idField, field(t("lastName"), lastName), field(t("firstName"), firstName),
        field(t("dateOfBirth"), dateOfBirth, t("dateOfBirthHint")), field(t("preferredLanguage"), preferredLanguage),
        field(t("address"), address), field(t("phones"), phones, t("phonesHint")), field(t("emails"), emails, t("emailsHint"))),
      problem, h("div", { class: "row" }, submit));

    form.addEventListener("submit", (e) => {
      e.preventDefault();
      if (!check()) {
        nationalId.focus();
        return;
      }
      void busy(submit, async () => {
        clearProblem(problem, form);
        try {
          const created = await post<{ id: string }>("/api/citizens", {
            idType: idType.value,
            nationalId: nationalId.value.replace(/\s/g, ""),
            firstName: firstName.value.trim(),
            lastName: lastName.value.trim(),
            dateOfBirth: dateOfBirth.value || null,
            address: address.value.trim() || null,
            phones: lines(phones.value),
            emails: lines(emails.value),
            preferredLanguage: preferredLanguage.value,
            channel: "desk",
          }, idempotencyKey());
          ctx.navigate(`citizen/${created.id}`);
        } catch (error) {
          showProblem(problem, error, form);
          // "phones[1]" and "emails[0]" belong beside their boxes (one address per line).
          const errors = (error as { problem?: { errors?: Record<string, string[]> } }).problem?.errors ?? {};
          for (const name of ["phones", "emails"]) {
            const messages = Object.entries(errors).filter(([k]) => k.startsWith(`${name}[`)).flatMap(([, m]) => m);
            if (messages.length) setFieldError(form.querySelector<HTMLElement>(`[name="${name}"]`)!, messages.join(" "));
          }
          form.querySelector<HTMLElement>("[aria-invalid='true']")?.focus();
        }
      });
    });
    main.append(heading(t("newTitle")), form);
  },
};
