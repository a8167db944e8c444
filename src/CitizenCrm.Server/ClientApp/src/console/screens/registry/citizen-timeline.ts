// The citizen's unified timeline: one list item per event, with its channel's icon (an inline SVG with an accessible
// name), filters, and endless scroll (an IntersectionObserver on a sentinel, and a real "Load more" button).
// renderTimelineEvents is apart so the benchmark (bench/ConsoleTimeline) can time it: each page marks "timeline-data" when
// its JSON has arrived and "timeline-rendered" once its events are in the DOM (measure "timeline-render"), then
// "timeline-painted" after the next frame (measure "timeline-paint").
import { get, query } from "../../api";
import { formatDate } from "../../i18n";
import { field, h, showProblem } from "../../ui";
import type { TimelineEvent, TimelinePage } from "../../model";
import { t, type CitizenTextKey } from "./citizen-texts";
import { actorName, eventKindLabel, labelledEventKind, pick } from "./registry-words";

export type { TimelineEvent, TimelinePage };

export const channels = ["desk", "phone", "ivr", "web", "email", "post", "map", "field", "system"] as const;

const kinds = [
  "case.registered", "case.registered_on_behalf", "case.assigned", "case.answered", "case.closed", "case.overdue",
  "citizen.registered", "citizen.updated", "citizen.phone_pin_issued", "citizen.phone_pin_reset", "phone.access_unlocked",
  "interaction.desk_visit", "interaction.call_note", "ivr.call_started", "ivr.identity_verified", "ivr.callback_requested",
  "email.received", "email.sent", "notification.sent",
];

const svgNs = "http://www.w3.org/2000/svg";

/** Simple 16×16 strokes per channel (drawn here, so nothing is fetched and the page's CSP allows it). */
const iconPaths: Record<string, string[]> = {
  desk: ["M2 7h12v7H2z", "M5 7V4h6v3", "M2 10h12"],
  phone: ["M4 2h3l1 3-2 1a8 8 0 0 0 4 4l1-2 3 1v3a1 1 0 0 1-1 1A12 12 0 0 1 3 3a1 1 0 0 1 1-1z"],
  ivr: ["M3 3h10v7H7l-3 3v-3H3z", "M6 6h0.1", "M8 6h0.1", "M10 6h0.1"],
  web: ["M8 2a6 6 0 1 0 0.01 0z", "M2 8h12", "M8 2c2.5 2.5 2.5 9.5 0 12", "M8 2c-2.5 2.5-2.5 9.5 0 12"],
  email: ["M2 4h12v8H2z", "M2 4l6 5 6-5"],
  post: ["M3 3h10v10H3z", "M5 6h6", "M5 9h4"],
  map: ["M8 14s-4-4.5-4-7.5a4 4 0 0 1 8 0C12 9.5 8 14 8 14z", "M8 5.5h0.1"],
  field: ["M8 2l5 4v8H3V6z", "M6 14v-4h4v4"],
  system: ["M8 5a3 3 0 1 0 0.01 0z", "M8 1v2", "M8 13v2", "M1 8h2", "M13 8h2"],
};

export function channelName(channel: string): string {
  return (channels as readonly string[]).includes(channel) ? t(`channel_${channel}` as CitizenTextKey) : channel;
}

/** The channel's icon: an SVG whose role and name say the channel to a screen reader. */
export function channelIcon(channel: string): SVGSVGElement {
  const svg = document.createElementNS(svgNs, "svg");
  svg.setAttribute("viewBox", "0 0 16 16");
  svg.setAttribute("width", "16");
  svg.setAttribute("height", "16");
  svg.setAttribute("role", "img");
  svg.setAttribute("aria-label", channelName(channel));
  svg.setAttribute("class", `channel-icon channel-${channel}`);
  const title = document.createElementNS(svgNs, "title");
  title.textContent = channelName(channel);
  svg.append(title);
  for (const d of iconPaths[channel] ?? iconPaths.system) {
    const path = document.createElementNS(svgNs, "path");
    path.setAttribute("d", d);
    svg.append(path);
  }
  return svg;
}

/** Appends one page of events to the list; returns how many it drew. Kept apart and synchronous so it can be timed. */
export function renderTimelineEvents(list: HTMLElement, events: readonly TimelineEvent[]): number {
  const fragment = document.createDocumentFragment();
  for (const e of events) {
    const meta = [t("by", actorName(e.actor)), e.onBehalfOf ? t("onBehalf", e.onBehalfOf) : null].filter(Boolean).join(" · ");
    fragment.append(
      h("li", { class: `event channel-${e.channel}`, "data-seq": e.seq, "data-channel": e.channel, "data-kind": e.kind },
        h("span", { class: "event-icon" }, channelIcon(e.channel)),
        h("div", { class: "event-body" },
          h("p", { class: "event-summary" }, e.summary, e.erased ? ` ${t("erased")}` : null),
          h("p", { class: "event-meta" },
            h("time", { datetime: e.occurredAt }, formatDate(e.occurredAt)), " · ", h("span", { class: "event-kind", title: e.kind }, eventKindLabel(e.kind) ?? e.kind),
            meta ? ` · ${meta}` : null,
            e.caseId ? [" · ", h("a", { href: `#/case/${e.caseId}` }, t("openCase"))] : null))));
  }
  list.append(fragment);
  return events.length;
}

/** The timeline's section: filters, the list, the sentinel and the "Load more" button. */
export function timelineSection(citizenId: string, onLeave: (cleanup: () => void) => void): { section: HTMLElement; reload: () => Promise<void> } {
  const channel = h("select", { name: "channel" }, h("option", { value: "" }, t("all")),
    channels.map((c) => h("option", { value: c }, channelName(c))));
  const kind = h("select", { name: "kind" }, h("option", { value: "" }, t("all")), kinds.map((k) => h("option", { value: k }, labelledEventKind(k))));
  const from = h("input", { name: "from", type: "date" });
  const to = h("input", { name: "to", type: "date" });
  const clear = h("button", { type: "button", class: "secondary" }, t("clear"));
  const filters = h("form", { class: "timeline-filters no-print", "aria-label": t("filters") },
    field(t("channel"), channel), field(t("kind"), kind), field(t("from"), from), field(t("to"), to),
    h("div", { class: "row filter-buttons" }, h("button", { type: "submit" }, t("apply")), clear));
  const problem = h("div", { hidden: true });
  const list = h("ol", { class: "timeline", id: "timeline-list", "aria-labelledby": "timeline-title" });
  const status = h("p", { class: "timeline-status", role: "status" });
  const more = h("button", { type: "button", class: "secondary load-more" }, t("loadMore"));
  const sentinel = h("div", { class: "timeline-sentinel", "aria-hidden": "true" });
  const section = h("section", { class: "card timeline-card", "aria-labelledby": "timeline-title" },
    h("h2", { id: "timeline-title" }, t("timeline")), filters, problem, list, status, more, sentinel);

  let next: number | null = null;
  let shown = 0;
  let loading = false;
  let generation = 0;

  const load = async (first: boolean) => {
    if (loading && !first) return;
    const mine = first ? ++generation : generation;
    loading = true;
    more.disabled = true;
    try {
      const url = `/api/citizens/${citizenId}/timeline${query({
        before: first ? null : next, limit: 50, channel: channel.value, kind: kind.value, from: from.value, to: to.value,
      })}`;
      const page = await get<TimelinePage>(url);
      if (mine !== generation) return; // a newer filter replaced this page
      performance.mark("timeline-data");
      if (first) {
        list.replaceChildren();
        shown = 0;
      }
      shown += renderTimelineEvents(list, page.events);
      performance.mark("timeline-rendered");
      performance.measure("timeline-render", "timeline-data", "timeline-rendered");
      // And once the browser has drawn them: the task after the next animation frame runs after its style, layout and paint.
      requestAnimationFrame(() => window.setTimeout(() => {
        performance.mark("timeline-painted");
        performance.measure("timeline-paint", "timeline-data", "timeline-painted");
      }, 0));
      next = page.nextBefore;
      problem.hidden = true;
      if (shown === 0) status.textContent = t("noEvents");
      else if (next === null) status.textContent = t(pick(shown, "allShownOne", "allShown", "allShownMany"), shown);
      else status.textContent = t(page.total === null || page.total === undefined ? "eventsShown" : pick(page.total, "eventsShown", "eventsShown", "eventsShownMany"), shown, page.total ?? "?");
      more.hidden = next === null;
    } catch (error) {
      showProblem(problem, error, filters);
    } finally {
      if (mine === generation) {
        loading = false;
        more.disabled = false;
      }
    }
  };

  filters.addEventListener("submit", (e) => {
    e.preventDefault();
    void load(true);
  });
  channel.addEventListener("change", () => void load(true));
  kind.addEventListener("change", () => void load(true));
  clear.addEventListener("click", () => {
    channel.value = kind.value = from.value = to.value = "";
    void load(true);
  });
  more.addEventListener("click", () => void load(false));
  const observer = new IntersectionObserver((entries) => {
    if (entries.some((x) => x.isIntersecting) && next !== null && !loading) void load(false);
  }, { rootMargin: "200px" });
  observer.observe(sentinel);
  onLeave(() => observer.disconnect());

  return { section, reload: () => load(true) };
}
