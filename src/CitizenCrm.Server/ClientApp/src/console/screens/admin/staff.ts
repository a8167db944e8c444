// Staff accounts: the list, a new account with its role and department, disable/enable, and a password reset.
import { get, post, query } from "../../api";
import { textsOf } from "../../i18n";
import type { Screen } from "../../screens";
import { busy, clearProblem, field, h, heading, noticeLine, showProblem } from "../../ui";
import { confirmAction, instant, scrollable } from "../supervisor/kit";
import { adminTexts } from "./texts";

const t = textsOf(adminTexts);
const roles = ["clerk", "dispatcher", "supervisor", "admin", "volunteer"] as const;

interface StaffUser {
  id: string;
  username: string;
  displayName: string;
  role: string;
  disabled: boolean;
  createdAt: string;
  email: string | null;
  department: string | null;
}

interface StaffUserList {
  items: StaffUser[];
  total: number;
  nextCursor: string | null;
}

const roleName = (r: string) => (roles.includes(r as never) ? t(`role.${r}` as never) : r);

export const staffScreen: Screen = {
  section: "staff",
  route: /^staff$/,
  async render(main) {
    const problem = h("div", { hidden: true });
    const { notice, say } = noticeLine();
    const tableBox = h("div", {});

    // The password reset: pick the account (a row's button does it), type the new password.
    const resetUser = h("select", { name: "user" });
    const resetPassword = h("input", { name: "password", type: "password", autocomplete: "new-password" });
    const resetButton = h("button", { type: "submit", id: "reset-password" }, t("save"));
    const resetProblem = h("div", { hidden: true });
    const resetForm = h("form", { class: "reset", "aria-labelledby": "reset-title" },
      h("h2", { id: "reset-title" }, t("resetTitle")), field(t("resetFor"), resetUser), field(t("newPassword"), resetPassword), resetProblem, resetButton);

    let users: StaffUser[] = [];
    const load = async () => {
      users = [];
      let cursor: string | null = null;
      do {
        const page: StaffUserList = await get<StaffUserList>(`/api/staff-users/${query({ limit: 200, cursor })}`);
        users.push(...page.items);
        cursor = page.nextCursor;
      } while (cursor);
      draw();
    };
    const act = async (button: HTMLButtonElement, u: StaffUser, disable: boolean) => {
      if (disable && !(await confirmAction(t("confirmDisable", u.username), t("disable", u.username)))) return;
      await busy(button, async () => {
        try {
          await post(`/api/staff-users/${u.id}/${disable ? "disable" : "enable"}`);
          say(t(disable ? "nowDisabled" : "nowEnabled", u.username));
          await load();
        } catch (error) {
          showProblem(problem, error);
        }
      });
    };
    const draw = () => {
      const selected = resetUser.value;
      resetUser.replaceChildren(...users.map((u) => h("option", { value: u.id, selected: u.id === selected }, `${u.username} — ${u.displayName}`)));
      tableBox.replaceChildren(scrollable(h("table", { class: "data staff" },
        h("caption", {}, `${t("staffCaption")} (${users.length})`),
        h("thead", {}, h("tr", {}, [t("username"), t("displayName"), t("role"), t("department"), t("email"), t("status"), t("actions")]
          .map((x) => h("th", { scope: "col" }, x)))),
        h("tbody", {}, users.map((u) => {
          const toggle = h("button", { type: "button", class: u.disabled ? "secondary" : "danger", "data-toggle": u.username, "aria-label": t(u.disabled ? "enable" : "disable", u.username) },
            t(u.disabled ? "enableShort" : "disableShort"));
          toggle.addEventListener("click", () => void act(toggle, u, !u.disabled));
          const reset = h("button", { type: "button", class: "secondary", "data-reset": u.username, "aria-label": t("resetPassword", u.username) }, t("resetShort"));
          reset.addEventListener("click", () => {
            resetUser.value = u.id;
            resetPassword.focus();
          });
          return h("tr", { "data-user": u.username },
            h("th", { scope: "row" }, u.username), h("td", {}, u.displayName), h("td", {}, roleName(u.role)), h("td", {}, u.department ?? "—"),
            h("td", { class: "email" }, u.email ?? "—"), h("td", { class: "status", title: `${t("createdAt")} ${instant(u.createdAt)}` }, t(u.disabled ? "disabled" : "active")),
            h("td", { class: "actions" }, h("div", { class: "row" }, toggle, reset)));
        })))));
    };
    resetForm.addEventListener("submit", (e) => {
      e.preventDefault();
      const u = users.find((x) => x.id === resetUser.value);
      if (!u) return;
      void (async () => {
        if (!(await confirmAction(t("confirmReset", u.username), t("resetPassword", u.username)))) return;
        clearProblem(resetProblem, resetForm);
        await busy(resetButton, async () => {
          try {
            await post(`/api/staff-users/${u.id}/password`, { password: resetPassword.value });
            resetPassword.value = "";
            say(t("passwordReset", u.username));
          } catch (error) {
            showProblem(resetProblem, error, resetForm);
          }
        });
      })();
    });

    // A new account.
    const username = h("input", { name: "username", autocomplete: "off", required: true });
    const displayName = h("input", { name: "displayName", required: true });
    const role = h("select", { name: "role" }, roles.map((r) => h("option", { value: r }, roleName(r))));
    const password = h("input", { name: "password", type: "password", autocomplete: "new-password", required: true });
    const email = h("input", { name: "email", type: "email" });
    const department = h("input", { name: "department" });
    const createProblem = h("div", { hidden: true });
    const createButton = h("button", { type: "submit", id: "create-staff" }, t("create"));
    const createForm = h("form", { class: "create", "aria-labelledby": "new-staff", novalidate: true },
      h("h2", { id: "new-staff" }, t("newStaff")),
      field(t("username"), username), field(t("displayName"), displayName), field(t("role"), role),
      field(t("password"), password, t("passwordHint")), field(t("email"), email), field(t("department"), department),
      createProblem, createButton);
    createForm.addEventListener("submit", (e) => {
      e.preventDefault();
      clearProblem(createProblem, createForm);
      void busy(createButton, async () => {
        try {
          const made = await post<StaffUser>("/api/staff-users/", {
            username: username.value.trim(), displayName: displayName.value.trim(), role: role.value, password: password.value,
            email: email.value.trim() || null, department: department.value.trim() || null,
          });
          createForm.reset();
          say(t("created", made.username));
          await load();
        } catch (error) {
          showProblem(createProblem, error, createForm);
        }
      });
    });

    main.append(heading(t("staffTitle")), notice, problem, tableBox, h("div", { class: "admin-forms" }, createForm, resetForm));
    await load();
  },
};
