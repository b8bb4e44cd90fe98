/**
 * Drives the outbox and the pull: on start, on `online`, on a timer (exponential backoff after a
 * failure) and on demand ("sync now"). One run at a time; a request during a run queues one more.
 */
import { ApiError, NetworkError, type Api } from "./api";
import { backoffDelay } from "./backoff";
import type { UserDb } from "./db";
import { countAttention, countWaiting, flush, recoverInterrupted } from "./outbox";
import { pullAll } from "./pull";

export const LAST_SYNC_KEY = "last_sync";
/** Between two runs when all is well: keeps "my cases" fresh and retries uploads that wait. */
export const PERIODIC_MS = 60_000;

export interface SyncState {
  syncing: boolean;
  progress: { done: number; total: number } | null;
  lastSyncAt: string | null;
  waiting: number;
  attention: number;
  conflicts: number;
  authRequired: boolean;
  failures: number;
  lastError: string | null;
}

type Listener = (state: SyncState) => void;

/** The timer used between runs (replaceable in tests). */
export interface Scheduler {
  set(fn: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

const realScheduler: Scheduler = {
  set: (fn, ms) => setTimeout(fn, ms),
  clear: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export class SyncEngine {
  state: SyncState = {
    syncing: false,
    progress: null,
    lastSyncAt: null,
    waiting: 0,
    attention: 0,
    conflicts: 0,
    authRequired: false,
    failures: 0,
    lastError: null,
  };
  private listeners = new Set<Listener>();
  private running: Promise<void> | null = null;
  private again = false;
  private timer: unknown = null;
  private stopped = false;
  private readonly onOnline = () => void this.syncNow();

  constructor(
    private readonly db: UserDb,
    private readonly api: Api,
    private readonly deviceId: string,
    /** Extra work after each successful run (reference data, notifications). */
    private readonly afterSync?: () => Promise<void>,
    private readonly scheduler: Scheduler = realScheduler,
  ) {}

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    listener(this.state);
    return () => this.listeners.delete(listener);
  }

  private set(patch: Partial<SyncState>): void {
    this.state = { ...this.state, ...patch };
    for (const listener of this.listeners) listener(this.state);
  }

  async refreshCounts(): Promise<void> {
    const [waiting, attention, conflicts] = await Promise.all([countWaiting(this.db), countAttention(this.db), this.db.conflicts.count()]);
    this.set({ waiting, attention, conflicts });
  }

  async start(): Promise<void> {
    this.stopped = false;
    await recoverInterrupted(this.db);
    this.set({ lastSyncAt: (await this.db.getKv<string>(LAST_SYNC_KEY)) ?? null });
    await this.refreshCounts();
    if (typeof window !== "undefined") window.addEventListener("online", this.onOnline);
    void this.syncNow();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) this.scheduler.clear(this.timer);
    this.timer = null;
    if (typeof window !== "undefined") window.removeEventListener("online", this.onOnline);
  }

  /** After the user signed in again: resume. */
  resumeAfterLogin(): void {
    this.set({ authRequired: false });
    void this.syncNow();
  }

  /** Runs now (or right after the current run). Resolves when the data is as fresh as it gets. */
  syncNow(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = this.run().finally(() => {
      this.running = null;
      if (this.again && !this.stopped) {
        this.again = false;
        void this.syncNow();
      }
    });
    return this.running;
  }

  /** Whether nothing is being sent right now (a new version may reload the page). */
  get idle(): boolean {
    return !this.running;
  }

  private async run(): Promise<void> {
    if (this.timer) this.scheduler.clear(this.timer);
    this.timer = null;
    if (this.state.authRequired) return;
    this.set({ syncing: true, progress: null });
    let ok = false;
    try {
      const outcome = await withOutboxLock(this.db.username, () => flush({
        db: this.db,
        api: this.api,
        deviceId: this.deviceId,
        onProgress: (done, total) => this.set({ progress: total > 1 ? { done, total } : null }),
        onChange: () => void this.refreshCounts().catch(() => {}),
      }));
      if (outcome.kind === "auth_required") {
        this.set({ authRequired: true });
        return;
      }
      this.set({ progress: null });
      if (outcome.kind === "offline") throw new NetworkError(outcome.error);
      await pullAll(this.db, this.api);
      await this.afterSync?.();
      const at = new Date().toISOString();
      await this.db.setKv(LAST_SYNC_KEY, at);
      this.set({ lastSyncAt: at, failures: 0, lastError: null });
      ok = true;
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) {
        this.set({ authRequired: true });
        return;
      }
      this.set({ failures: this.state.failures + 1, lastError: err instanceof Error ? err.message : String(err) });
    } finally {
      await this.refreshCounts().catch(() => {});
      this.set({ syncing: false, progress: null });
      if (!this.stopped && !this.state.authRequired) {
        const delay = ok ? PERIODIC_MS : backoffDelay(this.state.failures);
        this.timer = this.scheduler.set(() => void this.syncNow(), delay);
      }
    }
  }
}

/**
 * Two tabs of the app would otherwise push the same operations side by side (harmless thanks to
 * op_id, but wasteful and confusing for the progress shown). Where the Web Locks API exists, one
 * tab flushes at a time; a tab that finds the lock taken leaves the work to the other.
 */
async function withOutboxLock<T extends { kind: string }>(username: string, work: () => Promise<T>): Promise<T | { kind: "ok"; pushed: 0; uploaded: 0 }> {
  const locks = typeof navigator !== "undefined" ? navigator.locks : undefined;
  if (!locks) return work();
  return locks.request(`jsc-outbox-${username}`, { ifAvailable: true }, async (lock) => (lock ? work() : { kind: "ok" as const, pushed: 0 as const, uploaded: 0 as const }));
}
