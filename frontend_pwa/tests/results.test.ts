import { describe, expect, it } from "vitest";
import { caseAction, createCase, editCase } from "../src/cases";
import { countAttention, countWaiting, discardRejected, flush, handleResult, keepMine, keepServer, retryRejected } from "../src/outbox";
import { FakeServer } from "./fakeServer";
import { freshDb, SAMPLE } from "./helpers";

async function syncedCase() {
  const db = await freshDb();
  const server = new FakeServer();
  const api = server.api();
  const id = await createCase(db, SAMPLE);
  await flush({ db, api, deviceId: "d" });
  return { db, server, api, id };
}

describe("results of a push", () => {
  it("applied: the server's case replaces the local copy", async () => {
    const { db, id } = await syncedCase();
    const record = await db.cases.get(id);
    expect(record?.server?.version).toBe(1);
    expect(record?.view.reference).toBe("JSC-2026-000001");
  });

  it("merged: someone else's change of another field is kept, mine applied on top", async () => {
    const { db, server, api, id } = await syncedCase();
    server.editByOther(id, { severity: "critical" });
    await editCase(db, id, { summary: "Sudah dipindah ke teras masjid" });
    await flush({ db, api, deviceId: "d" });
    const view = (await db.cases.get(id))!.view;
    expect(view).toMatchObject({ severity: "critical", summary: "Sudah dipindah ke teras masjid", version: 3 });
  });

  it("the server's copy keeps later pending local changes on top", async () => {
    const { db, server, id } = await syncedCase();
    await editCase(db, id, { summary: "pending" });
    const [pending] = await db.outbox.toArray();
    const newer = { ...server.cases.get(id)!.case, severity: "low" as const, version: 2 };
    await handleResult(db, { ...pending, seq: 999_999, kind: "case.action", action: "acknowledge" }, { op_id: "x", status: "applied", case: newer, conflicts: [], error: null });
    const view = (await db.cases.get(id))!.view;
    expect(view.severity).toBe("low");
    expect(view.summary).toBe("pending");
  });

  it("conflict: my change is kept aside with both values, nothing waits in the outbox", async () => {
    const { db, server, api, id } = await syncedCase();
    server.editByOther(id, { summary: "Versi komandan" });
    await editCase(db, id, { summary: "Versi saya" });
    await flush({ db, api, deviceId: "d" });
    const [conflict] = await db.conflicts.toArray();
    expect(conflict.fields).toEqual(["summary"]);
    expect(conflict.mine).toEqual({ summary: "Versi saya" });
    expect(conflict.server.summary).toBe("Versi komandan");
    expect(await countWaiting(db)).toBe(0);
    expect((await db.cases.get(id))!.view.summary).toBe("Versi komandan");
  });

  it("rejected: goes to 'needs attention' with the server's message and does not block the rest", async () => {
    const db = await freshDb();
    const server = new FakeServer();
    const api = server.api();
    const bad = await createCase(db, { ...SAMPLE, category: "BAD" });
    await caseAction(db, bad, "resolve", { note: "x", outcome: "other" });
    const good = await createCase(db, SAMPLE);
    await flush({ db, api, deviceId: "d" });
    expect(server.cases.has(good)).toBe(true);
    expect(await countAttention(db)).toBe(1);
    const [rejected] = await db.outbox.where("status").equals("rejected").toArray();
    expect(rejected.kind).toBe("case.create");
    expect(rejected.error).toMatchObject({ message: "Kategori tidak dikenal", fields: { category: ["bad"] } });
    // The action behind the refused create waits for it instead of being refused as "unknown case".
    expect(await countWaiting(db)).toBe(1);
    expect((await db.cases.get(bad))!.view.summary).toBe(SAMPLE.summary);
  });

  it("a rejected action is shown, not retried", async () => {
    const { db, server, api, id } = await syncedCase();
    await caseAction(db, id, "start");
    await flush({ db, api, deviceId: "d" });
    const [op] = await db.outbox.toArray();
    expect(op).toMatchObject({ status: "rejected", error: { code: "invalid_transition" } });
    expect((await db.cases.get(id))!.view.status).toBe("new");
    const pushes = server.pushes().length;
    await flush({ db, api, deviceId: "d" });
    expect(server.pushes().length).toBe(pushes);
  });

  it("a corrected rejected create goes again under a new op_id, then its queued operations follow", async () => {
    const db = await freshDb();
    const server = new FakeServer();
    const api = server.api();
    const id = await createCase(db, { ...SAMPLE, category: "BAD" });
    await flush({ db, api, deviceId: "d" });
    await caseAction(db, id, "acknowledge");
    const [rejected] = await db.outbox.where("status").equals("rejected").toArray();
    await retryRejected(db, rejected.seq!, { category: "PPKS11" });
    const [again] = await db.outbox.orderBy("seq").toArray();
    expect(again.op_id).not.toBe(rejected.op_id);
    await flush({ db, api, deviceId: "d" });
    expect(server.cases.get(id)?.case).toMatchObject({ category: "PPKS11", status: "acknowledged" });
    expect(await db.outbox.count()).toBe(0);
  });

  it("discarding a refused create drops the case that only this device had", async () => {
    const db = await freshDb();
    const id = await createCase(db, { ...SAMPLE, category: "BAD" });
    await flush({ db, api: new FakeServer().api(), deviceId: "d" });
    const [rejected] = await db.outbox.toArray();
    await discardRejected(db, rejected.seq!);
    expect(await db.cases.get(id)).toBeUndefined();
    expect(await db.outbox.count()).toBe(0);
  });
});

describe("resolving a conflict", () => {
  async function conflicted() {
    const ctx = await syncedCase();
    ctx.server.editByOther(ctx.id, { summary: "Versi komandan" });
    await editCase(ctx.db, ctx.id, { summary: "Versi saya", severity: "high" });
    await flush({ db: ctx.db, api: ctx.api, deviceId: "d" });
    const [conflict] = await ctx.db.conflicts.toArray();
    return { ...ctx, conflict };
  }

  it("keep mine: a new update on the server's version wins, the conflict is gone", async () => {
    const { db, server, api, id, conflict } = await conflicted();
    await keepMine(db, conflict.id);
    expect(await db.conflicts.count()).toBe(0);
    const [op] = await db.outbox.toArray();
    expect(op).toMatchObject({ kind: "case.update", base_version: 2, status: "pending" });
    expect(op.op_id).not.toBe(conflict.id);
    expect((await db.cases.get(id))!.view.summary).toBe("Versi saya");
    await flush({ db, api, deviceId: "d" });
    expect(server.cases.get(id)?.case.summary).toBe("Versi saya");
    expect(await db.outbox.count()).toBe(0);
  });

  it("keep the server's: my change is dropped and nothing is pushed", async () => {
    const { db, server, api, id, conflict } = await conflicted();
    const pushes = server.pushes().length;
    await keepServer(db, conflict.id);
    expect(await db.conflicts.count()).toBe(0);
    expect(await db.outbox.count()).toBe(0);
    expect((await db.cases.get(id))!.view.summary).toBe("Versi komandan");
    await flush({ db, api, deviceId: "d" });
    expect(server.pushes().length).toBe(pushes);
  });
});

describe("fixing what the server refused", () => {
  it("editing a case whose create was refused sends the create again, corrected", async () => {
    const db = await freshDb();
    const server = new FakeServer();
    const api = server.api();
    const id = await createCase(db, { ...SAMPLE, category: "BAD" });
    await flush({ db, api, deviceId: "d" });
    const [refused] = await db.outbox.toArray();
    await editCase(db, id, { category: "PPKS04" });
    const ops = await db.outbox.toArray();
    expect(ops).toHaveLength(1);
    expect(ops[0]).toMatchObject({ kind: "case.create", status: "pending", fields: { category: "PPKS04" } });
    expect(ops[0].op_id).not.toBe(refused.op_id);
    await flush({ db, api, deviceId: "d" });
    expect(server.cases.get(id)?.case.category).toBe("PPKS04");
  });

  it("a refused photo goes again under a new attachment id with the same bytes", async () => {
    const db = await freshDb();
    const server = new FakeServer();
    const api = server.api();
    const photoId = crypto.randomUUID();
    const id = await createCase(db, SAMPLE, [{ id: photoId, blob: new Blob([new Uint8Array(10)]), width: 1, height: 1 }]);
    server.attachments.set(photoId, 99); // the id is taken by other bytes: 409
    await flush({ db, api, deviceId: "d" });
    const [upload] = await db.outbox.toArray();
    expect(upload.status).toBe("rejected");
    expect(await countAttention(db)).toBe(1);
    await retryRejected(db, upload.seq!);
    await flush({ db, api, deviceId: "d" });
    expect(await db.outbox.count()).toBe(0);
    const [photo] = await db.photos.where("case_id").equals(id).toArray();
    expect(photo.id).not.toBe(photoId);
    expect(server.attachments.get(photo.id)).toBe(10);
  });
});
