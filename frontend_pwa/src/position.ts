/** When a new case may be saved, as far as its place is concerned (DESIGN.md, "Saving is allowed"). */
export const GOOD_ACCURACY_M = 50;

export type PositionSource = "none" | "gps" | "manual";

export interface PositionState {
  lat: number | null;
  lng: number | null;
  /** Accuracy of the GPS fix in metres; null when the pin was placed by hand. */
  accuracy: number | null;
  source: PositionSource;
  /** The user accepted a fix poorer than GOOD_ACCURACY_M. */
  accepted: boolean;
}

export const NO_POSITION: PositionState = { lat: null, lng: null, accuracy: null, source: "none", accepted: false };

export function hasGoodFix(p: PositionState): boolean {
  return p.source === "gps" && p.accuracy !== null && p.accuracy <= GOOD_ACCURACY_M;
}

/** The position to store with the case, or null when there is none worth storing yet. */
export function positionToStore(p: PositionState): { lat: number; lng: number; accuracy_m: number | null } | null {
  if (p.lat === null || p.lng === null) return null;
  if (p.source === "manual") return { lat: p.lat, lng: p.lng, accuracy_m: null };
  if (hasGoodFix(p) || p.accepted) return { lat: p.lat, lng: p.lng, accuracy_m: p.accuracy };
  return null;
}

/** A good fix, an accepted poorer fix, a pin placed by hand, or (no position at all) an address. */
export function placeIsEnough(p: PositionState, address: string): boolean {
  return positionToStore(p) !== null || address.trim().length > 0;
}
