// The dispatch stream (server-sent events): EventSource sends the session cookie, reconnects by itself and resumes
// after the last event it saw (Last-Event-ID). Changes carry no names: a screen rereads the API to draw them.
import { appUrl } from "../../api";
import type { DispatchChange } from "./model";

export interface Live {
  close(): void;
}

/**
 * Calls onChanges with the changes of each burst (events that arrive within a short while are gathered, so a bulk
 * assignment rereads once), and onState when the link opens or drops.
 */
export function openDispatchStream(onChanges: (changes: DispatchChange[]) => void, onState: (connected: boolean) => void): Live {
  const source = new EventSource(appUrl("/api/dispatch/stream"));
  let pending: DispatchChange[] = [];
  let timer: number | undefined;
  source.addEventListener("ready", () => onState(true));
  source.addEventListener("change", (e) => {
    try {
      pending.push(JSON.parse((e as MessageEvent<string>).data) as DispatchChange);
    } catch {
      return;
    }
    window.clearTimeout(timer);
    timer = window.setTimeout(() => {
      const burst = pending;
      pending = [];
      onChanges(burst);
    }, 150);
  });
  source.addEventListener("error", () => onState(false));
  return {
    close() {
      window.clearTimeout(timer);
      source.close();
    },
  };
}

/** A term in words: "3 days left", "2 days late", "due today", or "no term". */
