import { describe, expect, it } from "vitest";
import { backoffDelay, BACKOFF_MAX_MS } from "../src/backoff";
import { caseAction, createCase, editCase } from "../src/cases";
import { countWaiting, flush, recoverInterrupted, selectBatch, selectUploads, toWire } from "../src/outbox";
import type { OutboxOp } from "../src/types";
import { FakeServer } from "./fakeServer";
import { freshDb, jpeg, SAMPLE } from "./helpers";

function op(partial: Partial<OutboxOp>): OutboxOp {
  return {
    op_id: crypto.randomUUID(),
    kind: "case.update",
    case_id: "a",
    client_time: "2026-11-30T08:00:00Z",
    status: "pending",
    attempts: 0,
    next_attempt_at: 0,
    sent: false,
    ...partial,
  };
}

describe("a case saved offline", () => {
  it("is on the device and in the outbox at once, photo upload counted", async () => {
    const db = await freshDb();
    const id = await createCase(db, SAMPLE, [{ id: crypto.randomUUID(), blob: jpeg(), width: 10, height: 10 }]);
    expect((await db.cases.get(id))?.view.summary).toBe(SAMPLE.summary);
    expect(await countWaiting(db)).toBe(2);
    const kinds = (await db.outbox.orderBy("seq").toArray()).map((o) => [o.kind, o.status, o.sent]);
    expect(kinds).toEqual([
      ["case.create", "pending", false],
      ["attachment.upload", "pending", false],
    ]);
  });

  it("goes pending → sending → accepted (removed) when the server applies it", async () => {
    const db = await freshDb();
    const server = new FakeServer();
    const api = server.api();
    const id = await createCase(db, SAMPLE);
    let seenSending = false;
    const spy = api.push.bind(api);
    api.push = async (device, ops) => {
      seenSending = (await db.outbox.toArray()).every((o) => o.status === "sending" && o.sent);
      return spy(device, ops);
    };
    const outcome = await flush({ db, api, deviceId: "dev1" });
    expect(outcome).toEqual({ kind: "ok", pushed: 1, uploaded: 0 });
    expect(seenSending).toBe(true);
    expect(await db.outbox.count()).toBe(0);
    expect((await db.cases.get(id))?.server?.reference).toBe("JSC-2026-000001");
    expect(server.pushes()[0].device_id).toBe("dev1");
  });
});

describe("retries", () => {
  it("keep the op_id after a lost answer, and the server replays its result", async () => {
    const db = await freshDb();
    const server = new FakeServer();
    const api = server.api();
    await createCase(db, SAMPLE);
    const [stored] = await db.outbox.toArray();
    server.loseResponses = 1;
    const first = await flush({ db, api, deviceId: "d" });
    expect(first.kind).toBe("offline");
    const [again] = await db.outbox.toArray();
    expect(again.op_id).toBe(stored.op_id);
    expect(again.status).toBe("pending");
    expect(again.sent).toBe(true);
    await flush({ db, api, deviceId: "d" });
    const sent = server.pushes().map((p) => p.operations[0].op_id);
    expect(sent).toEqual([stored.op_id, stored.op_id]);
    expect(server.cases.size).toBe(1);
    expect(await db.outbox.count()).toBe(0);
  });

  it("an op caught `sending` by a closed page goes again as pending", async () => {
    const db = await freshDb();
    await createCase(db, SAMPLE);
    await db.outbox.toCollection().modify({ status: "sending", sent: true });
    await recoverInterrupted(db);
    expect((await db.outbox.toArray())[0].status).toBe("pending");
  });

  it("server errors leave everything pending for the next try", async () => {
    const db = await freshDb();
    const server = new FakeServer();
    await createCase(db, SAMPLE);
    server.status5xx = 1;
    expect((await flush({ db, api: server.api(), deviceId: "d" })).kind).toBe("offline");
    expect(await countWaiting(db)).toBe(1);
  });

  it("a 401 stops the flush and keeps the work", async () => {
    const db = await freshDb();
    const server = new FakeServer();
    await createCase(db, SAMPLE);
    server.unauthorized = true;
    expect((await flush({ db, api: server.api(), deviceId: "d" })).kind).toBe("auth_required");
    expect(await countWaiting(db)).toBe(1);
  });

  it("back off exponentially with jitter, up to a ceiling", () => {
    expect(backoffDelay(0)).toBe(0);
    expect(backoffDelay(1, 0)).toBe(1000);
    expect(backoffDelay(1, 0.999)).toBeLessThanOrEqual(2000);
    expect(backoffDelay(3, 0)).toBe(4000);
    expect(backoffDelay(4, 0)).toBeGreaterThan(backoffDelay(3, 0.999));
    expect(backoffDelay(50, 0.999)).toBeLessThanOrEqual(BACKOFF_MAX_MS);
  });
});

describe("ordering", () => {
  it("a create leaves before the updates and actions of its case, in one request", async () => {
    const db = await freshDb();
    const server = new FakeServer();
    const id = await createCase(db, SAMPLE);
    await db.outbox.toCollection().modify({ sent: true }); // the create already left once: no folding
    await editCase(db, id, { summary: "Lansia, kaki luka" });
    await caseAction(db, id, "resolve", { note: "Diantar pulang", outcome: "returned_home" });
    await flush({ db, api: server.api(), deviceId: "d" });
    const kinds = server.pushes()[0].operations.map((o: any) => [o.kind, o.base_version]);
    expect(kinds).toEqual([
      ["case.create", undefined],
      ["case.update", 1],
      ["case.action", 1],
    ]);
    expect(server.cases.get(id)?.case.summary).toBe("Lansia, kaki luka");
  });

  it("an edit of a create that never left is folded into it", async () => {
    const db = await freshDb();
    const id = await createCase(db, SAMPLE);
    await editCase(db, id, { severity: "critical" });
    const ops = await db.outbox.toArray();
    expect(ops).toHaveLength(1);
    expect(ops[0].fields).toMatchObject({ severity: "critical", summary: SAMPLE.summary });
  });

  it("one update per case per request; the second is based on the version the first produced", async () => {
    const db = await freshDb();
    const server = new FakeServer();
    const api = server.api();
    const id = await createCase(db, SAMPLE);
    await flush({ db, api, deviceId: "d" });
    await editCase(db, id, { summary: "satu" });
    await db.outbox.toCollection().modify({ sent: true });
    await editCase(db, id, { summary: "dua" });
    await flush({ db, api, deviceId: "d" });
    const updates = server.pushes().slice(1).map((p) => p.operations.map((o: any) => [o.fields.summary, o.base_version]));
    expect(updates).toEqual([[["satu", 1]], [["dua", 2]]]);
    expect(server.cases.get(id)?.case.summary).toBe("dua");
    expect((await db.cases.get(id))?.view.summary).toBe("dua");
  });

  it("a waiting create holds back its case but not other cases", () => {
    const ops = [
      op({ seq: 1, kind: "case.create", case_id: "a", status: "rejected" }),
      op({ seq: 2, case_id: "a" }),
      op({ seq: 3, kind: "case.create", case_id: "b" }),
      op({ seq: 4, case_id: "c", status: "rejected" }),
      op({ seq: 5, case_id: "c" }),
      op({ seq: 6, case_id: "d", next_attempt_at: 10_000 }),
      op({ seq: 7, kind: "case.action", case_id: "d" }),
    ];
    expect(selectBatch(ops, 1000).map((o) => o.seq)).toEqual([3, 5]);
    expect(selectBatch(ops, 20_000).map((o) => o.seq)).toEqual([3, 5, 6, 7]);
    expect(selectBatch(ops, 20_000, 2).map((o) => o.seq)).toEqual([3, 5]);
  });

  it("batches stay at 100 operations", async () => {
    const db = await freshDb();
    const server = new FakeServer();
    for (let i = 0; i < 230; i++) await createCase(db, { ...SAMPLE, summary: `kasus ${i}` });
    const progress: number[] = [];
    await flush({ db, api: server.api(), deviceId: "d", onProgress: (done) => progress.push(done) });
    expect(server.pushes().map((p) => p.operations.length)).toEqual([100, 100, 30]);
    expect(progress).toEqual([0, 100, 200, 230]);
    expect(server.cases.size).toBe(230);
  });

  it("toWire sends writable fields and base_version, never local bookkeeping", () => {
    const wire = toWire(op({ seq: 9, kind: "case.action", action: "start", base_version: 3, attempts: 2 }));
    expect(Object.keys(wire).sort()).toEqual(["action", "base_version", "case_id", "client_time", "kind", "op_id", "params"]);
  });
});

describe("photo uploads", () => {
  it("wait for their case's create to be accepted", () => {
    const ops = [op({ seq: 1, kind: "case.create", case_id: "a" }), op({ seq: 2, kind: "attachment.upload", case_id: "a", attachment_id: "p" })];
    expect(selectUploads(ops, 0)).toHaveLength(0);
    expect(selectUploads(ops.slice(1), 0)).toHaveLength(1);
  });

  it("go as PUT image/jpeg after the create, 201 then done", async () => {
    const db = await freshDb();
    const server = new FakeServer();
    const photoId = crypto.randomUUID();
    const id = await createCase(db, SAMPLE, [{ id: photoId, blob: jpeg(1234), width: 4, height: 3 }]);
    const outcome = await flush({ db, api: server.api(), deviceId: "d" });
    expect(outcome).toEqual({ kind: "ok", pushed: 1, uploaded: 1 });
    const put = server.requests.find((r) => r.method === "PUT");
    expect(put?.url).toBe(`/api/v1/cases/${id}/attachments/${photoId}/`);
    expect(server.attachments.get(photoId)).toBe(1234);
    expect(await countWaiting(db)).toBe(0);
  });

  it("a 404 (case not there yet) retries later with backoff, without blocking others", async () => {
    const db = await freshDb();
    const server = new FakeServer();
    await db.outbox.add(op({ kind: "attachment.upload", case_id: "elsewhere", attachment_id: "p1" }));
    await db.photos.put({ id: "p1", case_id: "elsewhere", blob: jpeg(), width: 1, height: 1, created_at: "" });
    const other = await createCase(db, SAMPLE);
    const outcome = await flush({ db, api: server.api(), deviceId: "d", now: () => 1_000 });
    expect(outcome.kind).toBe("ok");
    expect(server.cases.has(other)).toBe(true);
    const [upload] = await db.outbox.toArray();
    expect(upload).toMatchObject({ status: "pending", attempts: 1 });
    expect(upload.next_attempt_at).toBeGreaterThan(1_000);
    expect(await countWaiting(db)).toBe(1);
  });
});

describe("a malformed answer", () => {
  it("an operation without a result stays pending and the flush stops (no busy loop)", async () => {
    const db = await freshDb();
    const server = new FakeServer();
    const api = server.api();
    await createCase(db, SAMPLE);
    api.push = async () => ({ results: [], server_time: "" });
    const outcome = await flush({ db, api, deviceId: "d" });
    expect(outcome.kind).toBe("offline");
    expect((await db.outbox.toArray())[0]).toMatchObject({ status: "pending", sent: true });
  });
});
