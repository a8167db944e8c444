import { ApiError, appUrl, getJson } from "../common/api";
import { applyTexts, formatDate, type Lang } from "../common/i18n";
import { cityMap, L } from "./leaflet-setup";
import type { CatalogueService, IncidentCollection, IncidentProperties, ReportReceipt } from "./model";
import { ReportForm } from "./report-form";
import { fill, texts } from "./texts";

export interface View {
  setLang(lang: Lang): void;
}

const template = `
  <div class="map-layout">
    <section class="map-area">
      <div id="city-map" class="city-map" tabindex="0"></div>
      <p id="incidents-status" class="map-status" role="status" aria-live="polite"></p>
    </section>
    <aside class="panel">
      <section class="filters" aria-labelledby="filters-heading">
        <h2 id="filters-heading" data-i18n="filters"></h2>
        <div class="filter-row">
          <label for="filter-status" data-i18n="status"></label>
          <select id="filter-status">
            <option value="" data-i18n="statusAll"></option>
            <option value="open" data-i18n="statusOpen"></option>
            <option value="closed" data-i18n="statusClosed"></option>
          </select>
        </div>
        <div class="filter-row">
          <label for="filter-service" data-i18n="service"></label>
          <select id="filter-service"><option value="" data-i18n="serviceAll"></option></select>
        </div>
      </section>
      <section id="report" class="report" aria-labelledby="report-heading"></section>
    </aside>
  </div>`;

/** The map with the reported incidents, the filters and the report form. */
export function showMapView(main: HTMLElement, initialLang: Lang): View {
  let lang = initialLang;
  main.innerHTML = template;
  const t = () => texts[lang];
  const mapElement = main.querySelector<HTMLElement>("#city-map")!;
  const map = cityMap(mapElement, t().mapLabel);
  const incidents = L.layerGroup().addTo(map);
  const statusFilter = main.querySelector<HTMLSelectElement>("#filter-status")!;
  const serviceFilter = main.querySelector<HTMLSelectElement>("#filter-service")!;
  const feedStatus = main.querySelector<HTMLElement>("#incidents-status")!;
  // The citizen's own reports of this visit, shown at once even before the feed lists them (text under review, say).
  const mine = new Map<string, { lat: number; lng: number; props: IncidentProperties }>();
  let services: CatalogueService[] = [];
  let feedAbort: AbortController | undefined;

  const form = new ReportForm(main.querySelector<HTMLElement>("#report")!, map, lang, (receipt, point, service) => {
    mine.set(receipt.id, {
      lat: point.lat,
      lng: point.lng,
      props: {
        id: receipt.id, service_code: service.code, service_name: service.name, status: "open",
        requested_datetime: receipt.registeredOn, updated_datetime: null, address_string: null, url: receipt.url, thumbnail_url: null,
      },
    });
    void loadIncidents();
  });

  function incidentMarker(lat: number, lng: number, p: IncidentProperties, own: boolean): L.Marker {
    const label = `${p.id} · ${p.service_name} · ${p.status === "open" ? t().open : t().closed}`;
    const icon = L.divIcon({
      className: `incident-marker ${p.status}${own ? " own" : ""}`,
      html: `<span aria-hidden="true"></span>`,
      iconSize: [22, 22],
      iconAnchor: [11, 11],
      popupAnchor: [0, -10],
    });
    const marker = L.marker([lat, lng], { icon, title: label, alt: label, keyboard: true, riseOnHover: true });
    marker.getElement?.()?.setAttribute("data-id", p.id);
    const popup = document.createElement("div");
    popup.className = "incident-popup";
    const heading = document.createElement("strong");
    heading.textContent = `${p.service_name}`;
    const meta = document.createElement("p");
    meta.textContent = `${p.id} · ${p.status === "open" ? t().open : t().closed} · ${formatDate(p.requested_datetime, lang)}`;
    popup.append(heading, meta);
    if (p.address_string) {
      const address = document.createElement("p");
      address.textContent = p.address_string;
      popup.append(address);
    }
    if (p.thumbnail_url) {
      const img = document.createElement("img");
      img.src = appUrl(p.thumbnail_url);
      img.alt = t().photoAlt;
      img.width = 120;
      popup.append(img);
    }
    const link = document.createElement("a");
    link.href = appUrl(p.url);
    link.textContent = t().reportLink;
    popup.append(link);
    marker.bindPopup(popup);
    marker.on("add", () => marker.getElement()?.setAttribute("data-id", p.id));
    return marker;
  }

  async function loadIncidents(): Promise<void> {
    feedAbort?.abort();
    feedAbort = new AbortController();
    const b = map.getBounds();
    const query = new URLSearchParams({
      bbox: [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()].map((n) => n.toFixed(6)).join(","),
      lang,
    });
    if (statusFilter.value) query.set("status", statusFilter.value);
    if (serviceFilter.value) query.set("service", serviceFilter.value);
    let features: IncidentCollection["features"] = [];
    let failed = false;
    try {
      features = (await getJson<IncidentCollection>(`/api/public/map/incidents?${query}`, feedAbort.signal)).features ?? [];
    } catch (e) {
      if (e instanceof DOMException && e.name === "AbortError") return;
      failed = true;
    }
    incidents.clearLayers();
    const shown = new Set<string>();
    for (const f of features) {
      const [lng, lat] = f.geometry.coordinates;
      shown.add(f.properties.id);
      incidentMarker(lat, lng, f.properties, mine.has(f.properties.id)).addTo(incidents);
    }
    for (const [id, own] of mine) {
      if (shown.has(id)) continue;
      if (statusFilter.value && statusFilter.value !== own.props.status) continue;
      if (serviceFilter.value && serviceFilter.value !== own.props.service_code) continue;
      incidentMarker(own.lat, own.lng, own.props, true).addTo(incidents);
      shown.add(id);
    }
    feedStatus.textContent = failed ? t().feedUnavailable : shown.size === 1 ? t().incidentShown : fill(t().incidentsShown, { count: shown.size });
  }

  async function loadServices(): Promise<void> {
    try {
      services = await getJson<CatalogueService[]>(`/api/catalogue/services?incidents=true&lang=${lang}`);
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      services = [];
    }
    services = services.filter((s) => s.incident);
    const chosen = serviceFilter.value;
    serviceFilter.replaceChildren(new Option(t().serviceAll, ""));
    for (const s of services) serviceFilter.append(new Option(s.name, s.code, false, s.code === chosen));
    form.setServices(services);
  }

  function render(): void {
    applyTexts(document.body, t()); // the header and skip link too
    mapElement.setAttribute("aria-label", t().mapLabel);
    document.title = `${t().title} — Alba Iulia`;
  }

  let pending: number | undefined;
  map.on("moveend", () => {
    window.clearTimeout(pending);
    pending = window.setTimeout(() => void loadIncidents(), 250);
  });
  statusFilter.addEventListener("change", () => void loadIncidents());
  serviceFilter.addEventListener("change", () => void loadIncidents());

  render();
  void loadServices();
  void loadIncidents();

  return {
    setLang(next: Lang) {
      lang = next;
      render();
      form.setLang(next);
      void loadServices();
      void loadIncidents();
    },
  };
}

export type { ReportReceipt };
