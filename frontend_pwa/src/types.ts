/** Shapes of the HTTP contract v1 (shared/docs/API.md) and of what the device keeps. */

export type Severity = "low" | "medium" | "high" | "critical";
export type CaseStatus = "new" | "acknowledged" | "dispatched" | "in_progress" | "resolved" | "closed";
export type Role = "field_worker" | "upt_commander" | "manager" | "admin";
export type Sex = "male" | "female" | "unknown";
export type ActionName = "acknowledge" | "dispatch" | "start" | "resolve" | "close" | "reopen" | "refer";

export const SEVERITIES: Severity[] = ["low", "medium", "high", "critical"];
export const OUTCOMES = [
  "handled_on_the_spot",
  "returned_home",
  "admitted_to_upt",
  "referred_to_hospital",
  "referred_to_police",
  "referred_to_local_dinsos",
  "refused_service",
  "not_found",
  "other",
] as const;
export type Outcome = (typeof OUTCOMES)[number];

export interface Location {
  lat: number;
  lng: number;
  accuracy_m: number | null;
}

export interface Person {
  name: string;
  age_estimate: number | null;
  sex: Sex;
  nik: string | null;
}

export interface Attachment {
  id: string;
  content_type: string;
  size: number;
  sha256: string;
  url: string;
}

export interface CodeName {
  code: string;
  name: string;
}

export interface Case {
  id: string;
  reference: string;
  category: string;
  severity: Severity;
  status: CaseStatus;
  summary: string;
  description: string;
  address: string;
  location: Location | null;
  source: string;
  people_count: number;
  person: Person | null;
  complainant: { name: string; phone: string } | null;
  region: CodeName | null;
  upt: CodeName | null;
  reported_by: string;
  assignee: string | null;
  escalation_level: number;
  ack_due_at: string | null;
  due_at: string | null;
  resolution_note: string;
  outcome: Outcome | null;
  attachments: Attachment[];
  observed_at: string;
  created_at: string;
  updated_at: string;
  version: number;
}

/** Fields a client may write (create, case.update). */
export const WRITABLE_FIELDS = [
  "category",
  "severity",
  "summary",
  "description",
  "address",
  "location",
  "source",
  "people_count",
  "person",
  "complainant",
] as const;
export type WritableField = (typeof WRITABLE_FIELDS)[number];
export type CaseFields = Partial<Pick<Case, WritableField>> & { observed_at?: string };

export interface Me {
  username: string;
  full_name: string;
  role: Role;
  upt: CodeName | null;
}

export interface Category {
  code: string;
  name: string;
  name_en: string;
}

export interface Upt {
  code: string;
  name: string;
  regions: string[];
  location: { lat: number; lng: number } | null;
}

export interface CaseEvent {
  id: string;
  kind: string;
  actor: string | null;
  at: string;
  data: Record<string, unknown>;
}

export interface AppNotification {
  id: string;
  kind: string;
  case_id: string | null;
  title: string;
  body: string;
  created_at: string;
  read_at: string | null;
}

export interface ErrorBody {
  code: string;
  message: string;
  fields?: Record<string, string[]>;
  current?: Case;
}

/* ---- sync protocol ---- */

export type OpKind = "case.create" | "case.update" | "case.action" | "case.comment";
/** Photo uploads travel outside the push batch (PUT), but wait in the same outbox. */
export type OutboxKind = OpKind | "attachment.upload";
export type OpStatus = "pending" | "sending" | "conflict" | "rejected";

export interface OutboxOp {
  /** Auto-increment: the order in which the user did things. */
  seq?: number;
  /** Made and stored before the first send, so a retry after a lost answer replays it. */
  op_id: string;
  kind: OutboxKind;
  case_id: string;
  client_time: string;
  base_version?: number;
  fields?: Record<string, unknown>;
  action?: ActionName;
  params?: Record<string, unknown>;
  attachment_id?: string;
  status: OpStatus;
  attempts: number;
  /** Epoch ms before which the op is not retried (per-op backoff, e.g. an upload whose case is not there yet). */
  next_attempt_at: number;
  /** Set once the op has left the device at least once: its content is then frozen. */
  sent: boolean;
  error?: ErrorBody | null;
}

export type ResultStatus = "applied" | "merged" | "conflict" | "rejected";

export interface PushResult {
  op_id: string;
  status: ResultStatus;
  case: Case | null;
  conflicts: string[];
  error: ErrorBody | null;
}

export interface PushResponse {
  results: PushResult[];
  server_time: string;
}

export type PullChange = Case | { id: string; removed: true };

export interface PullResponse {
  changes: PullChange[];
  cursor: string;
  has_more: boolean;
}

/** A local change the server refused because someone changed the same fields meanwhile. */
export interface ConflictRecord {
  id: string;
  case_id: string;
  /** The fields the user wanted (the whole update). */
  mine: Record<string, unknown>;
  /** The fields the server also changed. */
  fields: string[];
  server: Case;
  created_at: string;
}

/** A case as kept on the device: the server's copy and what the user sees. */
export interface CaseRecord {
  id: string;
  /** Last state received from the server; null until the create is accepted. */
  server: Case | null;
  /** Server copy with every local change not yet accepted applied on top. */
  view: Case;
}
