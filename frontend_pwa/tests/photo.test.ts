import { describe, expect, it } from "vitest";
import { MAX_SIDE, targetSize } from "../src/photo";
import { NO_POSITION, placeIsEnough, positionToStore } from "../src/position";

describe("photo target size", () => {
  it("shrinks the longest side to 1600 px, keeping the aspect ratio", () => {
    expect(targetSize(4000, 3000)).toEqual({ width: 1600, height: 1200 });
    expect(targetSize(3000, 4000)).toEqual({ width: 1200, height: 1600 });
    expect(targetSize(4032, 1960)).toEqual({ width: 1600, height: 778 });
  });

  it("never enlarges a small photo", () => {
    expect(targetSize(800, 600)).toEqual({ width: 800, height: 600 });
    expect(targetSize(1600, 1600)).toEqual({ width: 1600, height: 1600 });
  });

  it("keeps very thin images at least 1 px and never above the limit", () => {
    const size = targetSize(100_000, 10);
    expect(size.width).toBe(MAX_SIDE);
    expect(size.height).toBe(1);
  });

  it("refuses an image with no size", () => {
    expect(() => targetSize(0, 100)).toThrow();
  });
});

describe("when a case may be saved", () => {
  const fix = (accuracy: number) => ({ lat: -7.2, lng: 112.7, accuracy, source: "gps" as const, accepted: false });

  it("a fix of 50 m or better is enough", () => {
    expect(positionToStore(fix(50))).toEqual({ lat: -7.2, lng: 112.7, accuracy_m: 50 });
    expect(placeIsEnough(fix(12), "")).toBe(true);
  });

  it("a poorer fix only once the user accepts it, with its accuracy stored", () => {
    expect(placeIsEnough(fix(180), "")).toBe(false);
    expect(positionToStore({ ...fix(180), accepted: true })).toEqual({ lat: -7.2, lng: 112.7, accuracy_m: 180 });
  });

  it("a pin placed by hand, without accuracy", () => {
    expect(positionToStore({ lat: -7.1, lng: 112.1, accuracy: null, source: "manual", accepted: true })).toEqual({ lat: -7.1, lng: 112.1, accuracy_m: null });
  });

  it("no position at all: only with an address", () => {
    expect(placeIsEnough(NO_POSITION, "")).toBe(false);
    expect(placeIsEnough(NO_POSITION, "  ")).toBe(false);
    expect(placeIsEnough(NO_POSITION, "Pasar Baru, Tuban")).toBe(true);
  });
});
