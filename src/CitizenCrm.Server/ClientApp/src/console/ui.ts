// Small builders for the screens. Text always goes in as text (never innerHTML), so nothing a citizen typed can run.
import { ApiError } from "./api";
import { currentLang } from "./i18n";

type Child = Node | string | number | null | undefined | false;
type Attrs = Record<string, string | number | boolean | null | undefined | EventListener>;

/** An element with attributes ("on..." are listeners; false/null leave the attribute off) and children. */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: (Child | Child[])[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (name.startsWith("on") && typeof value === "function") el.addEventListener(name.slice(2), value);
    else if (name === "class") el.className = String(value);
    else el.setAttribute(name, value === true ? "" : String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : String(child));
  }
  return el;
}

let fieldCounter = 0;

/** A labelled control: the label's for= points at the control, and an error line is described by it. */
export function field(label: string, control: HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement, hint?: string): HTMLElement {
  if (!control.id) control.id = `f${++fieldCounter}`;
  const error = h("p", { class: "field-error", id: `${control.id}-error`, hidden: true });
  const described = [error.id];
  const wrapper = h("div", { class: "field" }, h("label", { for: control.id }, label), control);
  if (hint) {
    const hintEl = h("p", { class: "hint", id: `${control.id}-hint` }, hint);
    wrapper.append(hintEl);
    described.unshift(hintEl.id);
  }
  control.setAttribute("aria-describedby", described.join(" "));
  wrapper.append(error);
  return wrapper;
}

/** Shows a field's own error beside it (from a problem's "errors" by the field's name), or clears it. */
export function setFieldError(control: HTMLElement, message: string | null): void {
  const error = document.getElementById(`${control.id}-error`);
  if (!error) return;
  error.textContent = message ?? "";
  error.hidden = !message;
  if (message) control.setAttribute("aria-invalid", "true");
  else control.removeAttribute("aria-invalid");
}

/** A refusal as the server worded it (the law's 409 messages are shown as they are), with any field errors beside their fields. */
export function showProblem(box: HTMLElement, error: unknown, form?: HTMLFormElement): void {
  box.replaceChildren();
  box.hidden = false;
  box.setAttribute("role", "alert");
  box.className = "problem";
  if (!(error instanceof ApiError)) {
    box.append(h("p", {}, currentLang() === "ro" ? "Serverul nu a putut fi contactat. Nimic din ce ați scris nu s-a pierdut: încercați din nou." :
      "The server could not be reached. Nothing you typed is lost: try again."));
    return;
  }
  const p = error.problem;
  box.append(h("p", { class: "problem-title" }, p.title ?? `HTTP ${p.status}`));
  if (p.detail) box.append(h("p", {}, p.detail));
  const errors = Object.entries(p.errors ?? {});
  if (errors.length) box.append(h("ul", {}, errors.map(([, messages]) => h("li", {}, messages.join(" ")))));
  if (form)
    for (const [name, messages] of errors) {
      const control = form.querySelector<HTMLElement>(`[name="${CSS.escape(name)}"]`);
      if (control) setFieldError(control, messages.join(" "));
    }
}

export function clearProblem(box: HTMLElement, form?: HTMLFormElement): void {
  box.hidden = true;
  box.replaceChildren();
  form?.querySelectorAll<HTMLElement>("[aria-invalid]").forEach((c) => setFieldError(c, null));
}

/** A sentence read out by screen readers (the polite live region at the bottom of the page). */
export function announce(message: string): void {
  const live = document.getElementById("live");
  if (live) {
    live.textContent = "";
    window.setTimeout(() => (live.textContent = message), 50);
  }
}

/** A confirmation line (role=status) and the function that shows a sentence in it and reads it out. */
export function noticeLine(): { notice: HTMLParagraphElement; say: (text: string) => void } {
  const notice = h("p", { class: "notice", role: "status", hidden: true });
  const say = (text: string) => {
    notice.textContent = text;
    notice.hidden = false;
    announce(text);
  };
  return { notice, say };
}

/** A table with a caption and column headers; cells are text or nodes. */
export function table(caption: string, headers: string[], rows: Child[][], options: { className?: string } = {}): HTMLTableElement {
  return h("table", { class: options.className ?? "data" },
    h("caption", {}, caption),
    h("thead", {}, h("tr", {}, headers.map((x) => h("th", { scope: "col" }, x)))),
    h("tbody", {}, rows.map((r) => h("tr", {}, r.map((c) => h("td", {}, c))))));
}

/** A console address (hash route) as a link. */
export function link(route: string, text: string, attrs: Attrs = {}): HTMLAnchorElement {
  return h("a", { href: `#/${route}`, ...attrs }, text);
}

/** A page heading that takes focus when a screen opens, so a screen reader announces where the person is. */
export function heading(text: string): HTMLHeadingElement {
  return h("h1", { tabindex: "-1", class: "screen-title" }, text);
}

/** Disables the button while its work runs, so one press does one thing. */
export async function busy<T>(button: HTMLButtonElement, work: () => Promise<T>): Promise<T> {
  button.disabled = true;
  button.setAttribute("aria-busy", "true");
  try {
    return await work();
  } finally {
    button.disabled = false;
    button.removeAttribute("aria-busy");
  }
}
