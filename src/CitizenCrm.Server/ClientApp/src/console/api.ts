// The console's calls: same origin, signed by the HttpOnly session cookie (the page never sees the token), and every
// change carries the console's anti-forgery header. Refusals are RFC 9457 problem details, shown as they are.
import { ApiError, appUrl, problemOf, type Problem } from "../common/api";

export { ApiError, appUrl, type Problem };

const consoleHeader = { "X-CitizenCRM-Console": "1" };

/** Called when the session has ended (401): the shell goes back to the sign-in page. */
let onSignedOut: () => void = () => {};
export function whenSignedOut(handler: () => void): void {
  onSignedOut = handler;
}

async function send(method: string, url: string, body?: unknown, extra?: Record<string, string>): Promise<Response> {
  const headers: Record<string, string> = { Accept: "application/json", ...extra };
  if (method !== "GET") Object.assign(headers, consoleHeader);
  let payload: BodyInit | undefined;
  if (body instanceof FormData) payload = body;
  else if (body !== undefined) {
    headers["Content-Type"] = "application/json";
    payload = JSON.stringify(body);
  }
  const response = await fetch(appUrl(url), { method, headers, body: payload, credentials: "same-origin" });
  if (response.status === 401 && !url.startsWith("/api/auth/console/")) onSignedOut();
  if (!response.ok) throw new ApiError(await problemOf(response));
  return response;
}

export async function get<T>(url: string): Promise<T> {
  return (await (await send("GET", url)).json()) as T;
}

export async function getText(url: string, accept: string): Promise<string> {
  return await (await send("GET", url, undefined, { Accept: accept })).text();
}

export async function post<T>(url: string, body?: unknown, extra?: Record<string, string>): Promise<T> {
  const response = await send("POST", url, body ?? {}, extra);
  return response.status === 204 ? (undefined as T) : ((await response.json()) as T);
}

export async function put<T>(url: string, body: unknown): Promise<T> {
  const response = await send("PUT", url, body);
  return response.status === 204 ? (undefined as T) : ((await response.json()) as T);
}

/** A fresh Idempotency-Key for one press of a button: a double click or a retry registers once. */
export function idempotencyKey(): Record<string, string> {
  return { "Idempotency-Key": crypto.randomUUID() };
}

/** A query string from the values that are set. */
export function query(values: Record<string, string | number | boolean | null | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(values)) if (v !== null && v !== undefined && v !== "") q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : "";
}
