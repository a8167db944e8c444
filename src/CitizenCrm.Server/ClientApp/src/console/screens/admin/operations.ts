// The server's scheduled jobs (last and next run, run now, pause, resume) and the phone robot's scripts reload.
import { ApiError, get, post } from "../../api";
import { textsOf } from "../../i18n";
import type { Screen } from "../../screens";
import { busy, h, heading, noticeLine, showProblem } from "../../ui";
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

/**
 * A job's schedule in words: an interval ("00:15:00", "1.00:00:00") as "every 15 minutes", "every day"; a cron
 * expression as it is, labelled as one.
 */
export function scheduleText(schedule: string): string {
  const m = /^(?:(\d+)\.)?(\d{1,2}):(\d{2}):(\d{2})$/.exec(schedule.trim());
  if (!m) {
    // A Quartz cron that fires once a day ("0 30 3 ? * *", "0 30 3 * * ?") reads as the time of day.
    const daily = /^0 (\d{1,2}) (\d{1,2}) [?*] \* [?*]$/.exec(schedule.trim());
    if (daily) return t("dailyAt", `${daily[2].padStart(2, "0")}:${daily[1].padStart(2, "0")}`);
    return `${t("cron")} ${schedule}`;
  }
  const [days, hours, minutes, seconds] = [m[1] ?? "0", m[2], m[3], m[4]].map(Number);
  const total = ((days * 24 + hours) * 60 + minutes) * 60 + seconds;
  type Unit = "Day" | "Hour" | "Minute" | "Second";
  const unit = (n: number, u: Unit) => (n === 1 ? t(`every${u}`) : t(n % 100 >= 20 || n % 100 === 0 ? `every${u}sDe` : `every${u}s`, n));
  if (total % 86400 === 0) return unit(total / 86400, "Day");
  if (total % 3600 === 0) return unit(total / 3600, "Hour");
  if (total % 60 === 0) return unit(total / 60, "Minute");
  return unit(total, "Second");
}

export const jobsScreen: Screen = {
  section: "jobs",
  route: /^jobs$/,
  async render(main) {
    const problem = h("div", { hidden: true });
    const { notice, say } = noticeLine();
    const tableBox = h("div", {});
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
        h("tbody", {}, jobs.length === 0 ? h("tr", {}, h("td", { colspan: 6 }, t("noJobs"))) : jobs.map((j) => {
          const runNow = h("button", { type: "button", "data-run": j.name, "aria-label": t("runNow", j.name) }, t("runNowShort"));
          runNow.addEventListener("click", () => void (async () => {
            if (!(await confirmAction(t("confirmRun", j.name), t("runNow", j.name)))) return;
            await run(runNow, async () => {
              const response = await post<JobRun | JobStatus>(`/api/jobs/${encodeURIComponent(j.name)}/run`);
              say("summary" in response ? t("ranJob", j.name, response.summary) : t("stillRunning", j.name));
            });
          })());
          const toggle = h("button", { type: "button", class: "secondary", "data-toggle": j.name, disabled: !j.schedule, "aria-label": t(j.paused ? "resume" : "pause", j.name) },
            t(j.paused ? "resumeShort" : "pauseShort"));
          toggle.addEventListener("click", () => void run(toggle, async () => {
            await post(`/api/jobs/${encodeURIComponent(j.name)}/${j.paused ? "resume" : "pause"}`);
            say(t(j.paused ? "resumedJob" : "pausedJob", j.name));
          }));
          return h("tr", { "data-job": j.name },
            h("th", { scope: "row" }, j.name),
            h("td", {}, j.description),
            h("td", { class: "schedule" }, j.schedule ? `${scheduleText(j.schedule)} — ${t(j.paused ? "paused" : "scheduled")}` : t("notScheduled")),
            h("td", { class: "next-run" }, j.paused ? t("paused") : instant(j.nextRunAt)),
            h("td", { class: "last-run" }, lastRunText(j.lastRun)),
            h("td", { class: "actions" }, h("div", { class: "row" }, runNow, toggle)));
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
