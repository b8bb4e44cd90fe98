/** "Needs attention": what the server refused, with its message, to fix or to discard. */
import { t, tCode, type MessageKey } from "../i18n";
import { discardRejected, retryRejected } from "../outbox";
import type { Ctx } from "./context";
import { h } from "./dom";

export async function renderAttention(ctx: Ctx, view: HTMLElement): Promise<void> {
  const rejected = await ctx.db.outbox.where("status").equals("rejected").sortBy("seq");
  const items = await Promise.all(
    rejected.map(async (op) => {
      const record = await ctx.db.cases.get(op.case_id);
      const fields = Object.entries(op.error?.fields ?? {}).map(([name, messages]) => h("li", {}, `${name}: ${messages.join(" ")}`));
      const discard = h("button", { type: "button", testid: "attention-discard" }, t("attention.discard"));
      let armed = false;
      discard.addEventListener("click", async () => {
        // Two taps: dropping work is the one thing that cannot be undone.
        if (!armed) {
          armed = true;
          discard.textContent = t("attention.discard_confirm");
          discard.classList.add("danger");
          return;
        }
        await discardRejected(ctx.db, op.seq!);
        ctx.changed();
        ctx.refresh();
      });
      const canFix = record && (op.kind === "case.create" || op.kind === "case.update");
      return h(
        "li",
        { class: "attention-item", testid: "attention-item", "data-case-id": op.case_id },
        h("strong", {}, t(`attention.kind.${op.kind}` as MessageKey)),
        op.kind === "case.action" ? ` · ${t(`action.${op.action}` as MessageKey)}` : "",
        record ? h("p", {}, h("a", { href: `#/case/${op.case_id}` }, record.view.reference || record.view.summary)) : null,
        h("p", { class: "error", testid: "attention-message" }, op.error?.message || op.error?.code || ""),
        fields.length ? h("ul", {}, fields) : null,
        record?.view ? h("p", { class: "hint" }, tCode("status", record.view.status)) : null,
        h(
          "div",
          { class: "row" },
          canFix
            ? h("button", { type: "button", testid: "attention-edit", onClick: () => ctx.go(`#/case/${op.case_id}/fix/${op.seq}`) }, t("attention.edit"))
            : h(
                "button",
                {
                  type: "button",
                  testid: "attention-retry",
                  onClick: async () => {
                    await retryRejected(ctx.db, op.seq!);
                    ctx.changed();
                    ctx.refresh();
                  },
                },
                t("attention.retry"),
              ),
          discard,
        ),
      );
    }),
  );
  view.replaceChildren(
    h("h1", {}, t("attention.title")),
    h("p", { class: "hint" }, items.length ? t("attention.intro") : t("attention.empty")),
    h("ul", { class: "attention", testid: "attention-list" }, items),
  );
}
