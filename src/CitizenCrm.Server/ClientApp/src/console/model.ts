// The server's answers that several screens read (field names as the server writes them).

/** A search hit (POST /api/citizens/search): the CNP is always masked here. */
export interface CitizenSummary {
  id: string;
  idType: string;
  maskedNationalId: string;
  firstName: string;
  lastName: string;
  birthYear: number | null;
  preferredLanguage: string;
}

/** A case found by its registration number (GET /api/cases/by-registration-number/{n}/{y}): no party. */
export interface CaseFound {
  id: string;
  registrationNumber: string;
  registerCode: string;
  kind: string;
  status: string;
  subject: string;
}

/** One event of the unified timeline (a citizen's, a case's history). */
export interface TimelineEvent {
  seq: number;
  eventId: string;
  citizenId: string | null;
  caseId: string | null;
  channel: string;
  kind: string;
  actor: string;
  onBehalfOf: string | null;
  occurredAt: string;
  summary: string;
  payload?: Record<string, unknown> | null;
  erased?: boolean;
}

export interface TimelinePage {
  events: TimelineEvent[];
  nextBefore: number | null;
  total?: number | null;
}

/** A row of the one queue (GET /api/dispatch/queue). */
export interface DispatchItem {
  itemKind: string;
  id: string;
  caseId: string | null;
  channel: string;
  status: string;
  registrationNumber: string | null;
  subject: string | null;
  partyKind: string;
  partyName: string | null;
  unmatched: boolean;
  service: string | null;
  department: string | null;
  assignedTo: string | null;
  dueOn: string | null;
  daysLeft: number | null;
  overdue: boolean;
  priority: string;
  escalation: string | null;
  arrivedAt: string;
  version: number | null;
  possibleDuplicateOf?: { caseId: string; registrationNumber: string } | null;
  location?: { latitude: number | null; longitude: number | null; addressString: string | null } | null;
}

export interface DispatchQueue {
  today: string;
  items: DispatchItem[];
  total: number;
  nextCursor: string | null;
}
