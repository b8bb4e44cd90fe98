/**
 * The outbox: every change made on the device waits here until the server has accepted it.
 *
 * An operation goes pending → sending → (accepted: removed) | conflict (kept aside for the user) |
 * rejected ("needs attention"). A network failure puts it back to pending with the same op_id, so
 * the server replays the result it recorded if the first send did arrive.
 *
 * The page owns the outbox (flushed on load, on `online`, on a timer and on demand); the service
 * worker never touches it.
 */
import { ApiError, type Api, type WireOp } from "./api";
import { backoffDelay } from "./backoff";
import { isInFlight, nowIso, refreshView, newOp } from "./cases";
import type { UserDb } from "./db";
import type { Case, CaseRecord, ConflictRecord, ErrorBody, OpKind, OutboxOp, PushResult } from "./types";

/** Operations per push request: far below the server's 500 and 8 MB (photos travel separately). */
export const BATCH_SIZE = 100;

/** Operations the server has not accepted yet and that are still on their way (photo uploads included). */
export async function countWaiting(db: UserDb): Promise<number> {
  return db.outbox.where("status").anyOf("pending", "sending").count();
}

export async function countAttention(db: UserDb): Promise<number> {
  return db.outbox.where("status").equals("rejected").count();
}

/** Anything on this device the server does not have yet, conflicts and rejected changes included. */
export async function hasUnsyncedWork(db: UserDb): Promise<boolean> {
  return (await db.outbox.count()) > 0 || (await db.conflicts.count()) > 0;
}

/**
 * Picks the next operations to push, in the order they were made.
 * - A case's operations leave in order: one that is waiting (in flight, or not due yet) holds
 *   back the later ones of the same case; a create the server has not accepted holds back the rest
 *   of its case (they would only be refused as "unknown case").
 * - At most one `case.update` per case per request: the next one is based on the version the first produces.
 * - A rejected update holds nothing back.
 */
export function selectBatch(ops: OutboxOp[], now: number, max = BATCH_SIZE): OutboxOp[] {
  const ordered = [...ops].sort((a, b) => (a.seq ?? 0) - (b.seq ?? 0));
  const held = new Set<string>();
  const updated = new Set<string>();
  const batch: OutboxOp[] = [];
  for (const op of ordered) {
    if (op.kind === "attachment.upload") continue;
    if (held.has(op.case_id)) continue;
    const ready = op.status === "pending" && op.next_attempt_at <= now;
    if (!ready) {
      if (op.kind === "case.create" || isInFlight(op)) held.add(op.case_id);
      continue;
    }
    if (op.kind === "case.update" && updated.has(op.case_id)) {
      held.add(op.case_id);
      continue;
    }
    batch.push(op);
    if (op.kind === "case.update") updated.add(op.case_id);
    if (batch.length >= max) break;
  }
  return batch;
}

/** Photo uploads that may go now: due, and their case's create already accepted by the server. */
export function selectUploads(ops: OutboxOp[], now: number): OutboxOp[] {
  const uncreated = new Set(ops.filter((op) => op.kind === "case.create").map((op) => op.case_id));
  return ops
    .filter((op) => op.kind === "attachment.upload" && op.status === "pending" && op.next_attempt_at <= now && !uncreated.has(op.case_id))
    .sort((a, b) => (a.seq ?? 0) - (b.seq ?? 0));
}

export function toWire(op: OutboxOp): WireOp {
  const wire: WireOp = { op_id: op.op_id, kind: op.kind as OpKind, case_id: op.case_id, client_time: op.client_time };
  if (op.kind !== "case.create" && op.kind !== "case.comment") wire.base_version = op.base_version ?? 1;
  if (op.fields) wire.fields = op.fields;
  if (op.kind === "case.action") {
    wire.action = op.action;
    wire.params = op.params ?? {};
  }
  return wire;
}

export interface FlushContext {
  db: UserDb;
  api: Api;
  deviceId: string;
  now?: () => number;
  batchSize?: number;
  onProgress?: (done: number, total: number) => void;
  /** Called after every change to local data (counts, lists). */
  onChange?: () => void;
}

export type FlushOutcome =
  | { kind: "ok"; pushed: number; uploaded: number }
  | { kind: "offline"; error: string }
  | { kind: "auth_required" };

/** Pushes everything that may go now, then the photos. Never throws for network or server trouble. */
export async function flush(ctx: FlushContext): Promise<FlushOutcome> {
  const { db, api } = ctx;
  const now = ctx.now ?? Date.now;
  let batchSize = ctx.batchSize ?? BATCH_SIZE;
  const total = await countWaiting(db);
  let done = 0;
  let pushed = 0;
  let uploaded = 0;
  ctx.onProgress?.(0, total);

  for (;;) {
    const ops = await db.outbox.toArray();
    const batch = selectBatch(ops, now(), batchSize);
    if (batch.length === 0) break;
    await markSending(db, batch);
    let results: PushResult[];
    try {
      results = (await api.push(ctx.deviceId, batch.map(toWire))).results ?? [];
    } catch (err) {
      const outcome = await failed(db, batch, err);
      if (outcome === "smaller" && batchSize > 1) {
        batchSize = Math.max(1, Math.floor(batchSize / 2));
        continue;
      }
      ctx.onChange?.();
      if (outcome === "auth") return { kind: "auth_required" };
      if (outcome === "rejected") continue;
      return { kind: "offline", error: String(err) };
    }
    const byId = new Map(results.map((r) => [r.op_id, r]));
    let unanswered = 0;
    for (const op of batch) {
      const result = byId.get(op.op_id);
      if (result) await handleResult(db, op, result);
      else {
        unanswered++;
        await db.outbox.update(op.seq!, { status: "pending" });
      }
    }
    await requeueAfterRejectedCreate(db, batch, byId);
    pushed += batch.length - unanswered;
    done += batch.length - unanswered;
    ctx.onProgress?.(Math.min(done, total), total);
    ctx.onChange?.();
    // An answer without a result for some operation is not to be hammered: later, with backoff.
    if (unanswered > 0) return { kind: "offline", error: `${unanswered} operations without a result` };
  }

  for (const op of selectUploads(await db.outbox.toArray(), now())) {
    const photo = await db.photos.get(op.attachment_id!);
    if (!photo) {
      await reject(db, op, { code: "missing_photo", message: "photo missing on the device" });
      continue;
    }
    await db.outbox.update(op.seq!, { status: "sending", sent: true });
    try {
      await api.putAttachment(op.case_id, op.attachment_id!, photo.blob);
      await db.outbox.delete(op.seq!);
      uploaded++;
      done++;
      ctx.onProgress?.(Math.min(done, total), total);
    } catch (err) {
      if (err instanceof ApiError && err.status === 404) {
        // The case is not on the server yet (or not visible yet): try again later, alone.
        const attempts = op.attempts + 1;
        await db.outbox.update(op.seq!, { status: "pending", attempts, next_attempt_at: now() + backoffDelay(attempts) });
      } else if (err instanceof ApiError && err.status === 401) {
        await db.outbox.update(op.seq!, { status: "pending" });
        ctx.onChange?.();
        return { kind: "auth_required" };
      } else if (err instanceof ApiError && err.status >= 400 && err.status < 500 && err.status !== 408 && err.status !== 429) {
        await reject(db, op, err.body);
      } else {
        await db.outbox.update(op.seq!, { status: "pending", attempts: op.attempts + 1 });
        ctx.onChange?.();
        return { kind: "offline", error: String(err) };
      }
    }
    ctx.onChange?.();
  }
  return { kind: "ok", pushed, uploaded };
}

/** Before the request leaves: frozen content, `sending` state, base version fixed for retries. */
async function markSending(db: UserDb, batch: OutboxOp[]): Promise<void> {
  await db.transaction("rw", db.outbox, async () => {
    for (const op of batch) {
      op.status = "sending";
      op.sent = true;
      await db.outbox.update(op.seq!, { status: "sending", sent: true });
    }
  });
}

async function failed(db: UserDb, batch: OutboxOp[], err: unknown): Promise<"auth" | "smaller" | "rejected" | "retry"> {
  await db.transaction("rw", db.outbox, async () => {
    for (const op of batch) await db.outbox.update(op.seq!, { status: "pending" });
  });
  if (!(err instanceof ApiError)) return "retry";
  if (err.status === 401) return "auth";
  if (err.status === 413 && batch.length > 1) return "smaller";
  if (err.status === 400 || err.status === 413) {
    // The request itself was refused: show each operation to the user rather than retry forever.
    for (const op of batch) await reject(db, op, err.body);
    return "rejected";
  }
  // 5xx, 408, 429, a proxy's 403...: the same operations go again later, same op_ids.
  return "retry";
}

async function reject(db: UserDb, op: OutboxOp, error: ErrorBody | null): Promise<void> {
  await db.outbox.update(op.seq!, { status: "rejected", error: error ?? { code: "rejected", message: "" } });
  await refreshView(db, op.case_id);
}

/** Applies the server's answer to one operation. */
export async function handleResult(db: UserDb, op: OutboxOp, result: PushResult): Promise<void> {
  await db.transaction("rw", [db.cases, db.outbox, db.conflicts], async () => {
    const record = await db.cases.get(op.case_id);
    switch (result.status) {
      case "applied":
      case "merged": {
        await db.outbox.delete(op.seq!);
        if (result.case) {
          if (op.kind !== "case.create") {
            // Later edits of this case, made on the version this one was based on, now stand on
            // the version it produced (otherwise they would conflict with the user's own change).
            const base = op.base_version ?? 1;
            const later = await db.outbox.where("case_id").equals(op.case_id).toArray();
            for (const next of later) {
              if (!next.sent && next.base_version === base) await db.outbox.update(next.seq!, { base_version: result.case.version });
            }
          }
          await keepNewest(db, op.case_id, record, result.case);
        }
        break;
      }
      case "conflict": {
        if (result.case) await keepNewest(db, op.case_id, record, result.case);
        if (op.kind === "case.update" && result.case) {
          await db.outbox.delete(op.seq!);
          const conflict: ConflictRecord = {
            id: op.op_id,
            case_id: op.case_id,
            mine: op.fields ?? {},
            fields: result.conflicts ?? [],
            server: result.case,
            created_at: nowIso(),
          };
          await db.conflicts.put(conflict);
        } else {
          await db.outbox.update(op.seq!, { status: "rejected", error: result.error ?? { code: "conflict", message: "" } });
        }
        break;
      }
      case "rejected":
      default:
        await db.outbox.update(op.seq!, { status: "rejected", error: result.error ?? { code: "rejected", message: "" } });
        break;
    }
    await refreshView(db, op.case_id);
  });
}

/** The server's copy replaces the local one unless an older answer arrives after a newer one. */
async function keepNewest(db: UserDb, caseId: string, record: CaseRecord | undefined, server: Case): Promise<void> {
  if (record?.server && record.server.version > server.version) return;
  await db.cases.put({ id: caseId, server, view: record?.view ?? server });
}

/**
 * Operations pushed with a create that the server refused were refused too ("unknown case"). They
 * did nothing, so they wait behind the create under new op_ids (the old ones replay the refusal).
 */
async function requeueAfterRejectedCreate(db: UserDb, batch: OutboxOp[], results: Map<string, PushResult>): Promise<void> {
  const refusedCreates = new Set(batch.filter((op) => op.kind === "case.create" && results.get(op.op_id)?.status === "rejected").map((op) => op.case_id));
  if (refusedCreates.size === 0) return;
  for (const op of batch) {
    if (op.kind === "case.create" || !refusedCreates.has(op.case_id)) continue;
    if (results.get(op.op_id)?.status !== "rejected") continue;
    await db.outbox.update(op.seq!, { op_id: crypto.randomUUID(), status: "pending", sent: false, error: null });
  }
}

/** After a restart, anything caught `sending` goes again, with the same op_id. */
export async function recoverInterrupted(db: UserDb): Promise<void> {
  await db.outbox.where("status").equals("sending").modify({ status: "pending" });
}

/* ---- the user's decisions ---- */

/** Keep my values: a new update based on the server's current version (no new conflict on these fields). */
export async function keepMine(db: UserDb, conflictId: string): Promise<void> {
  await db.transaction("rw", [db.cases, db.outbox, db.conflicts], async () => {
    const conflict = await db.conflicts.get(conflictId);
    if (!conflict) return;
    await db.conflicts.delete(conflictId);
    await db.outbox.add(newOp({ kind: "case.update", case_id: conflict.case_id, base_version: conflict.server.version, fields: conflict.mine }));
    await refreshView(db, conflict.case_id);
  });
}

/** Keep the server's values: my change is dropped. */
export async function keepServer(db: UserDb, conflictId: string): Promise<void> {
  await db.transaction("rw", [db.cases, db.outbox, db.conflicts], async () => {
    const conflict = await db.conflicts.get(conflictId);
    if (!conflict) return;
    await db.conflicts.delete(conflictId);
    await refreshView(db, conflict.case_id);
  });
}

/** Sends a rejected operation again, corrected by the user, as a new operation (the old op_id replays the refusal). */
export async function retryRejected(db: UserDb, seq: number, fields?: Record<string, unknown>): Promise<void> {
  await db.transaction("rw", [db.cases, db.outbox, db.photos], async () => {
    const op = await db.outbox.get(seq);
    if (!op || op.status !== "rejected") return;
    let attachmentId = op.attachment_id;
    if (op.kind === "attachment.upload" && attachmentId) {
      // The server keeps an attachment id bound to its first bytes (409 otherwise): a new id.
      const photo = await db.photos.get(attachmentId);
      attachmentId = crypto.randomUUID();
      if (photo) {
        await db.photos.delete(photo.id);
        await db.photos.put({ ...photo, id: attachmentId });
      }
    }
    await db.outbox.update(seq, {
      attachment_id: attachmentId,
      op_id: crypto.randomUUID(),
      status: "pending",
      sent: false,
      attempts: 0,
      next_attempt_at: 0,
      error: null,
      fields: fields ? { ...op.fields, ...fields } : op.fields,
    });
    await refreshView(db, op.case_id);
  });
}

/**
 * Drops a rejected operation, at the user's explicit request. Dropping a refused create drops the
 * case that exists only on this device, with everything queued for it.
 */
export async function discardRejected(db: UserDb, seq: number): Promise<void> {
  await db.transaction("rw", [db.cases, db.outbox, db.photos, db.conflicts], async () => {
    const op = await db.outbox.get(seq);
    if (!op || op.status !== "rejected") return;
    if (op.kind === "case.create") {
      await db.outbox.where("case_id").equals(op.case_id).delete();
      await db.photos.where("case_id").equals(op.case_id).delete();
      await db.conflicts.where("case_id").equals(op.case_id).delete();
      await db.cases.delete(op.case_id);
      return;
    }
    await db.outbox.delete(seq);
    if (op.kind === "attachment.upload" && op.attachment_id) await db.photos.delete(op.attachment_id);
    await refreshView(db, op.case_id);
  });
}
