// The incident map (staff feed): every report with a point, filtered by status and service, each marker's popup with
// the photos' thumbnails and a link that opens the case. The same incidents are listed in a table for the keyboard.
// Without tiles (no internet) the map's plain background shows and the markers still draw.
import { appUrl, get, query } from "../../api";
import { currentLang, formatDate } from "../../i18n";
import type { Screen, ScreenContext } from "../../screens";
import { announce, field, h, heading, showProblem } from "../../ui";
import { cityMap, L } from "../../../map/leaflet-setup";
import type { IncidentCollection, ReportPhotos, StaffIncident } from "./model";
import { t, word } from "./texts";

interface CatalogueService {
  code: string;
  name: string;
  incident: boolean;
}

function statusText(p: StaffIncident): string {
  const parts = [p.status === "closed" ? t("closed") : t("opened"), word(p.case_status)];
  if (p.under_review) parts.push(t("underReview"));
  if (p.hidden) parts.push(t("hiddenFromPublic"));
  return parts.join(" · ");
}

export const incidentMapScreen: Screen = {
  section: "incident-map",
  route: /^incident-map$/,
  async render(main: HTMLElement, ctx: ScreenContext) {
    const problem = h("div", { hidden: true });
    const status = h("select", { name: "status", id: "map-status" },
      new Option(t("all"), ""), new Option(t("opened"), "open"), new Option(t("closed"), "closed"));
    const service = h("select", { name: "service", id: "map-service" }, new Option(t("all"), ""));
    try {
      const services = await get<CatalogueService[]>(`/api/catalogue/services${query({ incidents: true, lang: currentLang() })}`);
      for (const s of services.filter((x) => x.incident)) service.append(new Option(s.name, s.code));
    } catch {
      // The filter still offers "all"; the map itself does not need the catalogue.
    }
    const filters = h("form", { class: "row map-filters", id: "map-filters" }, field(t("status"), status), field(t("serviceName"), service));
    const mapElement = h("div", { class: "incident-map", id: "incident-map" });
    const count = h("p", { role: "status", id: "map-count" });
    const tableBox = h("div", { id: "map-table" });
    main.append(heading(t("mapTitle")), filters, problem, h("div", { class: "map-layout" }, mapElement, count), tableBox);

    let map: L.Map | null = null;
    let layer: L.LayerGroup | null = null;
    const markers = new Map<string, L.Marker>();
    let abort: AbortController | null = null;

    function popupFor(p: StaffIncident): HTMLElement {
      // Leaflet handles the clicks inside its panes: the link opens the case itself (Enter and clicks alike).
      const openLink = h("a", { href: `#/case/${p.case_id}`, class: "open-case" }, t("openCase", p.registration_number));
      openLink.addEventListener("click", (e) => {
        e.preventDefault();
        ctx.navigate(`case/${p.case_id}`);
      });
      const photos = h("div", { class: "popup-photos" }, h("p", { class: "loading" }, t("photos")));
      const box = h("div", { class: "incident-popup", "data-case": p.case_id },
        h("p", { class: "popup-title" }, `${p.registration_number} · ${p.service_name}`),
        h("p", {}, p.subject),
        h("p", {}, statusText(p)),
        p.address_string ? h("p", {}, p.address_string) : null,
        photos,
        h("p", {}, openLink));
      void (async () => {
        try {
          const list = await get<ReportPhotos>(`/api/map/reports/${p.case_id}/photos`);
          photos.replaceChildren(list.photos.length
            ? h("ul", { class: "thumbs" }, list.photos.map((ph, i) =>
              h("li", {}, h("img", { src: appUrl(ph.thumbnailUrl), alt: t("photoOf", i + 1, p.registration_number), loading: "lazy" }))))
            : h("p", {}, t("noPhotos")));
        } catch (error) {
          showProblem(photos, error);
        }
      })();
      return box;
    }

    function openMarker(caseId: string): void {
      const marker = markers.get(caseId);
      if (!marker || !map) return;
      map.closePopup();
      map.setView(marker.getLatLng(), Math.max(map.getZoom(), 15));
      marker.openPopup();
      const link = document.querySelector<HTMLElement>(".leaflet-popup .open-case");
      link?.focus();
    }

    async function load(): Promise<void> {
      abort?.abort();
      abort = new AbortController();
      const feed = await get<IncidentCollection>(`/api/map/incidents${query({ status: status.value, service: service.value, lang: currentLang() })}`);
      // Newest first, as the feed gives them; reports of the same moment by registration number, the latest first.
      const numberKey = (n: string): number => {
        const m = /^(\d+)\/(\d{4})$/.exec(n);
        return m ? Number(m[2]) * 1e9 + Number(m[1]) : 0;
      };
      const features = feed.features.filter((f) => f.geometry?.type === "Point").sort((a, b) =>
        Date.parse(b.properties.requested_datetime) - Date.parse(a.properties.requested_datetime)
        || numberKey(b.properties.registration_number) - numberKey(a.properties.registration_number));
      map?.closePopup();
      markers.clear();
      layer?.clearLayers();
      for (const f of features) {
        const p = f.properties;
        const [lng, lat] = f.geometry.coordinates;
        const label = `${p.registration_number} · ${p.service_name} · ${statusText(p)}`;
        const marker = L.marker([lat, lng], { title: label, alt: label, keyboard: true });
        marker.bindPopup(() => popupFor(p), { maxWidth: 320 });
        markers.set(p.case_id, marker);
        layer?.addLayer(marker);
      }
      count.textContent = t("incidentsShown", features.length);
      tableBox.replaceChildren(features.length
        ? h("table", { class: "data", id: "incidents-table" },
          h("caption", {}, t("mapCaption", feed.numberMatched)),
          h("thead", {}, h("tr", {}, [t("number"), t("serviceName"), t("subject"), t("status"), t("address"), t("registered"), t("actions")]
            .map((x) => h("th", { scope: "col" }, x)))),
          h("tbody", {}, features.map((f) => {
            const p = f.properties;
            const show = h("button", { type: "button", class: "secondary", "aria-label": `${t("showOnMap")}: ${p.registration_number}` }, t("showOnMap"));
            show.addEventListener("click", () => openMarker(p.case_id));
            return h("tr", { "data-case": p.case_id },
              h("td", {}, h("a", { href: `#/case/${p.case_id}` }, p.registration_number)),
              h("td", {}, p.service_name),
              h("td", {}, p.subject),
              h("td", {}, statusText(p)),
              h("td", {}, p.address_string ?? "—"),
              h("td", {}, formatDate(p.requested_datetime)),
              h("td", {}, show));
          })))
        : h("p", {}, t("noIncidents")));
    }

    filters.addEventListener("change", () => void load().then(() => announce(count.textContent ?? "")).catch((error) => showProblem(problem, error)));
    filters.addEventListener("submit", (e) => e.preventDefault());

    // Leaflet measures its element: the map starts once the screen is on the page (the shell attaches it after render).
    let stopped = false;
    const start = (): void => {
      if (stopped) return;
      if (!mapElement.isConnected) {
        window.requestAnimationFrame(start);
        return;
      }
      map = cityMap(mapElement, t("mapLabel"), 14);
      layer = L.layerGroup().addTo(map);
      for (const m of markers.values()) layer.addLayer(m);
      map.invalidateSize();
    };
    window.requestAnimationFrame(start);
    ctx.onLeave(() => {
      stopped = true;
      abort?.abort();
      map?.remove();
    });
    await load();
  },
};
