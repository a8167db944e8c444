import L from "leaflet";
import "leaflet/dist/leaflet.css";
// Leaflet finds its default marker images by a CSS trick that a bundler breaks: they are imported here so that Vite
// bundles them (inlined as data: URLs), and nothing is fetched from elsewhere.
import iconUrl from "leaflet/dist/images/marker-icon.png";
import iconRetinaUrl from "leaflet/dist/images/marker-icon-2x.png";
import shadowUrl from "leaflet/dist/images/marker-shadow.png";

L.Icon.Default.mergeOptions({ iconUrl, iconRetinaUrl, shadowUrl });
delete (L.Icon.Default.prototype as unknown as { _getIconUrl?: unknown })._getIconUrl;

/** Alba Iulia's centre (the Citadel). */
export const cityCentre: L.LatLngTuple = [46.0686, 23.5702];

/**
 * The city map. OpenStreetMap's tiles when the browser reaches them; offline, the tiles fail quietly (a plain
 * background shows through, see styles.css) and markers still draw, since they need no tile.
 */
export function cityMap(element: HTMLElement, label: string, zoom = 14): L.Map {
  const map = L.map(element, { center: cityCentre, zoom, keyboard: true, zoomControl: true });
  L.tileLayer("https://tile.openstreetmap.org/{z}/{x}/{y}.png", {
    maxZoom: 19,
    attribution: '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a>',
    crossOrigin: false,
  }).addTo(map);
  element.setAttribute("aria-label", label);
  element.setAttribute("role", "application");
  return map;
}

export { L };
