/**
 * The device's storage, one typed schema with versioned migrations.
 *
 * Two kinds of database:
 * - `jsc-meta`: what belongs to the device (its id, the signed-in session).
 * - `jsc-user-<username>`: everything of one user (cases, outbox, photos, reference data). Keeping
 *   each user's work in a database of its own is what guarantees that a different user signing in
 *   on the same phone never pushes (or sees) another user's unsynced work.
 *
 * A migration is never edited once shipped: add a new `version(n)` with its `upgrade`.
 */
import Dexie, { type Table } from "dexie";
import type { CaseEvent, CaseRecord, ConflictRecord, Me, OutboxOp } from "./types";

export interface KvRow {
  key: string;
  value: unknown;
}

export interface PhotoRow {
  /** The attachment id (UUID made on the device). */
  id: string;
  case_id: string;
  blob: Blob;
  width: number;
  height: number;
  created_at: string;
}

export interface EventsRow {
  case_id: string;
  events: CaseEvent[];
  fetched_at: string;
}

export interface Session {
  username: string;
  token: string;
  expires_at: string | null;
  me: Me;
}

export const META_DB_NAME = "jsc-meta";

export class MetaDb extends Dexie {
  kv!: Table<KvRow, string>;

  constructor() {
    super(META_DB_NAME);
    this.version(1).stores({ kv: "key" });
  }
}

export function userDbName(username: string): string {
  return `jsc-user-${username.toLowerCase()}`;
}

/** Schema of version 1, kept so that tests can build an old database and upgrade it. */
export const USER_SCHEMA_V1 = {
  cases: "id",
  outbox: "++seq, &op_id, case_id, status",
  photos: "id, case_id",
  kv: "key",
};

export const USER_SCHEMA_V2 = {
  ...USER_SCHEMA_V1,
  conflicts: "id, case_id",
  events: "case_id",
};

export class UserDb extends Dexie {
  cases!: Table<CaseRecord, string>;
  outbox!: Table<OutboxOp, number>;
  photos!: Table<PhotoRow, string>;
  kv!: Table<KvRow, string>;
  conflicts!: Table<ConflictRecord, string>;
  events!: Table<EventsRow, string>;

  constructor(public readonly username: string) {
    super(userDbName(username));
    this.version(1).stores(USER_SCHEMA_V1);
    // v2: per-operation retry schedule (an upload whose case is not on the server yet waits on
    // its own, without holding the others), conflicts kept aside, cached timelines.
    this.version(2)
      .stores(USER_SCHEMA_V2)
      .upgrade(async (tx) => {
        await tx
          .table("outbox")
          .toCollection()
          .modify((op: Partial<OutboxOp>) => {
            op.attempts ??= 0;
            op.next_attempt_at ??= 0;
            op.sent ??= op.status !== "pending";
            // v1 had no place for conflicts: put them back in the queue, the server answers again.
            if ((op.status as string) === "conflict" || (op.status as string) === "sending") op.status = "pending";
          });
      });
  }

  async getKv<T>(key: string): Promise<T | undefined> {
    const row = await this.kv.get(key);
    return row?.value as T | undefined;
  }

  async setKv(key: string, value: unknown): Promise<void> {
    await this.kv.put({ key, value });
  }
}

export const metaDb = new MetaDb();

export async function getMeta<T>(key: string): Promise<T | undefined> {
  const row = await metaDb.kv.get(key);
  return row?.value as T | undefined;
}

export async function setMeta(key: string, value: unknown): Promise<void> {
  await metaDb.kv.put({ key, value });
}

export async function deleteMeta(key: string): Promise<void> {
  await metaDb.kv.delete(key);
}

/** A stable id for this installation, sent as `device_id` with every push. */
export async function deviceId(): Promise<string> {
  const existing = await getMeta<string>("device_id");
  if (existing) return existing;
  const id = crypto.randomUUID();
  await setMeta("device_id", id);
  return id;
}
