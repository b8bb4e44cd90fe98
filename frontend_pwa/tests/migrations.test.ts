import Dexie from "dexie";
import { describe, expect, it } from "vitest";
import { USER_SCHEMA_V1, UserDb, userDbName } from "../src/db";

describe("user database migrations", () => {
  it("v1 → v2 keeps cases, outbox order and photos, and fills the new fields", async () => {
    const name = userDbName("eko_migrate");
    await Dexie.delete(name);
    const old = new Dexie(name);
    old.version(1).stores(USER_SCHEMA_V1);
    await old.open();
    await old.table("cases").put({ id: "c1", server: null, view: { id: "c1", summary: "Anak jalanan di perempatan" } });
    await old.table("outbox").bulkAdd([
      { op_id: "op-1", kind: "case.create", case_id: "c1", client_time: "2026-11-30T01:00:00Z", status: "pending", fields: { summary: "Anak jalanan di perempatan" } },
      { op_id: "op-2", kind: "case.update", case_id: "c1", client_time: "2026-11-30T01:05:00Z", status: "sending", base_version: 1, fields: { severity: "high" } },
    ]);
    await old.table("photos").put({ id: "p1", case_id: "c1", blob: new Blob([new Uint8Array(5)]), width: 1, height: 1, created_at: "" });
    await old.table("kv").put({ key: "pull_cursor", value: "abc" });
    old.close();

    const db = new UserDb("eko_migrate");
    await db.open();
    expect(db.verno).toBe(2);
    expect((await db.cases.get("c1"))?.view.summary).toBe("Anak jalanan di perempatan");
    const ops = await db.outbox.orderBy("seq").toArray();
    expect(ops.map((o) => [o.op_id, o.status, o.attempts, o.next_attempt_at, o.sent])).toEqual([
      ["op-1", "pending", 0, 0, false],
      ["op-2", "pending", 0, 0, true],
    ]);
    expect(await db.photos.count()).toBe(1);
    expect(await db.getKv("pull_cursor")).toBe("abc");
    expect(await db.conflicts.count()).toBe(0);
    await db.events.put({ case_id: "c1", events: [], fetched_at: "" });
    db.close();
  });
});
