// "My work": the open cases assigned to the signed-in person, late ones first, each with its term, opening the case.
import { get, query } from "../../api";
import type { Screen, ScreenContext } from "../../screens";
import { h, heading, link, table } from "../../ui";
import type { DispatchQueue, QueueItem } from "./case-api";
import { termText } from "./case-view";
import { caseText as t } from "./case-texts";
import { pick } from "./registry-words";

/** Late first (most days late on top), then the nearest term, then those with no term. */
export function lateFirst(items: QueueItem[]): QueueItem[] {
  const key = (i: QueueItem) => (i.daysLeft === null ? Number.MAX_SAFE_INTEGER : i.daysLeft);
  return [...items].sort((a, b) => key(a) - key(b));
}

async function render(main: HTMLElement, _ctx: ScreenContext): Promise<void> {
  const items: QueueItem[] = [];
  let cursor: string | null = null;
  // At most a few pages: a person's own work fits in one or two.
  for (let page = 0; page < 5; page++) {
    const q: DispatchQueue = await get<DispatchQueue>(`/api/dispatch/queue${query({ assignee: "me", limit: 100, cursor })}`);
    items.push(...q.items.filter((i) => i.caseId));
    cursor = q.nextCursor;
    if (!cursor) break;
  }
  const sorted = lateFirst(items);
  const late = sorted.filter((i) => i.overdue).length;
  main.append(heading(t("myWorkTitle")),
    h("p", { class: "case-summary" }, sorted.length === 0 ? t("myWorkEmpty") : t(pick(sorted.length, "myWorkCountOne", "myWorkCount", "myWorkCountMany"), sorted.length) +
      (late === 0 ? t("myWorkLateNone") : t(pick(late, "myWorkLateOne", "myWorkLate", "myWorkLateMany"), late))));
  if (sorted.length === 0) return;
  main.append(table(t("myWorkCaption"), [t("number"), t("kindColumn"), t("subject"), t("status"), t("term"), t("party")],
    sorted.map((i) => [
      link(`case/${i.caseId}`, i.registrationNumber ?? i.id),
      t(`kind.${i.itemKind}` as never),
      i.subject ?? "",
      t(`status.${i.status}` as never),
      h("span", { class: i.overdue ? "late" : "" }, termText({ dueOn: i.dueOn, daysLeft: i.daysLeft, late: i.overdue })),
      i.partyName ?? "",
    ]), { className: "data my-work" }));
}

export const myWorkScreen: Screen = { section: "my-work", route: /^my-work$/, render };
