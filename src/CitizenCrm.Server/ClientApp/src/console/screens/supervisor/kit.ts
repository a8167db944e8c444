// Small pieces the supervisor's and admin's screens share: CSV reading and downloading, a confirmation dialog, a date.
import { getText } from "../../api";
import { currentLang } from "../../i18n";
import { h } from "../../ui";
import { codeNames } from "./texts";

/** RFC 4180: fields in double quotes may hold commas, line breaks and doubled quotes. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  const s = text.replace(/^\uFEFF/, "");
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (quoted) {
      if (c === '"' && s[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") {
      row.push(field);
      field = "";
    } else if (c === "\n" || c === "\r") {
      if (c === "\r" && s[i + 1] === "\n") i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
    } else field += c;
  }
  if (field !== "" || row.length) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

/**
 * The report's CSV as the server writes it (the same text a download saves). A refusal comes as problem details, so the
 * Accept header names them too: with text/csv alone the server could not write the problem it has to tell.
 */
export async function fetchCsv(url: string): Promise<string> {
  return await getText(url, "text/csv, application/problem+json;q=0.9");
}

/** Saves text as a file: a blob: address (the CSP allows it) on a link with download=, clicked, then let go. */
export function saveFile(text: string, fileName: string, type = "text/csv;charset=utf-8"): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = h("a", { href: url, download: fileName, class: "visually-hidden" }, fileName);
  document.body.append(a);
  a.click();
  a.remove();
  window.setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Today in Bucharest as yyyy-MM-dd, and a day some days away from it. */
export function bucharestToday(offsetDays = 0): string {
  const parts = new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/Bucharest", year: "numeric", month: "2-digit", day: "2-digit" }).format(new Date());
  if (!offsetDays) return parts;
  const d = new Date(`${parts}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + offsetDays);
  return d.toISOString().slice(0, 10);
}

/**
 * Asks before something that cannot be undone: a modal dialog that names the action, with a cancel button that has the
 * focus first. Resolves true only when the person confirms.
 */
export function confirmAction(message: string, confirmLabel: string): Promise<boolean> {
  const ro = currentLang() === "ro";
  return new Promise((resolve) => {
    const text = h("p", { id: "confirm-text" }, message);
    const cancel = h("button", { type: "button", class: "secondary" }, ro ? "Renunță" : "Cancel");
    const ok = h("button", { type: "button", class: "danger", "data-confirm": "yes" }, confirmLabel);
    const dialog = h("dialog", { class: "confirm", "aria-labelledby": "confirm-title", "aria-describedby": "confirm-text" },
      h("h2", { id: "confirm-title" }, ro ? "Confirmați" : "Please confirm"), text, h("div", { class: "row" }, ok, cancel));
    let answered = false;
    const done = (answer: boolean) => {
      if (answered) return;
      answered = true;
      dialog.close();
      dialog.remove();
      resolve(answer);
    };
    ok.addEventListener("click", () => done(true));
    cancel.addEventListener("click", () => done(false));
    dialog.addEventListener("close", () => done(false));
    document.body.append(dialog);
    dialog.showModal();
    cancel.focus();
  });
}

/** An instant as the console writes it (date and time in Bucharest), or a dash. */
export function instant(iso: string | null | undefined): string {
  if (!iso) return "—";
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return new Intl.DateTimeFormat(currentLang() === "ro" ? "ro-RO" : "en-GB", {
    dateStyle: "short", timeStyle: "medium", timeZone: "Europe/Bucharest",
  }).format(d);
}

/** A wide table in a box that scrolls sideways on a narrow screen, reachable and named for the keyboard and screen readers. */
export function scrollable(table: HTMLTableElement): HTMLDivElement {
  return h("div", { class: "table-box", tabindex: "0", role: "region", "aria-label": table.caption?.textContent ?? "" }, table);
}

/** A code the server writes (a kind, a channel, a phone robot's figure) as people read it; an unknown code as it is. */
export function codeLabel(code: string): string {
  const names = codeNames[currentLang()];
  if (names[code]) return names[code];
  const dot = code.indexOf(".");
  if (dot > 0) {
    const group = names[`${code.slice(0, dot)}.`];
    const part = code.slice(dot + 1);
    if (group) return `${group}: ${names[part] ?? part}`;
  }
  return code;
}

