/**
 * A small in-memory stand-in for the sync endpoints of API.md, used through the real Api class
 * (fetch level): op_id replay, versions, merge/conflict per top-level field, pull cursors.
 */
import { Api } from "../src/api";
import type { Case, PullChange, PushResult } from "../src/types";

interface StoredCase {
  case: Case;
  /** Version at which each field last changed. */
  changedAt: Record<string, number>;
}

interface FeedEntry {
  seq: number;
  change: PullChange;
}

export class FakeServer {
  cases = new Map<string, StoredCase>();
  results = new Map<string, PushResult>();
  attachments = new Map<string, number>();
  feed: FeedEntry[] = [];
  requests: { method: string; url: string; body: unknown }[] = [];
  /** Fail the next N requests without an answer (before the server sees them). */
  dropRequests = 0;
  /** Process the next N requests but lose their answers. */
  loseResponses = 0;
  unauthorized = false;
  status5xx = 0;
  expiredCursors = new Set<string>();
  pageSize = 500;
  rejectCategory = "BAD";
  user = "ani";

  api(): Api {
    return new Api(() => "tok", (url, init) => this.fetch(url, init));
  }

  async fetch(url: string, init: RequestInit = {}): Promise<Response> {
    const method = init.method ?? "GET";
    const body = typeof init.body === "string" ? JSON.parse(init.body) : init.body;
    if (this.dropRequests > 0) {
      this.dropRequests--;
      throw new TypeError("Failed to fetch");
    }
    this.requests.push({ method, url, body });
    if (this.unauthorized) return json(401, { error: { code: "not_authenticated", message: "Sesi berakhir" } });
    if (this.status5xx > 0) {
      this.status5xx--;
      return json(503, { error: { code: "unavailable", message: "down" } });
    }
    const response = await this.route(method, url, body);
    if (this.loseResponses > 0) {
      this.loseResponses--;
      throw new TypeError("network changed");
    }
    return response;
  }

  private async route(method: string, url: string, body: any): Promise<Response> {
    const path = url.split("?")[0];
    if (method === "POST" && path.endsWith("/sync/push/")) return json(200, this.push(body));
    if (method === "GET" && path.endsWith("/sync/pull/")) {
      const cursor = new URL(url, "http://x").searchParams.get("cursor");
      if (cursor && this.expiredCursors.has(cursor)) return json(410, { error: { code: "cursor_expired", message: "expired" } });
      return json(200, this.pull(cursor));
    }
    const attachment = path.match(/\/cases\/([^/]+)\/attachments\/([^/]+)\/$/);
    if (method === "PUT" && attachment) {
      if (!this.cases.has(attachment[1])) return json(404, { error: { code: "not_found", message: "Not found" } });
      const size = (body as Blob).size;
      const known = this.attachments.get(attachment[2]);
      if (known !== undefined) return json(known === size ? 200 : 409, { id: attachment[2] });
      this.attachments.set(attachment[2], size);
      return json(201, { id: attachment[2], content_type: "image/jpeg", size, sha256: "x", url: "/u" });
    }
    return json(404, { error: { code: "not_found", message: "no route" } });
  }

  push(body: { device_id: string; operations: any[] }) {
    const results = body.operations.map((op) => {
      const replay = this.results.get(op.op_id);
      if (replay) return replay;
      const result = this.apply(op);
      this.results.set(op.op_id, result);
      return result;
    });
    return { results, server_time: new Date().toISOString() };
  }

  private apply(op: any): PushResult {
    const rejected = (code: string, message: string, fields?: Record<string, string[]>): PushResult => ({
      op_id: op.op_id,
      status: "rejected",
      case: null,
      conflicts: [],
      error: { code, message, ...(fields ? { fields } : {}) },
    });
    const stored = this.cases.get(op.case_id);
    if (op.kind === "case.create") {
      if (stored) return { op_id: op.op_id, status: "applied", case: stored.case, conflicts: [], error: null };
      if (op.fields.category === this.rejectCategory) return rejected("invalid", "Kategori tidak dikenal", { category: ["bad"] });
      const now = new Date().toISOString();
      const created: Case = {
        id: op.case_id,
        reference: `JSC-2026-${String(this.cases.size + 1).padStart(6, "0")}`,
        category: "PPKS11",
        severity: "medium",
        status: "new",
        summary: "",
        description: "",
        address: "",
        location: null,
        source: "field_outreach",
        people_count: 1,
        person: null,
        complainant: null,
        region: null,
        upt: null,
        reported_by: this.user,
        assignee: null,
        escalation_level: 0,
        ack_due_at: null,
        due_at: null,
        resolution_note: "",
        outcome: null,
        attachments: [],
        observed_at: now,
        created_at: now,
        updated_at: now,
        ...op.fields,
        version: 1,
      };
      this.cases.set(op.case_id, { case: created, changedAt: {} });
      this.record(created);
      return { op_id: op.op_id, status: "applied", case: created, conflicts: [], error: null };
    }
    if (!stored) return rejected("not_found", "Kasus tidak ditemukan");
    if (op.kind === "case.update") {
      if (op.fields.category === this.rejectCategory) return rejected("invalid", "Kategori tidak dikenal", { category: ["bad"] });
      const conflicts = Object.keys(op.fields).filter((f) => (stored.changedAt[f] ?? 0) > op.base_version);
      if (conflicts.length) return { op_id: op.op_id, status: "conflict", case: stored.case, conflicts, error: null };
      const stale = op.base_version < stored.case.version;
      this.change(stored, op.fields);
      return { op_id: op.op_id, status: stale ? "merged" : "applied", case: stored.case, conflicts: [], error: null };
    }
    if (op.kind === "case.action") {
      if (op.action === "start" && stored.case.status !== "dispatched") return rejected("invalid_transition", "Tidak bisa dari status ini");
      const status: Record<string, string> = { acknowledge: "acknowledged", start: "in_progress", resolve: "resolved", close: "closed", dispatch: "dispatched" };
      this.change(stored, { status: status[op.action] ?? stored.case.status });
      return { op_id: op.op_id, status: "applied", case: stored.case, conflicts: [], error: null };
    }
    return rejected("invalid", "unknown kind");
  }

  /** A change made on the server by someone else. */
  change(stored: StoredCase, fields: Record<string, unknown>): void {
    const version = stored.case.version + 1;
    stored.case = { ...stored.case, ...(fields as Partial<Case>), version, updated_at: new Date().toISOString() };
    for (const field of Object.keys(fields)) stored.changedAt[field] = version;
    this.record(stored.case);
  }

  editByOther(caseId: string, fields: Record<string, unknown>): void {
    this.change(this.cases.get(caseId)!, fields);
  }

  record(change: PullChange): void {
    this.feed.push({ seq: this.feed.length + 1, change: structuredClone(change) });
  }

  pull(cursor: string | null) {
    const after = cursor ? Number(cursor.replace("c", "")) : 0;
    const latest = new Map<string, FeedEntry>();
    for (const entry of this.feed) if (entry.seq > after) latest.set(entry.change.id, entry);
    const page = [...latest.values()].sort((a, b) => a.seq - b.seq).slice(0, this.pageSize);
    const last = page.length ? page[page.length - 1].seq : after;
    const hasMore = [...latest.values()].some((e) => e.seq > last);
    if (!cursor) {
      // Full pull: current state of everything visible.
      const all = [...this.cases.values()].map((s) => s.case);
      const removedHere = this.feed.filter((e) => (e.change as any).removed).map((e) => e.change.id);
      return { changes: all.filter((c) => !removedHere.includes(c.id)).slice(0, this.pageSize), cursor: `c${this.feed.length}`, has_more: false };
    }
    return { changes: page.map((e) => e.change), cursor: `c${last}`, has_more: hasMore };
  }

  pushes(): any[] {
    return this.requests.filter((r) => r.url.includes("/sync/push/")).map((r) => r.body);
  }
}

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } });
}
