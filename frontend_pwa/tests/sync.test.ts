import { describe, expect, it } from "vitest";
import { createCase } from "../src/cases";
import { SyncEngine, PERIODIC_MS, type Scheduler } from "../src/sync";
import { FakeServer } from "./fakeServer";
import { freshDb, SAMPLE } from "./helpers";

/** Records the delays asked for; `fire()` runs the pending timer like time passing. */
class ManualScheduler implements Scheduler {
  delays: number[] = [];
  private pending: (() => void) | null = null;
  set(fn: () => void, ms: number) {
    this.delays.push(ms);
    this.pending = fn;
    return this.delays.length;
  }
  clear() {
    this.pending = null;
  }
  fire() {
    const fn = this.pending;
    this.pending = null;
    fn?.();
  }
}

describe("the sync engine", () => {
  it("retries with growing delays while the server fails, then back to the periodic pace", async () => {
    const db = await freshDb();
    const server = new FakeServer();
    const timers = new ManualScheduler();
    await createCase(db, SAMPLE);
    server.status5xx = 3;
    const engine = new SyncEngine(db, server.api(), "dev", undefined, timers);
    await engine.syncNow();
    expect(engine.state).toMatchObject({ failures: 1, waiting: 1, syncing: false });
    for (let i = 0; i < 3; i++) {
      timers.fire();
      await engine.syncNow();
    }
    expect(engine.state).toMatchObject({ failures: 0, waiting: 0 });
    expect(engine.state.lastSyncAt).not.toBeNull();
    const [d1, d2, d3, last] = timers.delays;
    expect(d2).toBeGreaterThan(d1 / 2);
    expect(d3).toBeGreaterThanOrEqual(d1);
    expect(Math.max(d1, d2, d3)).toBeLessThan(PERIODIC_MS);
    expect(last).toBe(PERIODIC_MS);
    expect(server.cases.size).toBe(1);
    engine.stop();
  });

  it("stops on 401 and asks for the password, keeping the work", async () => {
    const db = await freshDb();
    const server = new FakeServer();
    const timers = new ManualScheduler();
    await createCase(db, SAMPLE);
    server.unauthorized = true;
    const engine = new SyncEngine(db, server.api(), "dev", undefined, timers);
    await engine.syncNow();
    expect(engine.state).toMatchObject({ authRequired: true, waiting: 1 });
    expect(timers.delays).toEqual([]);
    server.unauthorized = false;
    engine.resumeAfterLogin();
    await engine.syncNow();
    expect(engine.state).toMatchObject({ authRequired: false, waiting: 0 });
    engine.stop();
  });

  it("a request during a run queues exactly one more run", async () => {
    const db = await freshDb();
    const server = new FakeServer();
    const engine = new SyncEngine(db, server.api(), "dev", undefined, new ManualScheduler());
    const first = engine.syncNow();
    void engine.syncNow();
    void engine.syncNow();
    await first;
    await new Promise((resolve) => setTimeout(resolve, 50));
    await engine.syncNow();
    const pulls = server.requests.filter((r) => r.url.includes("/sync/pull/")).length;
    expect(pulls).toBe(3);
    engine.stop();
  });
});
