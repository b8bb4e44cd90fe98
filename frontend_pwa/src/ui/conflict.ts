/** The conflict banner: both values per field; the user picks, the banner goes away. */
import { getLang, t, type MessageKey } from "../i18n";
import { keepMine, keepServer } from "../outbox";
import type { ConflictRecord } from "../types";
import type { Ctx } from "./context";
import { h } from "./dom";

function show(value: unknown): string {
  if (value === null || value === undefined || value === "") return "—";
  if (typeof value === "object") {
    const loc = value as { lat?: number; lng?: number; name?: string };
    if (typeof loc.lat === "number" && typeof loc.lng === "number") return `${loc.lat.toFixed(5)}, ${loc.lng.toFixed(5)}`;
    if (typeof loc.name === "string") return loc.name || "—";
    return JSON.stringify(value);
  }
  return String(value);
}

export async function renderConflictBanner(ctx: Ctx, slot: HTMLElement): Promise<void> {
  const conflicts: ConflictRecord[] = await ctx.db.conflicts.orderBy("id").toArray();
  conflicts.sort((a, b) => a.created_at.localeCompare(b.created_at));
  const first = conflicts[0];
  if (!first) {
    slot.replaceChildren();
    return;
  }
  const fields = first.fields.length ? first.fields : Object.keys(first.mine);
  const label = (name: string) => {
    const key = `field.${name}` as MessageKey;
    return t(key) === key ? name : t(key);
  };
  const decide = async (choice: "mine" | "server") => {
    if (choice === "mine") await keepMine(ctx.db, first.id);
    else await keepServer(ctx.db, first.id);
    ctx.changed();
    ctx.refresh();
  };
  slot.replaceChildren(
    h(
      "section",
      { class: "banner conflict", testid: "conflict-banner", role: "alert", "data-case-id": first.case_id, lang: getLang() },
      h("p", {}, h("a", { href: `#/case/${first.case_id}` }, t("conflict.title", { ref: first.server.reference || first.server.summary }))),
      h(
        "table",
        {},
        h("thead", {}, h("tr", {}, h("th", {}, t("conflict.field")), h("th", {}, t("conflict.mine")), h("th", {}, t("conflict.server")))),
        h(
          "tbody",
          {},
          fields.map((name) =>
            h(
              "tr",
              { "data-field": name },
              h("th", { scope: "row" }, label(name)),
              h("td", { testid: "conflict-mine-value" }, show(first.mine[name])),
              h("td", { testid: "conflict-server-value" }, show((first.server as unknown as Record<string, unknown>)[name])),
            ),
          ),
        ),
      ),
      h(
        "div",
        { class: "row" },
        h("button", { type: "button", class: "primary", testid: "conflict-keep-mine", onClick: () => decide("mine") }, t("conflict.keep_mine")),
        h("button", { type: "button", testid: "conflict-keep-server", onClick: () => decide("server") }, t("conflict.keep_server")),
      ),
      conflicts.length > 1 ? h("p", { class: "hint" }, t("conflict.more", { count: conflicts.length - 1 })) : null,
    ),
  );
}
