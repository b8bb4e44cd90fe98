import { describe, expect, it } from "vitest";
import { draftCase } from "../src/cases";
import type { Case, Me } from "../src/types";
import { availableActions } from "../src/ui/actions";
import { sortCases } from "../src/ui/list";

const commander: Me = { username: "citra", full_name: "Citra", role: "upt_commander", upt: { code: "U1", name: "UPT" } };
const worker: Me = { username: "budi", full_name: "Budi", role: "field_worker", upt: { code: "U1", name: "UPT" } };

function make(partial: Partial<Case>): Case {
  return { ...draftCase(crypto.randomUUID(), {}, "ani", "2026-11-30T01:00:00Z"), ...partial };
}

describe("actions offered", () => {
  it("to a commander follow the workflow table", () => {
    expect(availableActions(commander, make({ status: "new" }))).toEqual(["acknowledge", "dispatch", "resolve", "refer", "close"]);
    expect(availableActions(commander, make({ status: "resolved" }))).toEqual(["close", "reopen"]);
    expect(availableActions(commander, make({ status: "closed" }))).toEqual(["reopen"]);
  });

  it("to a field worker only on cases assigned to them", () => {
    expect(availableActions(worker, make({ status: "dispatched", assignee: "budi" }))).toEqual(["start", "resolve"]);
    expect(availableActions(worker, make({ status: "in_progress", assignee: "budi" }))).toEqual(["resolve"]);
    expect(availableActions(worker, make({ status: "dispatched", assignee: "eko" }))).toEqual([]);
  });
});

describe("the case list order", () => {
  it("puts a commander's new cases first, most severe then longest waiting", () => {
    const old = make({ status: "acknowledged", updated_at: "2026-11-30T09:00:00Z" });
    const low = make({ status: "new", severity: "low", created_at: "2026-11-30T02:00:00Z" });
    const critical = make({ status: "new", severity: "critical", created_at: "2026-11-30T03:00:00Z" });
    const earlierCritical = make({ status: "new", severity: "critical", created_at: "2026-11-30T01:00:00Z" });
    expect(sortCases([old, low, critical, earlierCritical], true, new Set()).map((c) => c.id)).toEqual([earlierCritical.id, critical.id, low.id, old.id]);
  });

  it("shows a field worker the most recently changed first", () => {
    const a = make({ updated_at: "2026-11-30T01:00:00Z" });
    const b = make({ updated_at: "2026-11-30T05:00:00Z" });
    expect(sortCases([a, b], false, new Set()).map((c) => c.id)).toEqual([b.id, a.id]);
  });
});

describe("what an edit sends", () => {
  it("only the fields that changed, whatever the order of keys inside a field", async () => {
    const { changedFields } = await import("../src/cases");
    const current = make({ summary: "a", person: { name: "X", age_estimate: 70, sex: "male", nik: null } });
    const next = { summary: "a", severity: "high" as const, person: { nik: null, sex: "male" as const, age_estimate: 70, name: "X" } };
    expect(current.severity).toBe("medium");
    expect(changedFields(current, next)).toEqual({ severity: "high" });
    expect(changedFields(current, { person: null })).toEqual({ person: null });
  });
});
