// The console's languages: Romanian (the default) and English. Each screen keeps its own texts beside it.
import { formatDate as formatCommonDate } from "../common/i18n";

export type Lang = "ro" | "en";
export const languages: readonly Lang[] = ["ro", "en"];
export type Texts<K extends string> = Record<Lang, Record<K, string>>;

const storageKey = "citizencrm.console.lang";

let lang: Lang = (() => {
  const asked = new URLSearchParams(location.search).get("lang");
  if (asked === "ro" || asked === "en") return asked;
  try {
    const kept = localStorage.getItem(storageKey); // the language only: never anything about a person or a session
    if (kept === "ro" || kept === "en") return kept;
  } catch {
    // Storage refused: Romanian.
  }
  return "ro";
})();

export function currentLang(): Lang {
  return lang;
}

export function setLang(next: Lang): void {
  lang = next;
  document.documentElement.lang = next;
  try {
    localStorage.setItem(storageKey, next);
  } catch {
    // Not kept: it holds for this page.
  }
}

/** The texts of one screen in the current language; a missing key shows itself rather than an empty label. */
export function textsOf<K extends string>(texts: Texts<K>): (key: K, ...args: (string | number)[]) => string {
  return (key, ...args) => {
    let s = texts[lang][key] ?? texts.ro[key] ?? key;
    args.forEach((a, i) => (s = s.replace(`{${i}}`, String(a))));
    return s;
  };
}

export function formatDate(iso: string | null | undefined): string {
  return formatCommonDate(iso, lang);
}

export function formatMoney(bani: number | null | undefined): string {
  if (bani === null || bani === undefined) return "—";
  return new Intl.NumberFormat(lang === "ro" ? "ro-RO" : "en-GB", { style: "currency", currency: "RON" }).format(bani / 100);
}

/** Fills every element with data-i18n="key" (its text) and data-i18n-label="key" (its aria-label). */
export function applyTexts(root: ParentNode, t: (key: never) => string): void {
  const tt = t as (key: string) => string;
  root.querySelectorAll<HTMLElement>("[data-i18n]").forEach((el) => (el.textContent = tt(el.dataset.i18n!)));
  root.querySelectorAll<HTMLElement>("[data-i18n-label]").forEach((el) => el.setAttribute("aria-label", tt(el.dataset.i18nLabel!)));
}
