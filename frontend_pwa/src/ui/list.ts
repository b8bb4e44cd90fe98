/** "My cases": the main screen. Commanders see their UPT's new cases first. */
import { getLang, t, tCode } from "../i18n";
import { isCommander } from "../refs";
import type { Case, CaseRecord, Severity } from "../types";
import type { Ctx } from "./context";
import { formatTime, h } from "./dom";

const SEVERITY_RANK: Record<Severity, number> = { critical: 0, high: 1, medium: 2, low: 3 };

/** ISO 8601 UTC times order as plain strings (localeCompare is many times slower over thousands). */
function compareIso(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Order of the list: for commanders, new cases first (most severe, then oldest waiting). */
export function sortCases(cases: Case[], commander: boolean, unread: Set<string>): Case[] {
  return [...cases].sort((a, b) => {
    if (commander) {
      const an = a.status === "new" || unread.has(a.id) ? 0 : 1;
      const bn = b.status === "new" || unread.has(b.id) ? 0 : 1;
      if (an !== bn) return an - bn;
      if (an === 0) {
        const bySeverity = SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity];
        if (bySeverity !== 0) return bySeverity;
        return compareIso(a.created_at, b.created_at) || compareIso(a.reference ?? "", b.reference ?? "");
      }
    }
    // Cases stored by one push share their server times: their references keep the order they were made in.
    return (
      compareIso(b.updated_at || b.observed_at, a.updated_at || a.observed_at) ||
      compareIso(b.reference ?? "", a.reference ?? "")
    );
  });
}

/** Rows built before the first paint when the list is opened; the rest follow, a slice per task. */
const FIRST_ROWS = 50;
const ROWS_PER_SLICE = 500;
const renders = new WeakMap<HTMLElement, number>();

export async function renderList(ctx: Ctx, view: HTMLElement, list: HTMLElement): Promise<void> {
  const records: CaseRecord[] = await ctx.db.cases.toArray();
  const pendingIds = new Set((await ctx.db.outbox.toArray()).map((op) => op.case_id));
  const unread = new Set(ctx.refs.notifications.map((n) => n.case_id).filter((id): id is string => Boolean(id)));
  const lang = getLang();
  const categoryName = new Map(ctx.refs.categories.map((c) => [c.code, lang === "en" ? c.name_en || c.name : c.name]));
  const cases = sortCases(
    records.map((r) => r.view),
    isCommander(ctx.me),
    unread,
  );
  const row = (c: Case): HTMLElement =>
    h(
      "li",
      { testid: "case-item", "data-case-id": c.id, class: `case sev-${c.severity}${unread.has(c.id) ? " unread" : ""}` },
      h(
        "a",
        { href: `#/case/${c.id}` },
        h(
          "span",
          { class: "line1" },
          h("span", { class: `badge sev-${c.severity}` }, tCode("severity", c.severity)),
          h("span", { class: "badge status" }, tCode("status", c.status)),
          unread.has(c.id) ? h("span", { class: "badge new" }, t("list.unread")) : null,
          c.escalation_level > 0 ? h("span", { class: "badge sev-critical" }, t("detail.escalation", { level: c.escalation_level })) : null,
          !c.reference ? h("span", { class: "badge pending" }, t("list.unsynced")) : pendingIds.has(c.id) ? h("span", { class: "badge pending" }, "•") : null,
        ),
        h("strong", { class: "summary" }, c.summary),
        h("span", { class: "meta" }, [c.reference, categoryName.get(c.category) ?? c.category, formatTime(c.observed_at, lang)].filter(Boolean).join(" · ")),
      ),
    );
  // Opening the list paints the first screen at once and adds the other rows right after, a
  // slice per task: thousands of rows built in one go kept a slow phone from painting anything.
  // A refresh of the list on screen (after a sync) replaces it whole, so the scroll position stays.
  const onScreen = list.isConnected;
  const render = (renders.get(list) ?? 0) + 1;
  renders.set(list, render);
  const notice = unread.size ? h("p", { class: "notice", testid: "notifications-count" }, t("list.notifications", { count: unread.size })) : null;
  view.replaceChildren(...[notice, h("h1", { class: "sr-only" }, t("list.title")), list].filter((n): n is HTMLElement => n !== null));
  if (cases.length === 0) {
    list.replaceChildren(h("li", { class: "empty" }, t("list.empty")));
    return;
  }
  const first = onScreen ? cases.length : FIRST_ROWS;
  list.replaceChildren(...cases.slice(0, first).map(row));
  void (async () => {
    for (let start = first; start < cases.length; start += ROWS_PER_SLICE) {
      await new Promise((resolve) => setTimeout(resolve, 0));
      // A newer render took over, or the user left the list (the next render starts afresh).
      if (renders.get(list) !== render || !list.isConnected) return;
      list.append(...cases.slice(start, start + ROWS_PER_SLICE).map(row));
    }
  })();
}
