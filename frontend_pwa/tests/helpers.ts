import Dexie from "dexie";
import { UserDb } from "../src/db";
import type { CaseFields } from "../src/types";

let counter = 0;

/** A fresh user database (a unique name per test keeps tests independent). */
export async function freshDb(username = `ani${++counter}`): Promise<UserDb> {
  await Dexie.delete(`jsc-user-${username}`);
  const db = new UserDb(username);
  await db.open();
  return db;
}

export const SAMPLE: CaseFields = {
  category: "PPKS11",
  severity: "high",
  summary: "Lansia tidur di emperan toko",
  description: "",
  address: "Jl. Basuki Rahmat, Tuban",
  location: { lat: -6.9, lng: 112.05, accuracy_m: 12 },
};

export function jpeg(size = 1000): Blob {
  return new Blob([new Uint8Array(size)], { type: "image/jpeg" });
}
