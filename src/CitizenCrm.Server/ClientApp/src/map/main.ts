import "./styles.css";
import { appPath } from "../common/api";
import { currentLang, languageSwitch } from "../common/i18n";
import { showMapView } from "./map-view";
import { showReportView } from "./report-view";

// One page for every /map address: /map/ is the map with the report form, /map/r/2026-154 one report.
const main = document.getElementById("main")!;
const report = /^\/map\/r\/([^/]+)\/?$/.exec(appPath());

const view = report ? showReportView(main, decodeURIComponent(report[1]), currentLang()) : showMapView(main, currentLang());
languageSwitch((lang) => view.setLang(lang));
