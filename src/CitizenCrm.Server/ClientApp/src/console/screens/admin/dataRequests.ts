// The data-subject requests (GDPR art. 12, 15, 17, 20): the list with terms, and for the one chosen: the export (a
// file downloaded through a blob: address), an extension, a refusal, or the erasure, each after a clear confirmation.
import { ApiError, appUrl, get, post, query, type Problem } from "../../api";
import { formatDate, textsOf } from "../../i18n";
import type { Screen } from "../../screens";
import { busy, clearProblem, field, h, heading, link, noticeLine, showProblem } from "../../ui";
import { confirmAction, instant, saveFile, scrollable } from "../supervisor/kit";
import { adminTexts } from "./texts";

const t = textsOf(adminTexts);
const statuses = ["open", "completed", "refused"] as const;

interface DataRequest {
  id: string;
  citizenId: string;
  kind: string;
  status: string;
  receivedOn: string;
  dueOn: string;
  extendedTo: string | null;
  extensionReason: string | null;
  term: string;
  overdue: boolean;
  channel: string;
  registeredBy: string;
  registeredAt: string;
  completedAt: string | null;
  completedBy: string | null;
  outcome: string | null;
}

/** The export is a file, not a JSON answer to read: fetched as bytes and saved under the server's own file name. */
async function downloadExport(id: string): Promise<string> {
  const response = await fetch(appUrl(`/api/data-requests/${id}/export?format=json`), {
    method: "POST", credentials: "same-origin", headers: { Accept: "application/json", "X-CitizenCRM-Console": "1" },
  });
  if (!response.ok) {
    let problem: Problem = { status: response.status };
    try {
      problem = { ...(await response.json()), status: response.status };
    } catch {
      // not a problem document
    }
    throw new ApiError(problem);
  }
  const name = /filename="?([^";]+)"?/.exec(response.headers.get("Content-Disposition") ?? "")?.[1] ?? `date-personale-${id}.json`;
  saveFile(await response.text(), name, "application/json");
  return name;
}

const statusName = (s: string) => (statuses.includes(s as never) ? t(`st.${s}` as never) : s);

export const dataRequestsScreen: Screen = {
  section: "data-requests",
  route: /^data-requests$/,
  render: (main, ctx) => drawRequests(main, ctx.query),
};


async function drawRequests(main: HTMLElement, q: URLSearchParams): Promise<void> {
  const problem = h("div", { hidden: true });
  const { notice, say } = noticeLine();
  const status = h("select", { name: "status", id: "request-status" }, h("option", { value: "" }, t("all")),
    statuses.map((s) => h("option", { value: s }, statusName(s))));
  status.value = q.get("status") ?? "open";
  const listBox = h("div", {});
  const detail = h("section", { class: "request-detail", "aria-live": "polite" });
  let requests: DataRequest[] = [];

  const load = async () => {
    requests = await get<DataRequest[]>(`/api/data-requests/${query({ status: status.value })}`);
    listBox.replaceChildren(scrollable(h("table", { class: "data requests" },
      h("caption", {}, `${t("requestsCaption")} (${requests.length})`),
      h("thead", {}, h("tr", {}, [t("kind"), t("citizen"), t("receivedOn"), t("term"), t("status"), t("channel"), t("outcomeCol"), t("actions")]
        .map((x) => h("th", { scope: "col" }, x)))),
      h("tbody", {}, requests.length === 0 ? h("tr", {}, h("td", { colspan: 8 }, t("noRequests"))) : requests.map((r) => {
        const choose = h("button", { type: "button", class: "secondary", "data-choose": r.id }, t("requestFor", `${r.kind} ${formatDate(r.receivedOn)}`));
        choose.addEventListener("click", () => drawDetail(r));
        return h("tr", { "data-request": r.id },
          h("th", { scope: "row" }, r.kind), h("td", {}, link(`citizen/${r.citizenId}`, r.citizenId.slice(0, 8), { "aria-label": `${t("citizen")} ${r.citizenId}` })),
          h("td", {}, formatDate(r.receivedOn)),
          h("td", { class: r.overdue ? "late" : "" }, `${formatDate(r.term)}${r.overdue ? ` (${t("overdue")})` : ""}`),
          h("td", {}, statusName(r.status)), h("td", {}, r.channel), h("td", {}, r.outcome ?? "—"), h("td", {}, choose));
      })))));
  };

  const drawDetail = (r: DataRequest) => {
    const label = `${r.kind} ${formatDate(r.receivedOn)}`;
    const boxProblem = h("div", { hidden: true });
    const after = async (text: string) => {
      say(text);
      await load();
      const fresh = requests.find((x) => x.id === r.id);
      if (fresh) drawDetail(fresh);
      else detail.replaceChildren();
    };
    const exportButton = h("button", { type: "button", id: "export-request" }, t("export"));
    exportButton.addEventListener("click", () => void busy(exportButton, async () => {
      try {
        const name = await downloadExport(r.id);
        await after(t("exported", name));
      } catch (error) {
        showProblem(boxProblem, error);
      }
    }));

    const months = h("input", { name: "months", type: "number", min: "1", max: "2", value: "2" });
    const extendReason = h("input", { name: "reason" });
    const extendButton = h("button", { type: "submit" }, t("extend"));
    const extendForm = h("form", { "aria-label": t("extend"), novalidate: true }, field(t("months"), months), field(t("extendReason"), extendReason), extendButton);
    extendForm.addEventListener("submit", (e) => {
      e.preventDefault();
      clearProblem(boxProblem, extendForm);
      void busy(extendButton, async () => {
        try {
          const done = await post<{ message: string }>(`/api/data-requests/${r.id}/extend`, { months: Number(months.value), reason: extendReason.value.trim() });
          await after(t("extended", done.message));
        } catch (error) {
          showProblem(boxProblem, error, extendForm);
        }
      });
    });

    const refuseReason = h("input", { name: "reason" });
    const refuseButton = h("button", { type: "submit", class: "danger" }, t("refuse"));
    const refuseForm = h("form", { "aria-label": t("refuse"), novalidate: true }, field(t("refuseReason"), refuseReason), refuseButton);
    refuseForm.addEventListener("submit", (e) => {
      e.preventDefault();
      clearProblem(boxProblem, refuseForm);
      void (async () => {
        if (!(await confirmAction(t("confirmRefuse", label), t("refuse")))) return;
        await busy(refuseButton, async () => {
          try {
            await post(`/api/data-requests/${r.id}/refuse`, { reason: refuseReason.value.trim() });
            await after(t("refusedDone"));
          } catch (error) {
            showProblem(boxProblem, error, refuseForm);
          }
        });
      })();
    });

    const legalBasis = h("input", { name: "legalBasis" });
    const eraseButton = h("button", { type: "submit", class: "danger" }, t("erase"));
    const eraseForm = h("form", { "aria-label": t("erase"), novalidate: true }, field(t("legalBasis"), legalBasis), eraseButton);
    eraseForm.addEventListener("submit", (e) => {
      e.preventDefault();
      clearProblem(boxProblem, eraseForm);
      void (async () => {
        if (!(await confirmAction(t("confirmErase", label), t("erase")))) return;
        await busy(eraseButton, async () => {
          try {
            const erased = await post<{ erasedAt: string }>(`/api/data-requests/${r.id}/erase`, { legalBasis: legalBasis.value.trim() });
            await after(t("erased", instant(erased.erasedAt)));
          } catch (error) {
            showProblem(boxProblem, error, eraseForm);
          }
        });
      })();
    });

    const open = r.status === "open";
    detail.replaceChildren(h("h2", { id: "request-title", tabindex: "-1" }, t("requestFor", label)), boxProblem,
      h("dl", { class: "request-facts" },
        h("dt", {}, t("status")), h("dd", {}, statusName(r.status)),
        h("dt", {}, t("term")), h("dd", {}, `${formatDate(r.term)}${r.extensionReason ? ` — ${r.extensionReason}` : ""}`),
        h("dt", {}, t("createdBy")), h("dd", {}, `${r.registeredBy}, ${instant(r.registeredAt)}`)));
    // An access request is answered by the export (and may be exported again later); the other moves are for open requests.
    const actions = h("div", { class: "request-actions" });
    if (r.kind === "access" && r.status !== "refused") actions.append(h("div", { class: "row" }, exportButton));
    if (open) actions.append(extendForm, refuseForm);
    if (open && r.kind === "erasure") actions.append(eraseForm);
    detail.append(actions);
    (detail.querySelector("#request-title") as HTMLElement).focus();
  };

  status.addEventListener("change", () => void load().catch((error) => showProblem(problem, error)));
  main.append(heading(t("requestsTitle")), h("p", {}, t("requestsIntro")),
    h("div", { class: "field" }, h("label", { for: status.id }, t("statusFilter")), status), notice, problem, listBox, detail);
  try {
    await load();
  } catch (error) {
    showProblem(problem, error);
  }
}
