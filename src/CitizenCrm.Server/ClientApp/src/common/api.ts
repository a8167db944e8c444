// Calls to the server on the same origin. Refusals are RFC 9457 problem details; field errors come in "errors".

export interface Problem {
  status: number;
  title?: string;
  detail?: string;
  errors?: Record<string, string[]>;
}

export class ApiError extends Error {
  constructor(public readonly problem: Problem) {
    super(problem.detail ?? problem.title ?? `HTTP ${problem.status}`);
  }
}

// The page's addresses are app-rooted (/api/..., /map/r/2026-154). Behind a proxy that keeps a path prefix
// (Server:PathBase) the server writes that prefix into the page, and every address is sent under it.
const root = document.querySelector<HTMLMetaElement>('meta[name="citizencrm-root"]')?.content ?? "";

/** An app-rooted address as the browser must ask for it; other addresses (blob:, https:) unchanged. */
export function appUrl(path: string): string {
  return path.startsWith("/") && !path.startsWith("//") ? root + path : path;
}

/** The page's own path without the prefix, as the server's routes see it. */
export function appPath(): string {
  return root && location.pathname.startsWith(root + "/") ? location.pathname.slice(root.length) : location.pathname;
}

/** A refusal's problem details (RFC 9457), or just its status when the body is not JSON. */
export async function problemOf(response: Response): Promise<Problem> {
  try {
    const body = (await response.json()) as Partial<Problem>;
    return { ...body, status: response.status };
  } catch {
    return { status: response.status };
  }
}

export async function getJson<T>(url: string, signal?: AbortSignal): Promise<T> {
  const response = await fetch(appUrl(url), { headers: { Accept: "application/json" }, signal });
  if (!response.ok) throw new ApiError(await problemOf(response));
  return (await response.json()) as T;
}

export async function postForm<T>(url: string, form: FormData): Promise<T> {
  const response = await fetch(appUrl(url), { method: "POST", body: form, headers: { Accept: "application/json" } });
  if (!response.ok) throw new ApiError(await problemOf(response));
  return (await response.json()) as T;
}
