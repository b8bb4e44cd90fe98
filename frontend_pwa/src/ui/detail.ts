/** One case: its fields, photos, timeline (cached for offline) and the actions the user may take. */
import { getLang, t, tCode } from "../i18n";
import { isCommander, markCaseNotificationsRead } from "../refs";
import type { Case, CaseEvent } from "../types";
import { actionButtons } from "./actions";
import type { Ctx } from "./context";
import { formatTime, h } from "./dom";

export function canEdit(ctx: Ctx, c: Case): boolean {
  return isCommander(ctx.me) || c.reported_by === ctx.me.username || c.assignee === ctx.me.username;
}

export async function renderDetail(ctx: Ctx, view: HTMLElement, caseId: string): Promise<() => void> {
  const record = await ctx.db.cases.get(caseId);
  if (!record) {
    view.replaceChildren(h("p", { class: "empty" }, t("detail.not_found")));
    return () => {};
  }
  const c = record.view;
  const lang = getLang();
  const ops = await ctx.db.outbox.where("case_id").equals(caseId).toArray();
  const photos = await ctx.db.photos.where("case_id").equals(caseId).toArray();
  const waitingUploads = new Set(ops.filter((op) => op.kind === "attachment.upload").map((op) => op.attachment_id));
  const urls = photos.map((p) => URL.createObjectURL(p.blob));
  const category = ctx.refs.categories.find((x) => x.code === c.category);

  const rows: [string, string][] = [
    [t("detail.reference"), c.reference || t("detail.not_synced")],
    [t("detail.status"), tCode("status", c.status)],
    [t("field.severity"), tCode("severity", c.severity)],
    [t("field.category"), category ? (lang === "en" ? category.name_en || category.name : category.name) : c.category],
    [t("field.people_count"), String(c.people_count ?? 1)],
    [t("detail.assignee"), c.assignee ?? "—"],
    [t("detail.upt"), c.upt?.name ?? "—"],
    [t("detail.region"), c.region?.name ?? "—"],
    [t("detail.reported_by"), c.reported_by],
    [t("detail.observed_at"), formatTime(c.observed_at, lang)],
    [t("field.address"), c.address || "—"],
    [
      t("detail.location"),
      c.location
        ? `${c.location.lat.toFixed(6)}, ${c.location.lng.toFixed(6)}${c.location.accuracy_m !== null ? ` (±${Math.round(c.location.accuracy_m)} m)` : ""}`
        : t("detail.no_location"),
    ],
  ];
  if (c.person) {
    const p = c.person;
    rows.push([t("detail.person"), [p.name, p.age_estimate !== null ? `±${p.age_estimate}` : "", tCode("sex", p.sex), p.nik ?? ""].filter(Boolean).join(" · ")]);
  }
  if (c.outcome) rows.push([t("detail.resolution"), `${tCode("outcome", c.outcome)}${c.resolution_note ? `: ${c.resolution_note}` : ""}`]);

  const timeline = h("ol", { class: "timeline", testid: "case-timeline" });
  const renderEvents = (events: CaseEvent[] | undefined) => {
    timeline.replaceChildren(
      ...(events?.length
        ? events.map((e) => h("li", {}, h("strong", {}, tCode("event", e.kind)), ` · ${e.actor ?? "sistem"} · ${formatTime(e.at, lang)}`))
        : [h("li", { class: "hint" }, t("detail.timeline_offline"))]),
    );
  };
  renderEvents((await ctx.db.events.get(caseId))?.events);

  view.replaceChildren(
    h(
      "article",
      { class: "detail", testid: "case-detail", "data-case-id": c.id },
      h("h1", {}, c.summary),
      ops.some((op) => op.status === "pending" || op.status === "sending") ? h("p", { class: "notice" }, t("detail.pending_changes")) : null,
      c.escalation_level > 0 ? h("p", { class: "notice warn" }, t("detail.escalation", { level: c.escalation_level })) : null,
      c.description ? h("p", {}, c.description) : null,
      h("dl", {}, rows.map(([k, v]) => [h("dt", {}, k), h("dd", {}, v)])),
      h(
        "div",
        { class: "row" },
        canEdit(ctx, c) && c.status !== "closed" ? h("button", { type: "button", testid: "case-edit", onClick: () => ctx.go(`#/case/${c.id}/edit`) }, t("detail.edit")) : null,
      ),
      actionButtons(ctx, c),
      photos.length
        ? h(
            "section",
            {},
            h("h2", {}, t("detail.photos")),
            h(
              "div",
              { class: "thumbs" },
              photos.map((p, i) =>
                h("figure", { class: "thumb" }, h("img", { src: urls[i], alt: `${t("detail.photos")} ${i + 1}` }), waitingUploads.has(p.id) ? h("figcaption", {}, t("detail.photo_waiting")) : null),
              ),
            ),
          )
        : null,
      h("section", {}, h("h2", {}, t("detail.timeline")), timeline),
    ),
  );

  if (c.reference && navigator.onLine) {
    ctx.api
      .events(caseId)
      .then(async (events) => {
        await ctx.db.events.put({ case_id: caseId, events, fetched_at: new Date().toISOString() });
        renderEvents(events);
      })
      .catch(() => {});
    void markCaseNotificationsRead(ctx.db, ctx.api, caseId).catch(() => {});
  }
  return () => urls.forEach((url) => URL.revokeObjectURL(url));
}
