// The registry desk's case calls and shapes (as CaseEndpoints answers them). A document goes up as the raw file body
// with its own Content-Type, which api.ts's post (JSON or a form) does not send, so it has its own small call here.
import { ApiError, appUrl, type Problem } from "../../api";

export type { CaseFound, CitizenSummary, DispatchQueue, TimelineEvent, TimelinePage } from "../../model";
export type { DispatchItem as QueueItem } from "../../model";

export interface CaseParty {
  kind: string;
  citizenId: string | null;
  displayName: string;
  organisationCui: string | null;
  contactDetails: string | null;
}

export interface CaseAnswer {
  text: string;
  legalBasis: string;
  signedBy: string;
  sentVia: string;
  sentAt: string;
  answeredOn: string;
  outgoingNumber: string;
  documentSha256: string | null;
}

export interface CaseDetails {
  id: string;
  registrationNumber: string;
  register: string;
  kind: string;
  category: string | null;
  status: string;
  channel: string;
  subject: string;
  description: string | null;
  party: CaseParty;
  registeredAt: string;
  registeredOn: string;
  termDays: number | null;
  extendedByDays: number | null;
  dueOn: string | null;
  daysLeft: number | null;
  late: boolean;
  forwardBy: string | null;
  refuseBy: string | null;
  assignedDepartment: string | null;
  assignedTo: string | null;
  forwardedTo: string | null;
  joinedToCaseId: string | null;
  relatedCaseId: string | null;
  note: string | null;
  answer: CaseAnswer | null;
  version: number;
}

export interface CaseReceipt {
  institution: string;
  registrationNumber: string;
  kind: string;
  kindName: string;
  status: string;
  subject: string;
  partyName: string;
  registeredAt: string;
  registeredAtLocal: string;
  registeredOn: string;
  dueOn: string | null;
  whatHappensNext: string;
}

export interface CaseDocument {
  caseId: string;
  sha256: string;
  contentType: string;
  sizeBytes: number;
  fileName: string | null;
  attachedAt: string;
}

export interface Named {
  code: string;
  name: string;
}

/** The kinds of timeline event that are notes between colleagues, never shown to the public. */
export const internalNoteKind = "case.internal_note";

/** Attaches a file to a case: the raw body with its type, the console's anti-forgery header, and the name only shown. */
export async function uploadDocument(caseId: string, file: File): Promise<CaseDocument> {
  const response = await fetch(appUrl(`/api/cases/${caseId}/documents?fileName=${encodeURIComponent(file.name)}`), {
    method: "POST",
    headers: { Accept: "application/json", "Content-Type": file.type || "application/octet-stream", "X-CitizenCRM-Console": "1" },
    body: file,
    credentials: "same-origin",
  });
  if (!response.ok) {
    let problem: Problem = { status: response.status };
    try {
      problem = { ...((await response.json()) as Partial<Problem>), status: response.status };
    } catch {
      // No body: the status says it.
    }
    throw new ApiError(problem);
  }
  return (await response.json()) as CaseDocument;
}

export function documentUrl(caseId: string, sha256: string): string {
  return appUrl(`/api/cases/${caseId}/documents/${sha256}`);
}
