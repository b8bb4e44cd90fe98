import type { Api } from "../api";
import type { UserDb } from "../db";
import type { Refs } from "../refs";
import type { SyncEngine } from "../sync";
import type { Me } from "../types";

/** What every screen gets from the app. */
export interface Ctx {
  db: UserDb;
  api: Api;
  me: Me;
  engine: SyncEngine;
  refs: Refs;
  go(route: string): void;
  /** Re-renders the current screen from the local data. */
  refresh(): void;
  toast(message: string): void;
  /** A change was saved locally: update counts and try to send it. */
  changed(): void;
}
