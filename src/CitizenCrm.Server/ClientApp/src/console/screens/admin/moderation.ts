// Map moderation: the reports with a point and their photos, to publish (those waiting for review), hide (with a
// reason, after a confirmation) or show again. Built on GET /api/map/incidents and /api/map/reports/{caseId}/...
import { appUrl, get, post, query } from "../../api";
import { currentLang, textsOf } from "../../i18n";
import type { Screen } from "../../screens";
import { busy, h, heading, link, noticeLine, showProblem } from "../../ui";
import { confirmAction, instant, scrollable } from "../supervisor/kit";
import { adminTexts } from "./texts";

const t = textsOf(adminTexts);

interface IncidentProps {
  case_id: string;
  registration_number: string;
  service_name: string;
  subject: string;
  case_status: string;
  requested_datetime: string;
  under_review: boolean;
  hidden: boolean;
  hidden_reason: string | null;
}

interface Photo {
  id: string;
  position: number;
  thumbnailUrl: string;
  thumbnailWidth: number;
  thumbnailHeight: number;
  state: string;
  public: boolean;
  hiddenReason: string | null;
}

interface ReportPhotos {
  caseId: string;
  registrationNumber: string;
  reportPublic: boolean;
  photos: Photo[];
}

function stateOf(p: IncidentProps): string {
  return p.hidden ? t("hidden") : p.under_review ? t("underReview") : t("publicNow");
}

export const moderationScreen: Screen = {
  section: "moderation",
  route: /^moderation$/,
  render: (main, ctx) => drawModeration(main, ctx.query),
};


async function drawModeration(main: HTMLElement, q: URLSearchParams): Promise<void> {
  const problem = h("div", { hidden: true });
  const { notice, say } = noticeLine();
  const filter = h("select", { name: "show", id: "moderation-filter" },
    h("option", { value: "all" }, t("all")), h("option", { value: "review" }, t("onlyReview")), h("option", { value: "hidden" }, t("onlyHidden")));
  filter.value = q.get("show") ?? "all";
  const listBox = h("div", {});
  const photosBox = h("section", { class: "photos", "aria-live": "polite" });
  let reports: IncidentProps[] = [];

  const act = async (button: HTMLButtonElement, url: string, body: unknown, done: string) => {
    await busy(button, async () => {
      problem.hidden = true;
      try {
        await post(url, body);
        say(t("moderationDone", done));
        await load();
      } catch (error) {
        showProblem(problem, error);
      }
    });
  };

  const showPhotos = async (p: IncidentProps) => {
    try {
      const photos = await get<ReportPhotos>(`/api/map/reports/${p.case_id}/photos`);
      photosBox.replaceChildren(h("h2", { id: "photos-title", tabindex: "-1" }, t("photosOf", photos.registrationNumber)),
        h("table", { class: "data photos" }, h("caption", { class: "visually-hidden" }, t("photosOf", photos.registrationNumber)),
          h("thead", {}, h("tr", {}, [t("thumbnail"), t("photoState"), t("actions")].map((x) => h("th", { scope: "col" }, x)))),
          h("tbody", {}, photos.photos.map((ph) => {
            const label = `${ph.position}`;
            const publish = h("button", { type: "button", "data-photo-publish": ph.position }, t("publish", `${t("thumbnail")} ${label}`));
            publish.addEventListener("click", () => void act(publish, `/api/map/reports/${p.case_id}/photos/${ph.id}/publish`, {}, `${photos.registrationNumber} #${label}`)
              .then(() => showPhotos(p)));
            const reason = h("input", { name: `photo-reason-${ph.id}`, "aria-label": `${t("hideReason")}: ${t("thumbnail")} ${label}` });
            const hide = h("button", { type: "button", class: "danger", "data-photo-hide": ph.position }, t("hide", `${t("thumbnail")} ${label}`));
            hide.addEventListener("click", () => void (async () => {
              if (!(await confirmAction(t("confirmHide", `${t("thumbnail")} ${label} (${photos.registrationNumber})`), t("hide", `${t("thumbnail")} ${label}`)))) return;
              await act(hide, `/api/map/reports/${p.case_id}/photos/${ph.id}/hide`, { reason: reason.value.trim() || null }, `${photos.registrationNumber} #${label}`);
              await showPhotos(p);
            })());
            return h("tr", {},
              h("td", {}, h("img", { src: appUrl(ph.thumbnailUrl), width: ph.thumbnailWidth, height: ph.thumbnailHeight, alt: t("photoAlt", label, photos.registrationNumber) })),
              h("td", {}, `${ph.state}${ph.hiddenReason ? `: ${ph.hiddenReason}` : ""}`),
              h("td", { class: "row" }, ph.state === "published" ? null : publish, ph.state === "hidden" ? null : [reason, hide]));
          }))));
      (photosBox.querySelector("#photos-title") as HTMLElement).focus();
    } catch (error) {
      showProblem(problem, error);
    }
  };

  const draw = () => {
    const shown = reports.filter((p) => filter.value === "all" || (filter.value === "review" ? p.under_review && !p.hidden : p.hidden));
    listBox.replaceChildren(scrollable(h("table", { class: "data moderation" },
      h("caption", {}, `${t("moderationCaption")} (${shown.length})`),
      h("thead", {}, h("tr", {}, [t("number"), t("service"), t("name"), t("createdAt"), t("status"), t("actions")].map((x) => h("th", { scope: "col" }, x)))),
      h("tbody", {}, shown.length === 0 ? h("tr", {}, h("td", { colspan: 6 }, t("noModeration"))) : shown.map((p) => {
        const n = p.registration_number;
        const buttons: Node[] = [];
        if (p.hidden) {
          const again = h("button", { type: "button", class: "secondary", "data-show": n }, t("showAgain", n));
          again.addEventListener("click", () => void act(again, `/api/map/reports/${p.case_id}/show`, {}, n));
          buttons.push(again);
        } else {
          if (p.under_review) {
            const publish = h("button", { type: "button", "data-publish": n }, t("publish", n));
            publish.addEventListener("click", () => void act(publish, `/api/map/reports/${p.case_id}/publish`, {}, n));
            buttons.push(publish);
          }
          const reason = h("input", { name: `reason-${p.case_id}`, "aria-label": `${t("hideReason")}: ${n}` });
          const hide = h("button", { type: "button", class: "danger", "data-hide": n }, t("hide", n));
          hide.addEventListener("click", () => void (async () => {
            if (!(await confirmAction(t("confirmHide", n), t("hide", n)))) return;
            await act(hide, `/api/map/reports/${p.case_id}/hide`, { reason: reason.value.trim() || null }, n);
          })());
          buttons.push(reason, hide);
        }
        const photos = h("button", { type: "button", class: "secondary", "data-photos": n }, t("photos", n));
        photos.addEventListener("click", () => void showPhotos(p));
        buttons.push(photos);
        return h("tr", { "data-report": n },
          h("th", { scope: "row" }, link(`case/${p.case_id}`, n)), h("td", {}, p.service_name), h("td", {}, p.subject),
          h("td", {}, instant(p.requested_datetime)), h("td", { class: "state" }, `${stateOf(p)}${p.hidden_reason ? `: ${p.hidden_reason}` : ""}`),
          h("td", { class: "row" }, buttons));
      })))));
  };
  const load = async () => {
    const feed = await get<{ features: { properties: IncidentProps }[] }>(`/api/map/incidents${query({ limit: 500, lang: currentLang() })}`);
    reports = feed.features.map((f) => f.properties);
    draw();
  };
  filter.addEventListener("change", draw);
  main.append(heading(t("moderationTitle")), h("p", {}, t("moderationIntro")),
    h("div", { class: "field" }, h("label", { for: filter.id }, t("moderationFilter")), filter), notice, problem, listBox, photosBox);
  try {
    await load();
  } catch (error) {
    showProblem(problem, error);
  }
}
