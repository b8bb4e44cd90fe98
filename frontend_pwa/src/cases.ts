/**
 * Local changes to cases. Every change is written to the case's local copy and to the outbox in
 * one IndexedDB transaction, whatever the network: the outbox decides later when it leaves.
 */
import type { UserDb } from "./db";
import type { ActionName, Case, CaseFields, CaseRecord, CaseStatus, OutboxOp } from "./types";

export function nowIso(): string {
  return new Date().toISOString();
}

/** What a case created on the device looks like before the server has seen it. */
export function draftCase(id: string, fields: CaseFields, reportedBy: string, observedAt: string): Case {
  return {
    id,
    reference: "",
    category: "",
    severity: "medium",
    status: "new",
    summary: "",
    description: "",
    address: "",
    location: null,
    source: "field_outreach",
    people_count: 1,
    person: null,
    complainant: null,
    region: null,
    upt: null,
    reported_by: reportedBy,
    assignee: null,
    escalation_level: 0,
    ack_due_at: null,
    due_at: null,
    resolution_note: "",
    outcome: null,
    attachments: [],
    observed_at: observedAt,
    created_at: observedAt,
    updated_at: observedAt,
    version: 0,
    ...(fields as Partial<Case>),
  };
}

/** The status an action is expected to lead to, shown until the server answers. */
export function predictAction(view: Case, action: ActionName, params: Record<string, unknown> = {}): Case {
  const next: Case = { ...view };
  const to: Partial<Record<ActionName, CaseStatus>> = {
    acknowledge: "acknowledged",
    dispatch: "dispatched",
    start: "in_progress",
    resolve: "resolved",
    close: "closed",
    refer: "new",
  };
  if (action === "reopen") next.status = view.assignee ? "in_progress" : "acknowledged";
  else if (to[action]) next.status = to[action];
  if (action === "dispatch") next.assignee = String(params.assignee ?? "");
  if (action === "refer") next.assignee = null;
  if (action === "resolve") {
    next.resolution_note = String(params.note ?? "");
    next.outcome = (params.outcome as Case["outcome"]) ?? null;
  }
  return next;
}

/** Applies one local operation on top of a case (for the view; the server decides for real). */
export function applyOp(view: Case, op: OutboxOp): Case {
  switch (op.kind) {
    case "case.create":
    case "case.update":
      return { ...view, ...(op.fields as Partial<Case>) };
    case "case.action":
      return predictAction(view, op.action!, op.params);
    default:
      return view;
  }
}

/** Local changes that are still on their way (a rejected one waits aside for the user). */
export function isInFlight(op: OutboxOp): boolean {
  return op.status === "pending" || op.status === "sending";
}

/** Server copy + local changes not yet accepted, in the order they were made. */
export function computeView(record: Pick<CaseRecord, "id" | "server"> & { view?: Case }, ops: OutboxOp[], reportedBy: string): Case | null {
  const ordered = ops.filter((op) => op.case_id === record.id).sort((a, b) => (a.seq ?? 0) - (b.seq ?? 0));
  let view: Case | null = record.server ? { ...record.server } : null;
  for (const op of ordered) {
    if (op.kind === "case.create") {
      // Until the server has the case, its create (whatever its state) is the case.
      if (!view) view = draftCase(record.id, op.fields as CaseFields, reportedBy, op.client_time);
      continue;
    }
    if (!view) view = record.view ?? null;
    if (view && isInFlight(op)) view = applyOp(view, op);
  }
  // Nothing to rebuild from (e.g. an accepted create answered without the case): keep what is shown.
  return view ?? record.view ?? null;
}

/** Rebuilds what the user sees for one case from its server copy and its pending operations. */
export async function refreshView(db: UserDb, caseId: string): Promise<void> {
  const record = await db.cases.get(caseId);
  const ops = await db.outbox.where("case_id").equals(caseId).toArray();
  const view = computeView(record ?? { id: caseId, server: null }, ops, db.username);
  if (!view) {
    if (record) await db.cases.delete(caseId);
    return;
  }
  await db.cases.put({ id: caseId, server: record?.server ?? null, view });
}

function newOp(partial: Omit<OutboxOp, "op_id" | "status" | "attempts" | "next_attempt_at" | "sent" | "client_time">): OutboxOp {
  return {
    op_id: crypto.randomUUID(),
    client_time: nowIso(),
    status: "pending",
    attempts: 0,
    next_attempt_at: 0,
    sent: false,
    ...partial,
  };
}

export interface NewPhoto {
  id: string;
  blob: Blob;
  width: number;
  height: number;
}

/** Saves a new case and its photos on the device, and queues them for the server, atomically. */
export async function createCase(db: UserDb, fields: CaseFields, photos: NewPhoto[] = []): Promise<string> {
  const id = crypto.randomUUID();
  const observedAt = fields.observed_at ?? nowIso();
  const createFields = { ...fields, observed_at: observedAt };
  await db.transaction("rw", [db.cases, db.outbox, db.photos], async () => {
    await db.cases.put({ id, server: null, view: draftCase(id, createFields, db.username, observedAt) });
    await db.outbox.add(newOp({ kind: "case.create", case_id: id, fields: createFields }));
    for (const photo of photos) {
      await db.photos.put({ ...photo, case_id: id, created_at: nowIso() });
      await db.outbox.add(newOp({ kind: "attachment.upload", case_id: id, attachment_id: photo.id }));
    }
  });
  return id;
}

/** Deep equality of JSON values, whatever the order of object keys. */
export function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || b === null || a === undefined || b === undefined) return (a ?? null) === (b ?? null);
  if (typeof a !== "object" || typeof b !== "object") return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a as object);
  const kb = Object.keys(b as object);
  if (ka.length !== kb.length) return false;
  return ka.every((k) => sameValue((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

/** The fields of `next` that differ from `current` (top-level fields, compared by value). */
export function changedFields(current: Partial<Case>, next: CaseFields): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(next)) {
    if (!sameValue(current[key as keyof Case] ?? null, value ?? null)) out[key] = value;
  }
  return out;
}

/**
 * Records an edit. An edit of a change that has not left the device yet is folded into it (fewer
 * operations, no conflict with oneself); one that already left gets an operation of its own.
 */
export async function editCase(db: UserDb, caseId: string, next: CaseFields): Promise<boolean> {
  return db.transaction("rw", [db.cases, db.outbox], async () => {
    const record = await db.cases.get(caseId);
    if (!record) throw new Error("unknown case");
    const fields = changedFields(record.view, next);
    if (Object.keys(fields).length === 0) return false;
    const all = await db.outbox.where("case_id").equals(caseId).sortBy("seq");
    const refusedCreate = all.find((op) => op.kind === "case.create" && op.status === "rejected");
    if (refusedCreate) {
      // Editing a case the server refused to create is fixing it: the create goes again, corrected,
      // under a new op_id (the old one would only replay the refusal).
      await db.outbox.update(refusedCreate.seq!, {
        fields: { ...refusedCreate.fields, ...fields },
        op_id: crypto.randomUUID(),
        status: "pending",
        sent: false,
        attempts: 0,
        next_attempt_at: 0,
        error: null,
      });
      await refreshView(db, caseId);
      return true;
    }
    const ops = all.filter(isInFlight);
    const last = ops[ops.length - 1];
    const foldable = ops.find((op) => op.kind === "case.create" && !op.sent) ?? (last && last.kind === "case.update" && !last.sent ? last : undefined);
    if (foldable) {
      await db.outbox.update(foldable.seq!, { fields: { ...foldable.fields, ...fields } });
    } else {
      await db.outbox.add(newOp({ kind: "case.update", case_id: caseId, base_version: baseVersion(record), fields }));
    }
    await refreshView(db, caseId);
    return true;
  });
}

/** Queues a workflow action (acknowledge, dispatch, start, resolve, close, reopen, refer). */
export async function caseAction(db: UserDb, caseId: string, action: ActionName, params: Record<string, unknown> = {}): Promise<void> {
  await db.transaction("rw", [db.cases, db.outbox], async () => {
    const record = await db.cases.get(caseId);
    if (!record) throw new Error("unknown case");
    await db.outbox.add(newOp({ kind: "case.action", case_id: caseId, base_version: baseVersion(record), action, params }));
    await refreshView(db, caseId);
  });
}

/** Adds a photo to an existing case. */
export async function addPhoto(db: UserDb, caseId: string, photo: NewPhoto): Promise<void> {
  await db.transaction("rw", [db.photos, db.outbox], async () => {
    await db.photos.put({ ...photo, case_id: caseId, created_at: nowIso() });
    await db.outbox.add(newOp({ kind: "attachment.upload", case_id: caseId, attachment_id: photo.id }));
  });
}

/** The version the user's change is based on: the server's copy they saw, 1 for a case not pushed yet. */
export function baseVersion(record: CaseRecord): number {
  return record.server?.version ?? 1;
}

export { newOp };
