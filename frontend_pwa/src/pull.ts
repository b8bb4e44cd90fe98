/**
 * "My cases": the server's change feed (`GET /sync/pull/`) applied to the local copies.
 * Incremental with the stored cursor; a full pull without one (first time, or after 410).
 */
import { ApiError, type Api } from "./api";
import { computeView } from "./cases";
import type { UserDb } from "./db";
import type { Case, CaseRecord, OutboxOp, PullChange } from "./types";

export const CURSOR_KEY = "pull_cursor";
const MAX_PAGES = 1000;

function isRemoval(change: PullChange): change is { id: string; removed: true } {
  return (change as { removed?: boolean }).removed === true;
}

/** Local work on a case that the server has not accepted: its copy must stay on the device. */
async function hasLocalWork(db: UserDb, caseId: string): Promise<boolean> {
  return (await db.outbox.where("case_id").equals(caseId).count()) > 0 || (await db.conflicts.where("case_id").equals(caseId).count()) > 0;
}

/**
 * Applies one page of changes with a handful of bulk reads and writes. One request per case
 * (get, put, then the outbox for its view) made a first pull of 2,000 cases take half a minute
 * on a slow phone. Must run inside a transaction over cases, outbox, conflicts and events.
 */
async function applyPage(db: UserDb, changes: PullChange[]): Promise<void> {
  const ids = [...new Set(changes.map((change) => change.id))];
  const [stored, ops, conflicts] = await Promise.all([
    db.cases.bulkGet(ids),
    db.outbox.where("case_id").anyOf(ids).toArray(),
    db.conflicts.where("case_id").anyOf(ids).toArray(),
  ]);
  const records = new Map<string, CaseRecord | undefined>(ids.map((id, i) => [id, stored[i]]));
  const opsByCase = new Map<string, OutboxOp[]>();
  for (const op of ops) opsByCase.set(op.case_id, [...(opsByCase.get(op.case_id) ?? []), op]);
  const inConflict = new Set(conflicts.map((conflict) => conflict.case_id));
  const written = new Set<string>();
  const removedIds = new Set<string>();

  for (const change of changes) {
    if (isRemoval(change)) {
      if (opsByCase.has(change.id) || inConflict.has(change.id)) continue;
      records.set(change.id, undefined);
      written.add(change.id);
      removedIds.add(change.id);
      continue;
    }
    const server = change as Case;
    const record = records.get(server.id);
    if (record?.server && record.server.version > server.version) continue;
    // The server's copy with my pending operations on top, as refreshView builds it.
    const view = computeView({ id: server.id, server, view: record?.view ?? server }, opsByCase.get(server.id) ?? [], db.username);
    records.set(server.id, view ? { id: server.id, server, view } : undefined);
    written.add(server.id);
  }

  const puts: CaseRecord[] = [];
  const deletes: string[] = [];
  for (const id of written) {
    const record = records.get(id);
    if (record) puts.push(record);
    else deletes.push(id);
  }
  await db.cases.bulkPut(puts);
  await db.cases.bulkDelete(deletes);
  await db.events.bulkDelete([...removedIds].filter((id) => !records.get(id)));
}

export interface PullOutcome {
  changes: number;
  full: boolean;
}

/** Follows the feed until `has_more` is false. Throws NetworkError/ApiError like the Api does. */
export async function pullAll(db: UserDb, api: Api, onProgress?: (changes: number) => void): Promise<PullOutcome> {
  let cursor = (await db.getKv<string>(CURSOR_KEY)) ?? null;
  let full = cursor === null;
  const seen = new Set<string>();
  let count = 0;
  for (let page = 0; page < MAX_PAGES; page++) {
    let response;
    try {
      response = await api.pull(cursor);
    } catch (err) {
      if (err instanceof ApiError && err.status === 410 && cursor !== null) {
        // The server can no longer serve this cursor: start again from everything.
        cursor = null;
        full = true;
        seen.clear();
        await db.setKv(CURSOR_KEY, null);
        continue;
      }
      throw err;
    }
    const changes = response.changes ?? [];
    // One transaction per page: a page of 500 changes is written in one go, or not at all.
    await db.transaction("rw", [db.cases, db.outbox, db.conflicts, db.events], async () => {
      for (const change of changes) seen.add(change.id);
      await applyPage(db, changes);
    });
    count += response.changes?.length ?? 0;
    onProgress?.(count);
    cursor = response.cursor;
    // Stored after each page: an interrupted pull resumes where it stopped.
    await db.setKv(CURSOR_KEY, cursor);
    if (!response.has_more) break;
  }
  if (full) await dropUnseen(db, seen);
  return { changes: count, full };
}

/** After a full pull, local copies the server no longer shows us are gone, unless they carry local work. */
async function dropUnseen(db: UserDb, seen: Set<string>): Promise<void> {
  const ids = (await db.cases.toCollection().primaryKeys()) as string[];
  for (const id of ids) {
    if (seen.has(id)) continue;
    const record = await db.cases.get(id);
    if (!record?.server) continue; // only on this device so far
    if (await hasLocalWork(db, id)) continue;
    await db.cases.delete(id);
    await db.events.delete(id);
  }
}
