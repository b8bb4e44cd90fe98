/** Workflow actions on a case (API.md's table), each queued in the outbox as a `case.action`. */
import { caseAction } from "../cases";
import { t, tCode } from "../i18n";
import { isCommander } from "../refs";
import { OUTCOMES, type ActionName, type Case, type Me } from "../types";
import type { Ctx } from "./context";
import { openDialog } from "./dialog";
import { field, h } from "./dom";

const OPEN = ["new", "acknowledged", "dispatched", "in_progress"];

/** The actions this user may try on this case now (the server has the last word). */
export function availableActions(me: Me, c: Case): ActionName[] {
  const out: ActionName[] = [];
  const boss = isCommander(me);
  const assignee = c.assignee === me.username;
  if (boss && c.status === "new") out.push("acknowledge");
  if (boss && OPEN.includes(c.status)) out.push("dispatch");
  if (assignee && c.status === "dispatched") out.push("start");
  if ((boss || assignee) && OPEN.includes(c.status)) out.push("resolve");
  if (boss && OPEN.includes(c.status)) out.push("refer");
  if (boss && c.status !== "closed") out.push("close");
  if (boss && (c.status === "resolved" || c.status === "closed")) out.push("reopen");
  return out;
}

export function actionButtons(ctx: Ctx, c: Case): HTMLElement {
  return h(
    "div",
    { class: "actions" },
    availableActions(ctx.me, c).map((action) =>
      h("button", { type: "button", testid: `case-action-${action}`, class: action === "acknowledge" ? "primary" : "", onClick: () => openAction(ctx, c, action) }, t(`action.${action}`)),
    ),
  );
}

function openAction(ctx: Ctx, c: Case, action: ActionName): void {
  const body: HTMLElement[] = [];
  let params: () => Record<string, unknown> | null = () => ({});
  const error = h("p", { class: "error", role: "alert" });

  if (action === "dispatch") {
    const workers = ctx.refs.workers;
    const select = h(
      "select",
      { testid: "dispatch-assignee", required: true },
      h("option", { value: "" }, "—"),
      workers.map((w) => h("option", { value: w.username, selected: w.username === c.assignee }, w.full_name ? `${w.full_name} (${w.username})` : w.username)),
    );
    body.push(field(t("action.assignee"), select, workers.length ? undefined : t("action.no_workers")));
    params = () => (select.value ? { assignee: select.value } : null);
  }
  if (action === "resolve") {
    const note = h("textarea", { testid: "resolve-note", rows: 3, maxlength: 5000, required: true });
    const outcome = h(
      "select",
      { testid: "resolve-outcome", required: true },
      OUTCOMES.map((code) => h("option", { value: code }, tCode("outcome", code))),
    );
    body.push(field(t("action.outcome"), outcome), field(t("action.note"), note));
    params = () => (note.value.trim() ? { note: note.value.trim(), outcome: outcome.value } : null);
  }
  if (action === "refer") {
    const upts = ctx.refs.upts.filter((u) => u.code !== c.upt?.code);
    const select = h(
      "select",
      { testid: "refer-upt", required: true },
      h("option", { value: "" }, "—"),
      upts.map((u) => h("option", { value: u.code }, u.name)),
    );
    const note = h("textarea", { testid: "refer-note", rows: 2, maxlength: 5000 });
    body.push(field(t("action.upt"), select), field(t("action.note"), note));
    params = () => (select.value ? { upt: select.value, note: note.value.trim() } : null);
  }
  if (action === "close" || action === "reopen") {
    const note = h("textarea", { testid: `${action}-note`, rows: 2, maxlength: 5000 });
    body.push(field(t("action.note"), note));
    params = () => ({ note: note.value.trim() });
  }
  body.push(error);

  openDialog({
    title: t(`action.${action}`),
    body,
    confirmLabel: t("action.confirm"),
    confirmTestId: "case-confirm",
    cancelTestId: "case-cancel",
    onConfirm: async () => {
      const value = params();
      if (value === null) {
        const missing = action === "resolve" ? t("action.note") : action === "refer" ? t("action.upt") : t("action.assignee");
        error.textContent = t("action.required", { field: missing });
        return false;
      }
      await caseAction(ctx.db, c.id, action, value);
      ctx.toast(t("action.queued"));
      ctx.changed();
      ctx.refresh();
      return true;
    },
  });
}
