import { t } from "../i18n";
import { h } from "./dom";

export interface DialogOptions {
  title: string;
  body: (HTMLElement | string)[];
  confirmLabel: string;
  confirmTestId: string;
  cancelLabel?: string;
  cancelTestId?: string;
  /** Return false to keep the dialog open (e.g. invalid input). */
  onConfirm: () => boolean | void | Promise<boolean | void>;
}

/** An in-page modal dialog (no window.confirm: it must be testable and translatable). */
export function openDialog(options: DialogOptions): HTMLElement {
  const close = () => overlay.remove();
  const confirm = h(
    "button",
    {
      class: "primary",
      type: "submit",
      testid: options.confirmTestId,
    },
    options.confirmLabel,
  );
  const form = h(
    "form",
    {
      class: "dialog",
      role: "dialog",
      "aria-modal": "true",
      "aria-labelledby": "dialog-title",
      onSubmit: async (event: Event) => {
        event.preventDefault();
        confirm.disabled = true;
        try {
          const keep = await options.onConfirm();
          if (keep !== false) close();
        } finally {
          confirm.disabled = false;
        }
      },
    },
    h("h2", { id: "dialog-title" }, options.title),
    ...options.body,
    h(
      "div",
      { class: "row" },
      h("button", { type: "button", testid: options.cancelTestId, onClick: close }, options.cancelLabel ?? t("action.cancel")),
      confirm,
    ),
  );
  const overlay = h("div", { class: "overlay" }, form);
  document.body.appendChild(overlay);
  const first = form.querySelector<HTMLElement>("select, input, textarea") ?? confirm;
  first.focus();
  return overlay;
}
