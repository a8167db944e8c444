// The callers waiting for an operator, each with a screen pop, and the callbacks and messages to handle. Live: the
// dispatch stream's phone events reread the list, and a poll every few seconds keeps the waiting times current.
import { get, post } from "../../api";
import { formatDate } from "../../i18n";
import type { Screen, ScreenContext } from "../../screens";
import { announce, busy, clearProblem, h, heading, showProblem } from "../../ui";
import { openDispatchStream } from "./live";
import type { PhoneQueue, PhoneRequest, WaitingCaller } from "./model";
import { t, word } from "./texts";

const pollMilliseconds = 5000;

/** A moment as the console writes it (its date and time of day). */
function dateTime(iso: string): string {
  return formatDate(iso);
}

function identityLine(identity: WaitingCaller["identity"]): Node {
  if (!identity) return h("p", { class: "identity unverified" }, t("notVerified"));
  return h("div", { class: "identity verified" },
    h("p", { class: "identity-title" }, t("verified")),
    h("p", {}, h("a", { href: `#/citizen/${identity.citizenId}`, class: "caller-name" }, `${identity.lastName} ${identity.firstName}`),
      " · ", h("span", { class: "masked-cnp" }, identity.maskedNationalId)));
}

function callerCard(caller: WaitingCaller, index: number): HTMLElement {
  const id = `caller-${index}`;
  return h("article", { class: "card caller-pop", "data-call": caller.callSid, "aria-labelledby": id },
    h("h3", { id }, `${t("caller")} ${caller.callerMasked}`, " ", h("span", { class: "waiting-time" }, `(${t("waitingFor", caller.waitingSeconds)})`)),
    identityLine(caller.identity),
    h("dl", { class: "facts" },
      h("dt", {}, t("reason")), h("dd", { class: "why" }, word(caller.reason)),
      h("dt", {}, t("language")), h("dd", { class: "language" }, word(caller.language))),
    h("h4", {}, t("recentTimeline")),
    caller.recentTimeline.length
      ? h("ol", { class: "recent" }, caller.recentTimeline.map((e) =>
        h("li", {}, h("span", { class: "when" }, dateTime(e.occurredAt)), " ", h("span", { class: "channel" }, `[${word(e.channel)}]`), " ", e.summary)))
      : h("p", {}, t("noTimeline")));
}

export const callersScreen: Screen = {
  section: "callers",
  route: /^callers$/,
  async render(main: HTMLElement, ctx: ScreenContext) {
    const problem = h("div", { hidden: true });
    const waitingBox = h("div", { id: "callers-waiting", class: "cards" });
    const requestsBox = h("div", { id: "phone-requests" });
    let shown = "";
    let lastCalls = new Set<string>();
    // Numbers shown whole after "Show the number" (each press read with reveal=true, which the server audits); kept in memory only.
    const revealed = new Map<string, string>();

    function numberCell(r: PhoneRequest, label: string): HTMLTableCellElement {
      if (!r.callbackNumber) return h("td", {}, "—");
      const whole = revealed.get(r.id);
      if (whole) return h("td", { class: "callback-number" }, h("span", { class: "whole-number" }, whole));
      const show = h("button", { type: "button", class: "secondary reveal-number", "aria-label": `${t("showNumber")}: ${label}` }, t("showNumber"));
      const cell = h("td", { class: "callback-number" }, h("span", { class: "masked-number" }, r.callbackNumber), " ", show);
      show.addEventListener("click", () => void (async () => {
        clearProblem(problem);
        try {
          const q = await busy(show, () => get<PhoneQueue>("/api/phone/queue?reveal=true"));
          const found = q.requests.find((x) => x.id === r.id)?.callbackNumber;
          if (!found) return;
          revealed.set(r.id, found);
          cell.replaceChildren(h("span", { class: "whole-number", tabindex: "-1" }, found));
          (cell.firstChild as HTMLElement).focus();
          announce(t("numberShown", label, found));
        } catch (error) {
          showProblem(problem, error);
        }
      })());
      return cell;
    }

    function requestRow(r: PhoneRequest): HTMLTableRowElement {
      const label = `${word(r.kind)} ${r.callerMasked}`;
      const note = h("input", { type: "text", maxlength: "500", "aria-label": t("doneNote", label), class: "done-note" });
      const done = h("button", { type: "button", "aria-label": `${t("done")}: ${label}` }, t("done"));
      done.addEventListener("click", () => void (async () => {
        clearProblem(problem);
        try {
          await busy(done, () => post(`/api/phone/requests/${r.id}/done`, { note: note.value.trim() || null }));
          announce(t("doneOk"));
          await refresh(true);
        } catch (error) {
          showProblem(problem, error);
        }
      })());
      return h("tr", { "data-request": r.id },
        h("td", {}, word(r.kind)),
        h("td", {}, word(r.reason)),
        h("td", {}, r.callerMasked),
        numberCell(r, label),
        h("td", {}, r.identity
          ? h("a", { href: `#/citizen/${r.identity.citizenId}` }, `${r.identity.lastName} ${r.identity.firstName} · ${r.identity.maskedNationalId}`)
          : t("notVerified")),
        h("td", {}, r.recordingUrl
          ? h("a", { href: r.recordingUrl, target: "_blank", rel: "noopener noreferrer", class: "recording" }, t("listen", r.recordingSeconds ?? 0))
          : t("noRecording")),
        h("td", {}, dateTime(r.createdAt)),
        h("td", { class: "actions" }, note, " ", done));
    }

    function draw(q: PhoneQueue): void {
      // Redrawn only when something but the waiting seconds changed, so a focused control keeps its focus while the list ticks.
      const key = JSON.stringify({ ...q, waiting: q.waiting.map((w) => ({ ...w, waitingSeconds: 0 })) });
      if (key === shown) {
        q.waiting.forEach((w) => {
          const el = waitingBox.querySelector(`[data-call="${CSS.escape(w.callSid)}"] .waiting-time`);
          if (el) el.textContent = `(${t("waitingFor", w.waitingSeconds)})`;
        });
        return;
      }
      shown = key;
      const calls = new Set(q.waiting.map((w) => w.callSid));
      const arrived = q.waiting.filter((w) => !lastCalls.has(w.callSid));
      lastCalls = calls;
      waitingBox.replaceChildren(...(q.waiting.length ? q.waiting.map(callerCard) : [h("p", {}, t("noneWaiting"))]));
      if (arrived.length)
        announce(arrived.map((w) => `${t("caller")} ${w.identity ? `${w.identity.lastName} ${w.identity.firstName}` : w.callerMasked}: ${word(w.reason)}`).join(". "));
      requestsBox.replaceChildren(q.requests.length
        ? h("table", { class: "data", id: "requests-table" },
          h("caption", {}, t("requestsCaption", q.requestsTotal)),
          h("thead", {}, h("tr", {}, [t("kind"), t("reason"), t("caller"), t("callbackNumber"), t("identity"), t("recording"), t("created"), t("actions")]
            .map((x) => h("th", { scope: "col" }, x)))),
          h("tbody", {}, q.requests.map(requestRow)))
        : h("p", {}, t("noRequests")));
    }

    let busyReading = false;
    async function refresh(force = false): Promise<void> {
      if (busyReading && !force) return;
      busyReading = true;
      try {
        draw(await get<PhoneQueue>("/api/phone/queue"));
      } catch (error) {
        showProblem(problem, error);
      } finally {
        busyReading = false;
      }
    }

    main.append(heading(t("callersTitle")), problem,
      h("section", { "aria-labelledby": "waiting-title" }, h("h2", { id: "waiting-title" }, t("waitingNow")), waitingBox),
      h("section", { "aria-labelledby": "requests-title" }, h("h2", { id: "requests-title" }, t("requestsTitle")), requestsBox));
    draw(await get<PhoneQueue>("/api/phone/queue"));

    const timer = window.setInterval(() => void refresh(), pollMilliseconds);
    const live = openDispatchStream((changes) => {
      if (changes.some((c) => c.callSid || c.kind.startsWith("ivr.") || c.kind.startsWith("phone."))) void refresh();
    }, () => {});
    ctx.onLeave(() => {
      window.clearInterval(timer);
      live.close();
    });
  },
};
