// The console's frame: sign-in, the navigation each role may use, the hash router, and the global search on "/".
import { ApiError, get, post, whenSignedOut } from "./api";
import { applyTexts, currentLang, setLang, textsOf, type Lang } from "./i18n";
import type { CaseFound, CitizenSummary } from "./model";
import { mayOpen, sections, type Me, type Screen, type ScreenContext } from "./screens";
import { shellTexts } from "./texts";
import { clearProblem, field, h, heading, showProblem } from "./ui";

const t = textsOf(shellTexts);

export class Shell {
  private me: Me | null = null;
  private leaving: (() => void)[] = [];
  private readonly main = document.getElementById("main") as HTMLElement;

  constructor(private readonly screens: readonly Screen[]) {}

  async start(): Promise<void> {
    document.documentElement.lang = currentLang();
    this.wireLanguages();
    this.wireSearch();
    document.getElementById("sign-out")!.addEventListener("click", () => void this.signOut());
    whenSignedOut(() => {
      this.me = null;
      this.drawChrome();
      this.drawSignIn();
    });
    window.addEventListener("hashchange", () => void this.route());
    try {
      this.me = await get<Me>("/api/auth/console/me");
    } catch {
      this.me = null;
    }
    this.drawChrome();
    await this.route();
  }

  private wireLanguages(): void {
    const buttons = document.querySelectorAll<HTMLButtonElement>("button[data-lang]");
    const mark = () => buttons.forEach((b) => b.setAttribute("aria-pressed", String(b.dataset.lang === currentLang())));
    mark();
    buttons.forEach((b) =>
      b.addEventListener("click", () => {
        setLang(b.dataset.lang as Lang);
        mark();
        this.drawChrome();
        void this.route();
      }),
    );
  }

  /** The header's texts, who is signed in, and the sections this role may open, grouped as the city hall's desks are. */
  private drawChrome(): void {
    applyTexts(document, t);
    const nav = document.getElementById("sections")!;
    nav.replaceChildren();
    const who = document.getElementById("who")!;
    const signOut = document.getElementById("sign-out") as HTMLButtonElement;
    const search = document.getElementById("open-search") as HTMLButtonElement;
    if (!this.me) {
      who.textContent = "";
      signOut.hidden = search.hidden = true;
      return;
    }
    const me = this.me;
    who.textContent = t("signedInAs", me.displayName, t(`role.${me.role}` as never));
    signOut.hidden = false;
    search.hidden = !mayOpen(me, "citizens");
    const current = this.currentRoute();
    for (const group of ["desk", "dispatch", "supervisor", "admin"]) {
      const allowed = sections.filter((s) => s.group === group && s.roles.includes(me.role));
      if (allowed.length === 0) continue;
      const list = h("ul", {}, allowed.map((s) => {
        const a = h("a", { href: `#/${s.id}`, "data-section": s.id }, t(`section.${s.id}` as never));
        if (current.split(/[/?]/)[0] === s.id) a.setAttribute("aria-current", "page");
        return h("li", {}, a);
      }));
      nav.append(h("div", { class: "group" }, h("span", { class: "group-name", id: `group-${group}` }, t(`group.${group}` as never)), list));
      list.setAttribute("aria-labelledby", `group-${group}`);
    }
  }

  private currentRoute(): string {
    return decodeURIComponent(location.hash.replace(/^#\/?/, ""));
  }

  private async route(): Promise<void> {
    for (const cleanup of this.leaving.splice(0)) cleanup();
    if (!this.me) {
      this.drawSignIn();
      return;
    }
    const me = this.me;
    const full = this.currentRoute();
    const [path, search] = [full.split("?")[0], new URLSearchParams(full.split("?")[1] ?? "")];
    this.drawChrome();
    if (path === "") {
      const first = sections.find((s) => s.roles.includes(me.role));
      if (first) location.replace(`#/${first.id}`);
      else this.message(t("noSections"));
      return;
    }
    const sectionId = path.split("/")[0];
    if (sections.some((s) => s.id === sectionId) && !mayOpen(me, sectionId)) {
      this.message(t("notAllowed"));
      return;
    }
    for (const screen of this.screens) {
      const match = screen.route.exec(path);
      if (!match) continue;
      if (!mayOpen(me, screen.section)) {
        this.message(t("notAllowed"));
        return;
      }
      const ctx: ScreenContext = {
        me,
        params: match.slice(1).map((p) => decodeURIComponent(p)),
        query: search,
        navigate: (route) => (location.hash = `#/${route}`),
        onLeave: (cleanup) => this.leaving.push(cleanup),
      };
      this.main.replaceChildren(h("p", { class: "loading" }, t("loading")));
      const container = h("div", { class: "screen" });
      try {
        await screen.render(container, ctx);
      } catch (error) {
        const box = h("div", {});
        showProblem(box, error);
        container.replaceChildren(box);
      }
      if (this.currentRoute() !== full) return; // the person moved on while this screen loaded
      this.main.replaceChildren(container);
      // A search opened while the screen loaded keeps the focus.
      if (!(document.getElementById("search-dialog") as HTMLDialogElement).open)
        (container.querySelector<HTMLElement>(".screen-title") ?? this.main).focus();
      return;
    }
    this.message(t("notFound"));
  }

  private message(text: string): void {
    const title = heading(text);
    this.main.replaceChildren(title);
    title.focus();
  }

  private drawSignIn(): void {
    const username = h("input", { name: "username", autocomplete: "username", required: true });
    const password = h("input", { name: "password", type: "password", autocomplete: "current-password", required: true });
    const problem = h("div", { hidden: true });
    const button = h("button", { type: "submit", id: "sign-in" }, t("signIn"));
    const form = h("form", { class: "sign-in", novalidate: true }, field(t("username"), username), field(t("password"), password), problem, button);
    form.addEventListener("submit", async (e) => {
      e.preventDefault();
      clearProblem(problem, form);
      button.disabled = true;
      try {
        this.me = await post<Me>("/api/auth/console/sign-in", { username: username.value, password: password.value });
        password.value = "";
        this.drawChrome();
        await this.route();
      } catch (error) {
        showProblem(problem, error, form);
        password.value = "";
        password.focus();
      } finally {
        button.disabled = false;
      }
    });
    const title = heading(t("signInTitle"));
    this.main.replaceChildren(h("section", { class: "sign-in-page" }, title, h("p", {}, t("signInIntro")), form));
    username.focus();
  }

  private async signOut(): Promise<void> {
    try {
      await post("/api/auth/console/sign-out");
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
    }
    this.me = null;
    history.replaceState(null, "", location.pathname);
    this.drawChrome();
    this.drawSignIn();
  }

  /** "/" opens the search from anywhere except while typing; Escape closes it (the dialog's own behaviour). */
  private wireSearch(): void {
    const dialog = document.getElementById("search-dialog") as HTMLDialogElement;
    const input = document.getElementById("search-input") as HTMLInputElement;
    const results = document.getElementById("search-results") as HTMLElement;
    const open = () => {
      if (!this.me || !mayOpen(this.me, "citizens")) return;
      results.replaceChildren();
      input.value = "";
      dialog.showModal();
      input.focus();
    };
    document.getElementById("open-search")!.addEventListener("click", open);
    document.getElementById("search-close")!.addEventListener("click", () => dialog.close());
    // Chromium lets Escape close a dialog only once per user activation; the search closes on every Escape.
    dialog.addEventListener("keydown", (e) => {
      if (e.key === "Escape") {
        e.preventDefault();
        dialog.close();
      }
    });
    document.addEventListener("keydown", (e) => {
      if (e.key !== "/" || e.ctrlKey || e.metaKey || e.altKey || dialog.open) return;
      const target = e.target as HTMLElement;
      if (target.closest("input, textarea, select, [contenteditable='true']")) return;
      e.preventDefault();
      open();
    });
    results.addEventListener("click", (e) => {
      if ((e.target as HTMLElement).closest("a")) dialog.close();
    });
    document.getElementById("search-form")!.addEventListener("submit", async (e) => {
      e.preventDefault();
      const q = input.value.trim();
      if (!q) return;
      results.replaceChildren(h("p", {}, t("loading")));
      try {
        results.replaceChildren(...(await search(q)));
      } catch (error) {
        const box = h("div", {});
        showProblem(box, error);
        results.replaceChildren(box);
      }
    });
  }
}

/** What the search box understood: a registration number (12/2026), a CNP (13 digits), a phone number, or a name. */
async function search(q: string): Promise<Node[]> {
  const compact = q.replace(/[\s.-]/g, "");
  const number = /^(\d{1,9})\/(\d{4})$/.exec(compact);
  if (number) {
    const found = await get<{ items: CaseFound[] }>(`/api/cases/by-registration-number/${number[1]}/${number[2]}`);
    if (found.items.length === 0) return [h("p", {}, t("searchNothing", q))];
    return [h("h3", {}, t("searchCases")), h("ul", { class: "results" }, found.items.map((c) =>
      h("li", {}, h("a", { href: `#/case/${c.id}` }, `${c.registrationNumber} (${c.registerCode}) — ${c.subject}`))))];
  }
  const body = /^\d{13}$/.test(compact) ? { nationalId: compact } : /^\+?\d{9,15}$/.test(compact) ? { phone: compact } : { name: q };
  const found = await post<{ citizens: CitizenSummary[] }>("/api/citizens/search", { ...body, limit: 20 });
  if (found.citizens.length === 0) return [h("p", {}, t("searchNothing", q))];
  return [h("h3", {}, t("searchCitizens")), h("ul", { class: "results" }, found.citizens.map((c) =>
    h("li", {}, h("a", { href: `#/citizen/${c.id}` }, `${c.lastName} ${c.firstName}`), ` — ${c.maskedNationalId}${c.birthYear ? `, ${c.birthYear}` : ""}`)))];
}
