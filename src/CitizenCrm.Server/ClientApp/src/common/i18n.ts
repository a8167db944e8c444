// The page's languages: Romanian (the default), English and Hungarian, as the catalogue has them.
export type Lang = "ro" | "en" | "hu";
export const languages: readonly Lang[] = ["ro", "en", "hu"];

const storageKey = "citizencrm.lang";

/** ?lang= in the address wins, then the visitor's last choice, then Romanian. */
export function currentLang(): Lang {
  const asked = new URLSearchParams(location.search).get("lang");
  if (asked && (languages as readonly string[]).includes(asked)) return asked as Lang;
  try {
    const kept = localStorage.getItem(storageKey);
    if (kept && (languages as readonly string[]).includes(kept)) return kept as Lang;
  } catch {
    // Storage may be refused (private mode, cookies blocked): Romanian then.
  }
  return "ro";
}

export function keepLang(lang: Lang): void {
  try {
    localStorage.setItem(storageKey, lang);
  } catch {
    // Not kept: the choice still holds for this page.
  }
  const url = new URL(location.href);
  url.searchParams.delete("lang");
  history.replaceState(history.state, "", url);
}

export type Texts<K extends string> = Record<Lang, Record<K, string>>;

/** Fills every element with data-i18n="key" (its text) and data-i18n-label="key" (its aria-label). */
export function applyTexts(root: ParentNode, t: Record<string, string>): void {
  root.querySelectorAll<HTMLElement>("[data-i18n]").forEach((el) => {
    const text = t[el.dataset.i18n!];
    if (text !== undefined) el.textContent = text;
  });
  root.querySelectorAll<HTMLElement>("[data-i18n-label]").forEach((el) => {
    const text = t[el.dataset.i18nLabel!];
    if (text !== undefined) el.setAttribute("aria-label", text);
  });
}

/** Wires the language buttons of the header; onChange re-renders the page in the new language. */
export function languageSwitch(onChange: (lang: Lang) => void): void {
  const buttons = document.querySelectorAll<HTMLButtonElement>("button[data-lang]");
  const mark = (lang: Lang) => {
    document.documentElement.lang = lang;
    buttons.forEach((b) => b.setAttribute("aria-pressed", String(b.dataset.lang === lang)));
  };
  mark(currentLang());
  buttons.forEach((b) =>
    b.addEventListener("click", () => {
      const lang = b.dataset.lang as Lang;
      keepLang(lang);
      mark(lang);
      onChange(lang);
    }),
  );
}

export function formatDate(iso: string | null | undefined, lang: Lang): string {
  if (!iso) return "—";
  // A bare date (2026-12-02) is a legal date in Bucharest: shown as it is, not shifted by the browser's zone.
  const date = /^\d{4}-\d{2}-\d{2}$/.test(iso) ? new Date(`${iso}T12:00:00Z`) : new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const withTime = iso.length > 10;
  return new Intl.DateTimeFormat(lang === "ro" ? "ro-RO" : lang === "hu" ? "hu-HU" : "en-GB", {
    dateStyle: "long",
    ...(withTime ? { timeStyle: "short", timeZone: "Europe/Bucharest" } : { timeZone: "UTC" }),
  }).format(date);
}
