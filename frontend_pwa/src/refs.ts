/**
 * Reference data the app needs offline: fetched by the page after sign-in and on every sync, kept
 * in IndexedDB (the service worker never caches `/api/`).
 */
import type { Api, AppConfig, Worker } from "./api";
import type { UserDb } from "./db";
import type { AppNotification, Category, Me, Upt } from "./types";

export const OSM_TILE_URL = "https://tile.openstreetmap.org/{z}/{x}/{y}.png";

export interface Refs {
  categories: Category[];
  upts: Upt[];
  config: AppConfig;
  /** The field workers of the commander's UPT. */
  workers: Worker[];
  notifications: AppNotification[];
}

export const EMPTY_REFS: Refs = {
  categories: [],
  upts: [],
  config: { map_tile_url: OSM_TILE_URL, vapid_public_key: "" },
  workers: [],
  notifications: [],
};

export async function readRefs(db: UserDb): Promise<Refs> {
  const [categories, upts, config, workers, notifications] = await Promise.all([
    db.getKv<Category[]>("ref.categories"),
    db.getKv<Upt[]>("ref.upts"),
    db.getKv<AppConfig>("ref.config"),
    db.getKv<Worker[]>("ref.workers"),
    db.getKv<AppNotification[]>("ref.notifications"),
  ]);
  return {
    categories: categories ?? [],
    upts: upts ?? [],
    config: { ...EMPTY_REFS.config, ...(config ?? {}) },
    workers: workers ?? [],
    notifications: notifications ?? [],
  };
}

export function isCommander(me: Me): boolean {
  return me.role === "upt_commander" || me.role === "manager";
}

/**
 * Refreshes what can be refreshed; each piece on its own, so one missing endpoint (the server may
 * not have /config/ yet) does not stop the others. Throws nothing.
 */
export async function refreshRefs(db: UserDb, api: Api, me: Me): Promise<void> {
  const tasks: Promise<void>[] = [
    api.categories().then((rows) => db.setKv("ref.categories", rows)),
    api.upts().then((rows) => db.setKv("ref.upts", rows)),
    api.config().then((config) =>
      db.setKv("ref.config", { map_tile_url: config.map_tile_url || OSM_TILE_URL, vapid_public_key: config.vapid_public_key || "" }),
    ),
  ];
  if (isCommander(me)) {
    if (me.upt) tasks.push(api.fieldWorkers(me.upt.code).then((rows) => db.setKv("ref.workers", rows)));
    tasks.push(refreshNotifications(db, api));
  }
  await Promise.allSettled(tasks);
}

export async function refreshNotifications(db: UserDb, api: Api): Promise<void> {
  const rows = await api.unreadNotifications();
  await db.setKv("ref.notifications", rows);
}

/** Marks the notifications about a case read, when the user opens it (best effort). */
export async function markCaseNotificationsRead(db: UserDb, api: Api, caseId: string): Promise<void> {
  const rows = (await db.getKv<AppNotification[]>("ref.notifications")) ?? [];
  const mine = rows.filter((n) => n.case_id === caseId);
  if (mine.length === 0) return;
  await db.setKv(
    "ref.notifications",
    rows.filter((n) => n.case_id !== caseId),
  );
  await Promise.allSettled(mine.map((n) => api.markNotificationRead(n.id)));
}
