/** The app shell: session, header with the sync state, routing between screens. */
import { Api } from "../api";
import { deviceId, type Session, type UserDb } from "../db";
import { getLang, setLang, t } from "../i18n";
import { countAttention, countWaiting } from "../outbox";
import { enablePush } from "../push";
import { isCommander, readRefs, refreshNotifications, refreshRefs, type Refs } from "../refs";
import { lastUsername, loadSession, logout, logoutNeedsConfirmation, openUserDb } from "../session";
import { SyncEngine, type SyncState } from "../sync";
import type { Me } from "../types";
import { renderAttention } from "./attention";
import { renderConflictBanner } from "./conflict";
import type { Ctx } from "./context";
import { renderDetail } from "./detail";
import { openDialog } from "./dialog";
import { formatTime, h } from "./dom";
import { renderForm } from "./form";
import { renderList } from "./list";
import { renderLogin } from "./login";
import { fillMenu } from "./menu";

const REFS_EVERY_MS = 15 * 60_000;

interface Live {
  session: Session;
  db: UserDb;
  api: Api;
  engine: SyncEngine;
  refs: Refs;
  refsAt: number;
}

export class App {
  private live: Live | null = null;
  private cleanup: () => void = () => {};
  private renderToken = 0;
  private updateHandler: (() => void) | null = null;

  // Shell elements that stay across screens.
  private readonly count = h("span", { testid: "outbox-count", class: "count", "aria-live": "polite" }, "0");
  private readonly attention = h("span", { testid: "attention-count", class: "count" }, "0");
  private readonly status = h("span", { testid: "sync-status", class: "sync-status", "aria-live": "polite" });
  private readonly progress = h("progress", { testid: "sync-progress", max: 1, value: 0, hidden: true });
  private readonly syncButton = h("button", { type: "button", testid: "sync-now", class: "sync-now" });
  private readonly conflictSlot = h("div");
  private readonly updateSlot = h("div");
  private readonly offlineNote = h("p", { class: "banner offline", testid: "offline-note", hidden: true });
  private readonly toastEl = h("div", { class: "toast", role: "status", "aria-live": "polite", hidden: true });
  private readonly view = h("main", { id: "view" });
  private readonly list = h("ul", { testid: "case-list", class: "case-list" });
  private readonly menu = h("nav", { class: "menu", hidden: true, id: "app-menu" });
  private toastTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(private readonly root: HTMLElement) {
    this.syncButton.addEventListener("click", () => void this.live?.engine.syncNow());
    window.addEventListener("hashchange", () => void this.route());
    window.addEventListener("online", () => this.renderOffline());
    window.addEventListener("offline", () => this.renderOffline());
  }

  async boot(): Promise<void> {
    setLang(getLang());
    const session = await loadSession();
    if (session) await this.startSession(session);
    else this.showLogin(await lastUsername(), false);
  }

  /** Called by the service-worker registration when a new version waits. */
  offerUpdate(activate: () => void): void {
    this.updateHandler = activate;
    this.renderUpdate(false);
  }

  private showLogin(username: string, reauth: boolean): void {
    this.cleanup();
    this.cleanup = () => {};
    renderLogin(this.root, {
      username,
      reauth,
      onDone: (session) => void this.afterLogin(session),
    });
  }

  private async afterLogin(session: Session): Promise<void> {
    const live = this.live;
    if (live && live.session.username === session.username) {
      // Same user signing in again after a 401: same database, same outbox, just a new token.
      live.session = session;
      live.engine.resumeAfterLogin();
      this.renderShell();
      return;
    }
    if (live) this.stopSession();
    await this.startSession(session);
  }

  private async startSession(session: Session): Promise<void> {
    // Unsynced cases must survive the browser's storage clean-ups on a full phone.
    void navigator.storage?.persist?.().catch(() => false);
    const db = openUserDb(session.username);
    await db.open();
    const holder: { live?: Live } = {};
    const api = new Api(() => holder.live?.session.token ?? null);
    const engine = new SyncEngine(db, api, await deviceId(), () => this.afterSync());
    const live: Live = { session, db, api, engine, refs: await readRefs(db), refsAt: 0 };
    holder.live = live;
    this.live = live;
    if (live.refs.categories.length === 0) {
      // First start: categories are needed before the first case; do not wait forever for them.
      await Promise.race([this.loadRefs(), new Promise((resolve) => setTimeout(resolve, 5_000))]);
    } else {
      void this.loadRefs();
    }
    engine.subscribe((state) => this.onSyncState(state));
    this.renderShell();
    await engine.start();
  }

  private stopSession(): void {
    const live = this.live;
    if (!live) return;
    live.engine.stop();
    live.db.close();
    this.live = null;
  }

  private async loadRefs(): Promise<void> {
    const live = this.live;
    if (!live) return;
    await refreshRefs(live.db, live.api, live.session.me);
    live.refs = await readRefs(live.db);
    live.refsAt = Date.now();
  }

  private async afterSync(): Promise<void> {
    const live = this.live;
    if (!live) return;
    if (Date.now() - live.refsAt > REFS_EVERY_MS) await this.loadRefs();
    else if (isCommander(live.session.me)) {
      await refreshNotifications(live.db, live.api).catch(() => {});
      live.refs = await readRefs(live.db);
    }
  }

  private ctx(): Ctx {
    const live = this.live!;
    return {
      db: live.db,
      api: live.api,
      me: live.session.me as Me,
      engine: live.engine,
      refs: live.refs,
      go: (route) => {
        if (location.hash === route) void this.route();
        else location.hash = route;
      },
      refresh: () => void this.refresh(),
      toast: (message) => this.toast(message),
      changed: () => {
        void live.engine.refreshCounts();
        void live.engine.syncNow();
      },
    };
  }

  private renderShell(): void {
    const live = this.live!;
    this.buildMenu();
    const header = h(
      "header",
      { class: "top" },
      h(
        "div",
        { class: "row bar" },
        h("a", { href: "#/", class: "brand", "aria-label": t("app_name") }, "JSC"),
        h("button", { type: "button", testid: "nav-cases", onClick: () => this.ctx().go("#/") }, t("nav.cases")),
        h("button", { type: "button", testid: "nav-new-case", class: "primary", onClick: () => this.ctx().go("#/new") }, `+ ${t("nav.new_case")}`),
        h(
          "button",
          {
            type: "button",
            testid: "nav-menu",
            class: "icon",
            "aria-label": t("nav.menu"),
            "aria-expanded": "false",
            "aria-controls": "app-menu",
            onClick: (event: Event) => this.toggleMenu(event.currentTarget as HTMLElement),
          },
          "☰",
        ),
      ),
      h(
        "div",
        { class: "row status" },
        h("span", { class: "waiting" }, `${t("sync.waiting")}:`, this.count),
        h("a", { href: "#/attention", class: "attention-link" }, `${t("sync.attention")}:`, this.attention),
        this.syncButton,
      ),
      h("div", { class: "sync-line" }, this.status, this.progress),
    );
    this.syncButton.textContent = t("sync.now");
    this.root.replaceChildren(header, this.menu, this.offlineNote, this.updateSlot, this.conflictSlot, this.view, this.toastEl);
    document.title = t("app_name");
    this.onSyncState(live.engine.state);
    this.renderOffline();
    if (this.updateHandler) this.renderUpdate(false);
    void this.route();
  }

  private buildMenu(): void {
    const live = this.live!;
    fillMenu(this.menu, {
      name: live.session.me.full_name || live.session.username,
      enablePush: () => enablePush(live.api, live.refs.config.vapid_public_key),
      onLanguage: (lang) => {
        setLang(lang);
        this.renderShell();
      },
      onLogout: () => void this.logoutFlow(),
      onClose: () => this.closeMenu(),
    });
  }

  private toggleMenu(button: HTMLElement): void {
    this.menu.hidden = !this.menu.hidden;
    button.setAttribute("aria-expanded", String(!this.menu.hidden));
  }

  private closeMenu(): void {
    this.menu.hidden = true;
    this.root.querySelector('[data-testid="nav-menu"]')?.setAttribute("aria-expanded", "false");
  }

  private async logoutFlow(): Promise<void> {
    const live = this.live;
    if (!live) return;
    this.closeMenu();
    const finish = async () => {
      const username = live.session.username;
      this.stopSession();
      await logout(live.api);
      this.showLogin(username, false);
    };
    if (!(await logoutNeedsConfirmation(live.db))) return finish();
    const pending = (await countWaiting(live.db)) + (await countAttention(live.db)) + (await live.db.conflicts.count());
    openDialog({
      title: t("logout.title"),
      body: [h("p", {}, t("logout.pending", { count: pending }))],
      confirmLabel: t("logout.confirm"),
      confirmTestId: "logout-confirm",
      cancelLabel: t("logout.cancel"),
      cancelTestId: "logout-cancel",
      onConfirm: finish,
    });
  }

  private onSyncState(state: SyncState): void {
    const live = this.live;
    if (!live) return;
    this.count.textContent = String(state.waiting);
    this.attention.textContent = String(state.attention);
    this.attention.parentElement?.classList.toggle("alert", state.attention > 0);
    this.syncButton.disabled = state.syncing;
    if (state.syncing) {
      this.status.textContent = state.progress ? t("sync.progress", state.progress) : t("sync.running");
    } else {
      const last = state.lastSyncAt ? t("sync.last", { time: formatTime(state.lastSyncAt, getLang()) }) : t("sync.never");
      this.status.textContent = state.failures > 0 ? `${last} · ${t("sync.failed")}` : last;
    }
    if (state.lastSyncAt) this.status.dataset.lastSync = state.lastSyncAt;
    this.progress.hidden = !state.progress;
    if (state.progress) {
      this.progress.max = state.progress.total;
      this.progress.value = state.progress.done;
    }
    if (state.authRequired && this.root.querySelector('[data-testid="login-password"]') === null) {
      this.showLogin(live.session.username, true);
      return;
    }
    const wasSyncing = this.root.dataset.syncing === "1";
    this.root.dataset.syncing = state.syncing ? "1" : "0";
    if (wasSyncing && !state.syncing) void this.refresh();
  }

  private renderOffline(): void {
    this.offlineNote.textContent = t("sync.offline");
    this.offlineNote.hidden = navigator.onLine;
  }

  private renderUpdate(waiting: boolean): void {
    const handler = this.updateHandler;
    if (!handler) return;
    const button = h(
      "button",
      {
        type: "button",
        testid: "update-reload",
        onClick: () => {
          // Reload only when nothing is being sent, so no request is cut in half.
          const attempt = () => {
            if (this.live && !this.live.engine.idle) {
              this.renderUpdate(true);
              setTimeout(attempt, 500);
              return;
            }
            handler();
          };
          attempt();
        },
      },
      t("update.reload"),
    );
    this.updateSlot.replaceChildren(
      h("div", { class: "banner update", testid: "update-banner", role: "status" }, h("span", {}, waiting ? t("update.waiting") : t("update.available")), button),
    );
  }

  private toast(message: string): void {
    this.toastEl.textContent = message;
    this.toastEl.hidden = false;
    if (this.toastTimer) clearTimeout(this.toastTimer);
    this.toastTimer = setTimeout(() => (this.toastEl.hidden = true), 4_000);
  }

  /** Re-renders the current screen from local data, except a form being filled in. */
  private async refresh(): Promise<void> {
    if (!this.live) return;
    await renderConflictBanner(this.ctx(), this.conflictSlot);
    const route = location.hash || "#/";
    if (route === "#/new" || route.includes("/edit") || route.includes("/fix/")) return;
    await this.route(false);
  }

  /** `navigation`: the user went somewhere (close the menu, back to the top); else a data refresh. */
  private async route(navigation = true): Promise<void> {
    if (!this.live) return;
    const token = ++this.renderToken;
    this.cleanup();
    this.cleanup = () => {};
    if (navigation) this.closeMenu();
    const ctx = this.ctx();
    const route = location.hash || "#/";
    await renderConflictBanner(ctx, this.conflictSlot);
    if (token !== this.renderToken) return;
    const detail = route.match(/^#\/case\/([0-9a-f-]+)(?:\/(edit|fix)(?:\/(\d+))?)?$/i);
    if (route === "#/new") {
      this.cleanup = renderForm(ctx, this.view, null, null);
    } else if (detail && detail[2]) {
      const record = await ctx.db.cases.get(detail[1]);
      if (token !== this.renderToken) return;
      let existing = record?.view ?? null;
      const fixSeq = detail[2] === "fix" && detail[3] ? Number(detail[3]) : null;
      if (existing && fixSeq !== null) {
        const op = await ctx.db.outbox.get(fixSeq);
        if (op?.fields) existing = { ...existing, ...(op.fields as object) };
      }
      if (existing) this.cleanup = renderForm(ctx, this.view, existing, fixSeq);
      else location.hash = "#/";
    } else if (detail) {
      this.cleanup = await renderDetail(ctx, this.view, detail[1]);
    } else if (route === "#/attention") {
      await renderAttention(ctx, this.view);
    } else {
      await renderList(ctx, this.view, this.list);
    }
    if (navigation) window.scrollTo?.(0, 0);
  }
}
