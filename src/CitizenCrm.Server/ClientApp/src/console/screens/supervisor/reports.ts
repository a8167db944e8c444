// The supervisor's reports: each report of /api/reports as a chart and, beside it, a table with the same figures (the
// CSV the server writes, so the table, the chart and the downloaded file always agree), with date, department, channel
// and service filters kept in the address (#/reports?from=...&to=...).
import { BarController, BarElement, CategoryScale, Chart, Legend, LinearScale, Tooltip } from "chart.js";
import { get, query } from "../../api";
import { currentLang, formatDate, textsOf } from "../../i18n";
import type { Screen, ScreenContext } from "../../screens";
import { announce, busy, field, h, heading, link, showProblem } from "../../ui";
import { bucharestToday, codeLabel, fetchCsv, parseCsv, saveFile } from "./kit";
import { codeNames, columnNames, supervisorTexts } from "./texts";

Chart.register(BarController, BarElement, CategoryScale, LinearScale, Legend, Tooltip);

const t = textsOf(supervisorTexts);

const reportNames = ["cases", "interactions", "answer-times", "notifications", "phone-robot", "daily-snapshots"] as const;
type ReportName = (typeof reportNames)[number];
const channels = ["phone", "ivr", "desk", "web", "email", "post", "map", "field", "system"];
const palette = ["#1f5f99", "#b5452b", "#2e7d32", "#7b4fa0", "#9a6a00", "#00707a", "#5d6b78", "#c2185b", "#3949ab"];

interface ChartData {
  labels: string[];
  datasets: { label: string; data: number[]; code?: string }[];
}

export interface Filters {
  from: string;
  to: string;
  department: string;
  channel: string;
  service: string;
}

function filtersOf(q: URLSearchParams): Filters {
  return {
    from: q.get("from") || bucharestToday(-29),
    to: q.get("to") || bucharestToday(),
    department: q.get("department") ?? "",
    channel: q.get("channel") ?? "",
    service: q.get("service") ?? "",
  };
}

function header(name: string): string {
  return columnNames[currentLang()][name] ?? codeNames[currentLang()][name] ?? name;
}

const numberFormat = () => new Intl.NumberFormat(currentLang() === "ro" ? "ro-RO" : "en-GB", { maximumFractionDigits: 2 });
const shortDate = (iso: string) => new Intl.DateTimeFormat(currentLang() === "ro" ? "ro-RO" : "en-GB", { day: "2-digit", month: "2-digit", year: "numeric", timeZone: "UTC" }).format(new Date(`${iso}T00:00:00Z`));

/** A CSV cell as the console shows it: numbers and dates written the reader's way, codes translated, a blank as a dash. */
function cellText(column: string, value: string): string {
  if (value === "") return "—";
  if (/^-?\d+(\.\d+)?$/.test(value)) return numberFormat().format(Number(value));
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return shortDate(value);
  if (["kind", "channel", "figure", "department"].includes(column)) return codeLabel(value);
  return value;
}

/** Colours that mean something: what is late or failed in red, what is answered or sent in green. */
const colourOf: Record<string, string> = {
  opened: "#1f5f99", answered: "#2e7d32", overdue_now: "#b5452b", sent: "#2e7d32", failed: "#b5452b",
  median_days: "#1f5f99", percentile_90_days: "#7b4fa0", interactions: "#1f5f99", cases_opened: "#1f5f99", cases_answered: "#2e7d32",
};

const num = (s: string | undefined) => (s === undefined || s === "" ? 0 : Number(s));

/** Which of the report's CSV columns the chart draws, and how its rows become bars. */
function chartOf(name: ReportName, head: string[], rows: string[][]): ChartData {
  const col = (c: string) => head.indexOf(c);
  const byLabel = (label: (r: string[]) => string, columns: string[], keep: (r: string[]) => boolean = () => true): ChartData => {
    const kept = rows.filter(keep);
    return { labels: kept.map(label), datasets: columns.map((c) => ({ label: header(c), code: c, data: kept.map((r) => num(r[col(c)])) })) };
  };
  const pivot = (labelColumn: string, seriesColumn: string, valueColumn: string): ChartData => {
    const labels = [...new Set(rows.map((r) => r[col(labelColumn)]))];
    const series = [...new Set(rows.map((r) => r[col(seriesColumn)]))];
    return {
      labels: labels.map((l) => cellText(labelColumn, l)),
      datasets: series.map((s) => ({
        label: codeLabel(s),
        data: labels.map((l) => rows.filter((r) => r[col(labelColumn)] === l && r[col(seriesColumn)] === s).reduce((sum, r) => sum + num(r[col(valueColumn)]), 0)),
      })),
    };
  };
  switch (name) {
    case "cases":
      return byLabel((r) => codeLabel(r[0]), ["opened", "answered", "overdue_now"], (r) => r[0] !== "all");
    case "answer-times":
      return byLabel((r) => codeLabel(r[0]), ["median_days", "percentile_90_days"], (r) => r[0] !== "all");
    case "interactions":
      return pivot("date", "channel", "interactions");
    case "notifications":
      return byLabel((r) => `${codeLabel(r[0])}: ${codeLabel(r[1])}`, ["sent", "failed"], (r) => r[0] !== "all");
    case "phone-robot": {
      const outcomes = rows.filter((r) => r[0].startsWith("outcomes."));
      return { labels: outcomes.map((r) => codeLabel(r[0].slice("outcomes.".length))), datasets: [{ label: header("value"), data: outcomes.map((r) => num(r[1])) }] };
    }
    case "daily-snapshots": {
      const days = [...new Set(rows.map((r) => r[col("day")]))];
      return {
        labels: days.map(shortDate),
        datasets: ["interactions", "cases_opened", "cases_answered"].map((c) => ({
          label: header(c),
          code: c,
          data: days.map((d) => rows.filter((r) => r[col("day")] === d).reduce((s, r) => s + num(r[col(c)]), 0)),
        })),
      };
    }
  }
}

function reportUrl(name: string, f: Filters, csv: boolean): string {
  return `/api/reports/${name}${query({ from: f.from, to: f.to, department: f.department, channel: f.channel, service: f.service, format: csv ? "csv" : null })}`;
}

function csvTable(caption: string, head: string[], rows: string[][]): HTMLTableElement {
  return h("table", { class: "data figures" },
    h("caption", {}, caption),
    h("thead", {}, h("tr", {}, head.map((c) => h("th", { scope: "col" }, header(c))))),
    h("tbody", {}, rows.length === 0
      ? h("tr", {}, h("td", { colspan: head.length }, t("noRows")))
      : rows.map((r) => h("tr", {}, r.map((c, i) => (i === 0 ? h("th", { scope: "row" }, cellText(head[i], c)) : h("td", {}, c === "all" ? (currentLang() === "ro" ? "toate" : "all") : cellText(head[i], c))))))));
}

/** The interactions per day and channel as one row a day and a column a channel (the CSV has a row per day and channel). */
function pivotDays(head: string[], rows: string[][]): [string[], string[][]] {
  const [d, c, n] = ["date", "channel", "interactions"].map((x) => head.indexOf(x));
  const present = channels.filter((ch) => rows.some((r) => r[c] === ch));
  const extra = [...new Set(rows.map((r) => r[c]).filter((ch) => !channels.includes(ch)))];
  const cols = [...present, ...extra];
  const days = [...new Set(rows.map((r) => r[d]))];
  return [["date", ...cols, "total"], days.map((day) => {
    const counts = cols.map((ch) => rows.filter((r) => r[d] === day && r[c] === ch).reduce((s, r) => s + num(r[n]), 0));
    return [day, ...counts.map(String), String(counts.reduce((a, b) => a + b, 0))];
  })];
}

/** One report: its title, the download button, the chart (a canvas named for screen readers) and the table. */
async function drawReport(name: ReportName, f: Filters, charts: Chart[]): Promise<HTMLElement> {
  const title = t(`r.${name}`);
  const section = h("section", { class: "report", "aria-labelledby": `report-${name}`, "data-report": name },
    h("h2", { id: `report-${name}` }, title));
  const problem = h("div", { hidden: true });
  const download = h("button", { type: "button", class: "secondary no-print", "data-download": name }, t("download", title));
  const fileName = `${name}-${f.from}-${f.to}.csv`;
  download.addEventListener("click", () => void busy(download, async () => {
    try {
      saveFile(await fetchCsv(reportUrl(name, f, true)), fileName);
      announce(t("downloaded", fileName));
    } catch (error) {
      showProblem(problem, error);
    }
  }));
  section.append(download, problem);
  let text: string;
  try {
    text = await fetchCsv(reportUrl(name, f, true));
  } catch (error) {
    showProblem(problem, error);
    download.disabled = true;
    return section;
  }
  const [head, ...rows] = parseCsv(text).filter((r) => r.length > 1 || r[0] !== "");
  const period = [formatDate(f.from), formatDate(f.to)] as const;
  const data = chartOf(name, head, rows);
  const [shownHead, shownRows] = name === "interactions" ? pivotDays(head, rows) : [head, rows];
  const table = csvTable(t("figuresOf", title, ...period), shownHead, shownRows);
  const box = h("div", { class: "table-box", tabindex: "0", role: "region", "aria-label": t("figuresOf", title, ...period) }, table);
  // A long table (a row a day) stays folded under the chart that sums it up; the short ones are shown.
  const tablePart = shownRows.length > 10
    ? h("details", { class: "long-table" }, h("summary", {}, t("showTable", String(shownRows.length))), box)
    : box;
  // A table of many columns goes under its chart, at the screen's whole width, rather than beside it.
  const pairClass = shownHead.length > 6 ? "chart-pair stacked" : "chart-pair";
  const empty = data.labels.length === 0 || data.datasets.every((d) => d.data.every((v) => v === 0));
  if (empty) {
    section.append(h("div", { class: pairClass }, h("div", { class: "chart-box chart-empty" }, h("p", { class: "chart-empty-text" }, t("noChartData"))), tablePart));
    return section;
  }
  const canvas = h("canvas", { role: "img", "aria-label": t("chartOf", title, ...period), id: `chart-${name}` });
  section.append(h("div", { class: pairClass }, h("div", { class: "chart-box" }, canvas), tablePart));
  charts.push(new Chart(canvas, {
    type: "bar",
    data: { labels: data.labels, datasets: data.datasets.map(({ code, ...d }, i) => ({ ...d, backgroundColor: (code && colourOf[code]) || palette[i % palette.length] })) },
    options: { animation: false, responsive: true, maintainAspectRatio: false, plugins: { legend: { position: "bottom" } }, scales: { y: { beginAtZero: true } } },
  }));
  return section;
}

interface ServiceName {
  code: string;
  name: string;
}

function filterForm(f: Filters, ctx: ScreenContext, services: ServiceName[]): HTMLFormElement {
  const from = h("input", { type: "date", name: "from", value: f.from, required: true });
  const to = h("input", { type: "date", name: "to", value: f.to, required: true });
  const department = h("input", { name: "department", value: f.department });
  const channel = h("select", { name: "channel" }, h("option", { value: "" }, t("anyChannel")),
    channels.map((c) => h("option", { value: c, selected: c === f.channel }, codeLabel(c))));
  const known = services.some((s) => s.code === f.service);
  const service = h("select", { name: "service" }, h("option", { value: "" }, t("anyService")),
    services.map((s) => h("option", { value: s.code, selected: s.code === f.service }, s.name)),
    f.service && !known ? h("option", { value: f.service, selected: true }, f.service) : null);
  const form = h("form", { class: "filters no-print", "aria-label": t("filters") },
    h("div", { class: "filter-grid" }, field(t("from"), from), field(t("to"), to), field(t("department"), department, t("departmentHint")),
      field(t("channel"), channel), field(t("service"), service)),
    h("button", { type: "submit", id: "show-reports" }, t("show")));
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    ctx.navigate(`reports${query({ from: from.value, to: to.value, department: department.value.trim(), channel: channel.value, service: service.value.trim() })}`);
  });
  return form;
}

export const reportsScreen: Screen = {
  section: "reports",
  route: /^reports$/,
  async render(main, ctx) {
    const f = filtersOf(ctx.query);
    const charts: Chart[] = [];
    ctx.onLeave(() => charts.forEach((c) => c.destroy()));
    const year = Number(f.to.slice(0, 4));
    let services: ServiceName[] = [];
    try {
      services = await get<ServiceName[]>(`/api/catalogue/services${query({ lang: currentLang() })}`);
    } catch {
      // Without the catalogue the filter offers "all services" (and the one in the address); the reports still draw.
    }
    main.append(heading(t("reportsTitle")), filterForm(f, ctx, services),
      h("p", { class: "period" }, t("period", formatDate(f.from), formatDate(f.to))));
    // The reports the law requires first: they are what a supervisor comes for at the year's end.
    main.append(h("section", { class: "legal-links no-print", "aria-labelledby": "legal-title" },
      h("h2", { id: "legal-title" }, t("legalTitle")),
      h("ul", {},
        h("li", {}, link(`reports/law-544?year=${year - 1}`, `${t("law544Link")} ${year - 1}`, { "data-law": "544-previous" })),
        h("li", {}, link(`reports/law-544?year=${year}`, `${t("law544Link")} ${year}`, { "data-law": "544" })),
        h("li", {}, link(`reports/petitions${query({ from: f.from, to: f.to })}`, `${t("petitionsLink")}: ${formatDate(f.from)} – ${formatDate(f.to)}`, { "data-law": "petitions" })))));
    const drawn = await Promise.all(reportNames.map((n) => drawReport(n, f, charts)));
    main.append(...drawn);
  },
};

interface LegalFigure {
  key: string;
  label: string;
  source: string;
  value: number | null;
  breakdown: Record<string, number> | null;
  notHeld: string | null;
}

interface LegalReport {
  title: string;
  legalBasis: string;
  from: string;
  to: string;
  drawnOn: string;
  cohort: string;
  figures: LegalFigure[];
}

/** A report the law requires, laid out to print: the console's chrome and the buttons stay off the paper. */
async function drawLegal(main: HTMLElement, ctx: ScreenContext, apiPath: string, fileName: string): Promise<void> {
  const report = await get<LegalReport>(apiPath);
  const problem = h("div", { hidden: true });
  const print = h("button", { type: "button", id: "print-report" }, t("print"));
  print.addEventListener("click", () => window.print());
  const download = h("button", { type: "button", class: "secondary", "data-download": "legal" }, t("download", report.title));
  download.addEventListener("click", () => void busy(download, async () => {
    try {
      saveFile(await fetchCsv(`${apiPath}${apiPath.includes("?") ? "&" : "?"}format=csv`), fileName);
      announce(t("downloaded", fileName));
    } catch (error) {
      showProblem(problem, error);
    }
  }));
  const rows = report.figures.flatMap((fig) => [
    h("tr", { "data-figure": fig.key },
      h("th", { scope: "row" }, fig.label),
      fig.value === null
        ? h("td", { class: "not-held" }, `${t("notHeld")}: ${fig.notHeld ?? ""}`)
        : h("td", { class: "value" }, numberFormat().format(fig.value)),
      h("td", { class: "source" }, fig.source)),
    ...Object.entries(fig.breakdown ?? {}).map(([part, n]) =>
      h("tr", { class: "part" }, h("th", { scope: "row" }, `— ${part}`), h("td", { class: "value" }, numberFormat().format(n)), h("td", {}, ""))),
  ]);
  main.append(
    h("p", { class: "no-print" }, link("reports", t("back"))),
    h("article", { class: "legal-report" },
      heading(report.title),
      h("dl", { class: "legal-meta" },
        h("dt", {}, t("legalBasis")), h("dd", {}, report.legalBasis),
        h("dt", {}, t("periodLabel")), h("dd", {}, `${formatDate(report.from)} – ${formatDate(report.to)}`),
        h("dt", {}, t("cohort")), h("dd", {}, report.cohort),
        h("dt", {}, t("drawnOn")), h("dd", {}, formatDate(report.drawnOn))),
      h("table", { class: "data legal-figures" },
        h("caption", {}, report.title),
        h("thead", {}, h("tr", {}, h("th", { scope: "col" }, t("figure")), h("th", { scope: "col" }, t("value")), h("th", { scope: "col" }, t("source")))),
        h("tbody", {}, rows)),
      h("p", { class: "print-only printed-from" }, `${t("printedFrom")} — ${ctx.me.displayName}`)),
    h("div", { class: "row no-print" }, print, download), problem);
}

export const law544Screen: Screen = {
  section: "reports",
  route: /^reports\/law-544$/,
  async render(main, ctx) {
    const year = ctx.query.get("year") ?? bucharestToday().slice(0, 4);
    await drawLegal(main, ctx, `/api/reports/law-544${query({ year })}`, `law-544-${year}.csv`);
  },
};

export const petitionsScreen: Screen = {
  section: "reports",
  route: /^reports\/petitions$/,
  async render(main, ctx) {
    const f = filtersOf(ctx.query);
    await drawLegal(main, ctx, `/api/reports/petitions${query({ from: f.from, to: f.to })}`, `petitions-${f.from}-${f.to}.csv`);
  },
};
