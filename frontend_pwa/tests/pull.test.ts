import { describe, expect, it } from "vitest";
import { createCase, editCase } from "../src/cases";
import { flush } from "../src/outbox";
import { CURSOR_KEY, pullAll } from "../src/pull";
import { FakeServer } from "./fakeServer";
import { freshDb, SAMPLE } from "./helpers";

function serverCase(server: FakeServer, summary: string) {
  const id = crypto.randomUUID();
  server.push({ device_id: "other", operations: [{ op_id: crypto.randomUUID(), kind: "case.create", case_id: id, client_time: "", fields: { ...SAMPLE, summary } }] });
  return id;
}

describe("my cases from the change feed", () => {
  it("first a full pull, then only what changed after the stored cursor", async () => {
    const db = await freshDb();
    const server = new FakeServer();
    const api = server.api();
    const a = serverCase(server, "A");
    const first = await pullAll(db, api);
    expect(first).toMatchObject({ changes: 1, full: true });
    expect(server.requests[0].url).not.toContain("cursor=");
    expect((await db.cases.get(a))?.view.summary).toBe("A");

    server.editByOther(a, { status: "acknowledged" });
    const b = serverCase(server, "B");
    const second = await pullAll(db, api);
    expect(second).toMatchObject({ changes: 2, full: false });
    expect(server.requests[1].url).toContain("cursor=c1");
    expect((await db.cases.get(a))?.view.status).toBe("acknowledged");
    expect((await db.cases.get(b))?.view.summary).toBe("B");
  });

  it("follows has_more until the end", async () => {
    const db = await freshDb();
    const server = new FakeServer();
    await pullAll(db, server.api());
    for (let i = 0; i < 5; i++) serverCase(server, `k${i}`);
    server.pageSize = 2;
    const outcome = await pullAll(db, server.api());
    expect(outcome.changes).toBe(5);
    expect(server.requests.length).toBe(4);
    expect(await db.cases.count()).toBe(5);
  });

  it("410 cursor_expired: a full pull, and copies no longer visible are dropped", async () => {
    const db = await freshDb();
    const server = new FakeServer();
    const api = server.api();
    const gone = serverCase(server, "dirujuk");
    await pullAll(db, api);
    server.cases.delete(gone);
    const stays = serverCase(server, "tetap");
    server.expiredCursors.add((await db.getKv<string>(CURSOR_KEY))!);
    const outcome = await pullAll(db, api);
    expect(outcome.full).toBe(true);
    expect(await db.cases.get(gone)).toBeUndefined();
    expect(await db.cases.get(stays)).toBeDefined();
  });

  it("a removed case is deleted locally, unless it carries unsynced changes", async () => {
    const db = await freshDb();
    const server = new FakeServer();
    const api = server.api();
    const plain = serverCase(server, "plain");
    const edited = serverCase(server, "edited");
    await pullAll(db, api);
    await editCase(db, edited, { summary: "catatan saya" });
    server.record({ id: plain, removed: true });
    server.record({ id: edited, removed: true });
    await pullAll(db, api);
    expect(await db.cases.get(plain)).toBeUndefined();
    expect((await db.cases.get(edited))?.view.summary).toBe("catatan saya");
  });

  it("a pulled copy keeps my pending edits on top", async () => {
    const db = await freshDb();
    const server = new FakeServer();
    const api = server.api();
    const id = await createCase(db, SAMPLE);
    await flush({ db, api, deviceId: "d" });
    await editCase(db, id, { summary: "belum terkirim" });
    server.editByOther(id, { severity: "critical" });
    await pullAll(db, api);
    const record = await db.cases.get(id);
    expect(record?.server?.severity).toBe("critical");
    expect(record?.view).toMatchObject({ severity: "critical", summary: "belum terkirim" });
  });
});
