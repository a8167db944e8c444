// The server's scheduled jobs (last and next run, run now, pause, resume) and the phone robot's scripts reload.
import { ApiError, get, post } from "../../api";
import { textsOf } from "../../i18n";
import type { Screen } from "../../screens";
import { announce, busy, h, heading, showProblem } from "../../ui";
import { confirmAction, instant, scrollable } from "../supervisor/kit";
import { adminTexts } from "./texts";

const t = textsOf(adminTexts);

interface JobRun {
  id: number;
  jobName: string;
  startedAt: string;
  finishedAt: string;
  durationMs: number;
  outcome: string;
  summary: string;
  triggered: string;
}

interface JobStatus {
  name: string;
  description: string;
  schedule: string | null;
  paused: boolean;
  nextRunAt: string | null;
  lastRun: JobRun | null;
}

function lastRunText(run: JobRun | null): string {
  if (!run) return t("never");
  return `${instant(run.startedAt)} — ${run.outcome} (${run.triggered}): ${run.summary}`;
}

export const jobsScreen: Screen = {
  section: "jobs",
  route: /^jobs$/,
  async render(main) {
    const problem = h("div", { hidden: true });
    const notice = h("p", { class: "notice", role: "status", hidden: true });
    const tableBox = h("div", {});
    const say = (text: string) => {
      notice.textContent = text;
      notice.hidden = false;
      announce(text);
    };
    const load = async () => draw(await get<JobStatus[]>("/api/jobs"));
    const run = (button: HTMLButtonElement, work: () => Promise<void>) => busy(button, async () => {
      problem.hidden = true;
      try {
        await work();
        await load();
      } catch (error) {
        showProblem(problem, error);
      }
    });
    const draw = (jobs: JobStatus[]) => {
      tableBox.replaceChildren(scrollable(h("table", { class: "data jobs" },
        h("caption", {}, t("jobsCaption")),
        h("thead", {}, h("tr", {}, [t("job"), t("description"), t("schedule"), t("nextRun"), t("lastRun"), t("actions")].map((x) => h("th", { scope: "col" }, x)))),
        h("tbody", {}, jobs.map((j) => {
          const runNow = h("button", { type: "button", "data-run": j.name }, t("runNow", j.name));
          runNow.addEventListener("click", () => void (async () => {
            if (!(await confirmAction(t("confirmRun", j.name), t("runNow", j.name)))) return;
            await run(runNow, async () => {
              const response = await post<JobRun | JobStatus>(`/api/jobs/${encodeURIComponent(j.name)}/run`);
              say("summary" in response ? t("ranJob", j.name, response.summary) : t("stillRunning", j.name));
            });
          })());
          const toggle = h("button", { type: "button", class: "secondary", "data-toggle": j.name, disabled: !j.schedule }, t(j.paused ? "resume" : "pause", j.name));
          toggle.addEventListener("click", () => void run(toggle, async () => {
            await post(`/api/jobs/${encodeURIComponent(j.name)}/${j.paused ? "resume" : "pause"}`);
            say(t(j.paused ? "resumedJob" : "pausedJob", j.name));
          }));
          return h("tr", { "data-job": j.name },
            h("th", { scope: "row" }, j.name),
            h("td", {}, j.description),
            h("td", { class: "schedule" }, j.schedule ? `${j.schedule} — ${t(j.paused ? "paused" : "scheduled")}` : t("notScheduled")),
            h("td", { class: "next-run" }, j.paused ? t("paused") : instant(j.nextRunAt)),
            h("td", { class: "last-run" }, lastRunText(j.lastRun)),
            h("td", { class: "row" }, runNow, toggle));
        })))));
    };
    main.append(heading(t("jobsTitle")), notice, problem, tableBox);
    await load();
  },
};

export const phoneScriptsScreen: Screen = {
  section: "phone-scripts",
  route: /^phone-scripts$/,
  render(main) {
    const result = h("div", { class: "reload-result", "aria-live": "polite" });
    const button = h("button", { type: "button", id: "reload-scripts" }, t("reload"));
    button.addEventListener("click", () => void (async () => {
      if (!(await confirmAction(t("confirmReload"), t("reload")))) return;
      await busy(button, async () => {
        result.replaceChildren();
        try {
          const loaded = await post<{ folder: string; states: number }>("/api/phone/scripts/reload");
          const text = t("reloaded", loaded.folder, loaded.states);
          result.replaceChildren(h("p", { class: "notice", role: "status" }, text));
        } catch (error) {
          // A refused reload lists each problem as the server words it (file, line, what is wrong).
          const problems = error instanceof ApiError ? error.problem.errors?.["scripts"] : undefined;
          if (problems?.length) {
            result.replaceChildren(h("div", { class: "problem", role: "alert" },
              h("p", { class: "problem-title" }, t("refused")),
              h("ul", { class: "script-problems" }, problems.map((p) => h("li", {}, p)))));
          } else {
            const box = h("div", {});
            showProblem(box, error);
            result.replaceChildren(box);
          }
        }
      });
    })());
    main.append(heading(t("scriptsTitle")), h("p", {}, t("scriptsIntro")), button, result);
  },
};
