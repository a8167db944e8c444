import { ApiError, appUrl, getJson } from "../common/api";
import { applyTexts, formatDate, type Lang } from "../common/i18n";
import { cityMap, L } from "./leaflet-setup";
import type { PublicReport } from "./model";
import type { View } from "./map-view";
import { fill, texts } from "./texts";

/** One report, for anyone who has its link: status, term, place, the public updates and the reviewed photos. */
export function showReportView(main: HTMLElement, id: string, initialLang: Lang): View {
  let lang = initialLang;
  let map: L.Map | undefined;

  function el<K extends keyof HTMLElementTagNameMap>(tag: K, text?: string, className?: string): HTMLElementTagNameMap[K] {
    const e = document.createElement(tag);
    if (text !== undefined) e.textContent = text;
    if (className) e.className = className;
    return e;
  }

  async function load(): Promise<void> {
    const t = texts[lang];
    document.title = `${fill(t.reportTitle, { id })} — ${t.title}`;
    applyTexts(document.body, t); // the header and skip link
    const back = el("a", t.backToMap, "back");
    back.href = appUrl("/map/");
    const article = el("article", undefined, "report-page");
    article.setAttribute("aria-busy", "true");
    article.append(el("p", t.loading));
    map?.remove();
    map = undefined;
    main.replaceChildren(back, article);

    let r: PublicReport;
    try {
      r = await getJson<PublicReport>(`/api/public/reports/${encodeURIComponent(id)}?lang=${lang}`);
    } catch (e) {
      article.replaceChildren(el("h2", fill(t.reportTitle, { id })), el("p", e instanceof ApiError && e.problem.status === 404 ? t.notFound : t.failed));
      article.removeAttribute("aria-busy");
      return;
    }

    const heading = el("h2", fill(t.reportTitle, { id: r.id }));
    const service = el("p", r.serviceName, "service-name");
    const status = el("p", undefined, "report-status");
    status.id = "report-status";
    status.append(el("span", r.status === "open" ? t.open : t.closed, `badge ${r.status}`), " ", el("span", r.statusText));

    const facts = el("dl", undefined, "facts");
    const fact = (label: string, value: string) => facts.append(el("dt", label), el("dd", value));
    fact(t.registeredOn, `${formatDate(r.registeredOn, lang)} (${r.registrationNumber})`);
    if (r.dueOn) fact(t.dueOn, formatDate(r.dueOn, lang));
    const place = [r.addressString, r.lat !== null && r.long !== null ? `${r.lat.toFixed(5)}, ${r.long.toFixed(5)}` : null].filter(Boolean).join(" · ");
    if (place) fact(t.place, place);

    const mapBox = el("div", undefined, "report-map");
    mapBox.tabIndex = 0;

    const updates = el("section");
    updates.append(el("h3", t.updates));
    if (r.updates.length === 0) updates.append(el("p", t.noUpdates));
    else {
      const list = el("ol", undefined, "updates");
      for (const u of r.updates) {
        const item = el("li");
        item.append(el("time", formatDate(u.updatedAt, lang)), " — ", el("span", u.description));
        list.append(item);
      }
      updates.append(list);
    }

    const photos = el("section");
    photos.append(el("h3", t.photos));
    if (r.photos.length === 0 && r.photosAwaitingReview === 0) photos.append(el("p", t.noPhotos));
    if (r.photos.length > 0) {
      const list = el("ul", undefined, "photos");
      for (const p of r.photos) {
        const link = el("a");
        link.href = appUrl(p.url);
        const img = el("img");
        img.src = appUrl(p.thumbnailUrl);
        img.alt = t.photoAlt;
        img.loading = "lazy";
        link.append(img);
        const item = el("li");
        item.append(link);
        list.append(item);
      }
      photos.append(list);
    }
    if (r.photosAwaitingReview > 0) {
      const waiting = el("p", fill(t.photosWaiting, { count: r.photosAwaitingReview }), "photos-waiting");
      waiting.id = "photos-waiting";
      photos.append(waiting);
    }

    article.replaceChildren(heading, service, status, facts, mapBox, updates, photos);
    article.removeAttribute("aria-busy");
    if (r.lat !== null && r.long !== null) {
      map = cityMap(mapBox, `${t.place}: ${place}`, 16);
      map.setView([r.lat, r.long], 16);
      L.marker([r.lat, r.long], { title: r.serviceName, alt: r.serviceName, keyboard: true }).addTo(map);
    } else mapBox.remove();
  }

  void load();
  return {
    setLang(next: Lang) {
      lang = next;
      void load();
    },
  };
}
