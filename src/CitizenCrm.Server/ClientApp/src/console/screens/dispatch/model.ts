// The server's answers these screens read (field names as the server writes them); the shared ones are in ../../model.
export type { CitizenSummary, DispatchItem, DispatchQueue } from "../../model";

export interface DispatchChange {
  seq: number;
  kind: string;
  channel: string;
  caseId: string | null;
  registrationNumber: string | null;
  callSid: string | null;
  actor: string;
  occurredAt: string;
}

export interface Assignee {
  username: string;
  displayName: string;
  role: string;
  department: string | null;
}

export interface CaseResult {
  case: { id: string; registrationNumber: string; version: number; assignedTo?: string | null };
  priority: string;
  timelineSeq: number;
}

export interface CallerIdentity {
  citizenId: string;
  firstName: string;
  lastName: string;
  maskedNationalId: string;
  preferredLanguage: string;
}

export interface RecentEvent {
  occurredAt: string;
  channel: string;
  kind: string;
  summary: string;
}

export interface WaitingCaller {
  callSid: string;
  callerMasked: string;
  language: string;
  reason: string;
  waitingSince: string;
  waitingSeconds: number;
  identity: CallerIdentity | null;
  recentTimeline: RecentEvent[];
}

export interface PhoneRequest {
  id: string;
  kind: string;
  reason: string;
  callSid: string;
  callerMasked: string;
  callbackNumber: string | null;
  language: string;
  recordingUrl: string | null;
  recordingSeconds: number | null;
  createdAt: string;
  identity: CallerIdentity | null;
}

export interface PhoneQueue {
  waiting: WaitingCaller[];
  requests: PhoneRequest[];
  requestsTotal: number;
  nextCursor: string | null;
}

export interface StaffIncident {
  id: string;
  service_code: string | null;
  service_name: string;
  status: string;
  requested_datetime: string;
  address_string: string | null;
  case_id: string;
  registration_number: string;
  case_status: string;
  subject: string;
  under_review: boolean;
  hidden: boolean;
}

export interface IncidentCollection {
  type: "FeatureCollection";
  features: { type: "Feature"; geometry: { type: "Point"; coordinates: [number, number] }; properties: StaffIncident }[];
  numberMatched: number;
  truncated: boolean;
}

export interface ReportPhotos {
  caseId: string;
  registrationNumber: string;
  photos: { id: string; position: number; state: string; thumbnailUrl: string }[];
}
