/** The page's only way to the server: `/api/v1/` of the same origin, JSON, Bearer token. */
import type {
  AppNotification,
  Attachment,
  Case,
  CaseEvent,
  Category,
  ErrorBody,
  Me,
  OpKind,
  PullResponse,
  PushResponse,
  Upt,
} from "./types";

export type FetchLike = (input: string, init?: RequestInit) => Promise<Response>;

/** The server answered with an error envelope (or at least a status). */
export class ApiError extends Error {
  constructor(
    public readonly status: number,
    public readonly body: ErrorBody,
  ) {
    super(body.message || `HTTP ${status}`);
    this.name = "ApiError";
  }
  get code(): string {
    return this.body.code;
  }
}

/** No answer at all: offline, DNS, connection reset, timeout. */
export class NetworkError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "NetworkError";
  }
}

export interface WireOp {
  op_id: string;
  kind: OpKind;
  case_id: string;
  client_time: string;
  base_version?: number;
  fields?: Record<string, unknown>;
  action?: string;
  params?: Record<string, unknown>;
}

export interface TokenResponse {
  token: string;
  expires_at: string | null;
  user: Me;
}

export interface Worker {
  username: string;
  full_name?: string;
}

export interface AppConfig {
  map_tile_url: string;
  vapid_public_key: string;
}

interface Page<T> {
  next: string | null;
  results: T[];
}

const TIMEOUT_MS = 30_000;

export class Api {
  constructor(
    private readonly getToken: () => string | null,
    private readonly fetchImpl: FetchLike = (input, init) => fetch(input, init),
    private readonly base = "/api/v1",
  ) {}

  async request<T>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<T> {
    const token = this.getToken();
    const allHeaders: Record<string, string> = { Accept: "application/json", ...headers };
    if (token) allHeaders.Authorization = `Bearer ${token}`;
    let payload: BodyInit | undefined;
    if (body instanceof Blob) {
      payload = body;
    } else if (body !== undefined) {
      payload = JSON.stringify(body);
      allHeaders["Content-Type"] = "application/json";
    }
    const url = path.startsWith("http") || path.startsWith("/") ? path : `${this.base}/${path}`;
    let response: Response;
    const controller = typeof AbortController === "undefined" ? null : new AbortController();
    const timer = controller ? setTimeout(() => controller.abort(), TIMEOUT_MS) : null;
    try {
      response = await this.fetchImpl(url, {
        method,
        headers: allHeaders,
        body: payload,
        signal: controller?.signal,
        // Bearer only: a dashboard session cookie in the same browser must not turn these
        // requests into session-authenticated ones (which would then need a CSRF token).
        credentials: "omit",
      });
    } catch (err) {
      throw new NetworkError(err instanceof Error ? err.message : String(err));
    } finally {
      if (timer) clearTimeout(timer);
    }
    const text = await response.text().catch(() => "");
    let data: unknown = null;
    if (text) {
      try {
        data = JSON.parse(text);
      } catch {
        data = null;
      }
    }
    if (!response.ok) {
      const envelope = (data as { error?: ErrorBody } | null)?.error;
      throw new ApiError(response.status, envelope ?? { code: `http_${response.status}`, message: `HTTP ${response.status}` });
    }
    return data as T;
  }

  login(username: string, password: string): Promise<TokenResponse> {
    return this.request("POST", "auth/token/", { username, password });
  }
  logout(): Promise<unknown> {
    return this.request("POST", "auth/logout/");
  }
  me(): Promise<Me> {
    return this.request("GET", "me/");
  }
  config(): Promise<AppConfig> {
    return this.request("GET", "config/");
  }
  categories(): Promise<Category[]> {
    return this.request("GET", "categories/");
  }
  upts(): Promise<Upt[]> {
    return this.request("GET", "upts/");
  }
  async fieldWorkers(uptCode: string): Promise<Worker[]> {
    const query = `users/?upt=${encodeURIComponent(uptCode)}&role=field_worker`;
    const rows = await this.all<Worker>(query);
    return rows.map((row) => ({ username: row.username, full_name: row.full_name ?? "" }));
  }
  push(deviceId: string, operations: WireOp[]): Promise<PushResponse> {
    return this.request("POST", "sync/push/", { device_id: deviceId, operations });
  }
  pull(cursor: string | null, limit = 500): Promise<PullResponse> {
    const query = new URLSearchParams({ limit: String(limit) });
    if (cursor) query.set("cursor", cursor);
    return this.request("GET", `sync/pull/?${query}`);
  }
  putAttachment(caseId: string, attachmentId: string, blob: Blob): Promise<Attachment> {
    return this.request("PUT", `cases/${caseId}/attachments/${attachmentId}/`, blob, { "Content-Type": "image/jpeg" });
  }
  events(caseId: string): Promise<CaseEvent[]> {
    return this.request("GET", `cases/${caseId}/events/`);
  }
  getCase(caseId: string): Promise<Case> {
    return this.request("GET", `cases/${caseId}/`);
  }
  unreadNotifications(): Promise<AppNotification[]> {
    return this.all<AppNotification>("notifications/?unread=1");
  }
  markNotificationRead(id: string): Promise<unknown> {
    return this.request("POST", `notifications/${id}/read/`);
  }
  vapidPublicKey(): Promise<{ public_key: string }> {
    return this.request("GET", "push/vapid-public-key/");
  }
  subscribePush(subscription: PushSubscriptionJSON): Promise<unknown> {
    return this.request("POST", "push/subscriptions/", subscription);
  }

  /** Follows `next` of a paginated list; also accepts a plain array answer. */
  private async all<T>(path: string, maxPages = 20): Promise<T[]> {
    const out: T[] = [];
    let next: string | null = path;
    for (let page = 0; next && page < maxPages; page++) {
      const data: Page<T> | T[] = await this.request<Page<T> | T[]>("GET", next);
      if (Array.isArray(data)) return out.concat(data);
      out.push(...data.results);
      next = data.next ? relativeUrl(data.next) : null;
    }
    return out;
  }
}

/** `next` links may be absolute; keep the request on the page's origin. */
function relativeUrl(url: string): string {
  try {
    const parsed = new URL(url, "http://localhost");
    return parsed.pathname + parsed.search;
  } catch {
    return url;
  }
}
