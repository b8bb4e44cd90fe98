/** The menu behind ☰: who is signed in, language, notifications, sign out. */
import { getLang, t, type Lang } from "../i18n";
import { pushSupported } from "../push";
import { h, replaceChildren } from "./dom";

export interface MenuOptions {
  name: string;
  enablePush: () => Promise<void>;
  onLanguage: (lang: Lang) => void;
  onLogout: () => void;
  onClose: () => void;
}

export function fillMenu(menu: HTMLElement, options: MenuOptions): void {
  const langButton = (lang: Lang) =>
    h("button", { type: "button", testid: `lang-${lang}`, "aria-pressed": String(getLang() === lang), onClick: () => options.onLanguage(lang) }, t(`lang.${lang}`));
  const pushStatus = h("p", { class: "hint", role: "status" });
  const pushButton = pushSupported()
    ? h(
        "button",
        {
          type: "button",
          testid: "push-enable",
          onClick: async () => {
            try {
              await options.enablePush();
              pushStatus.textContent = t("menu.push_on");
            } catch (err) {
              pushStatus.textContent = t("menu.push_failed", { message: err instanceof Error ? err.message : String(err) });
            }
          },
        },
        t("menu.push"),
      )
    : null;
  const storageNote = h("p", { class: "hint", testid: "storage-note", hidden: true }, t("storage.not_persisted"));
  void navigator.storage
    ?.persisted?.()
    .then((persisted) => (storageNote.hidden = persisted))
    .catch(() => undefined);
  replaceChildren(
    menu,
    h("p", {}, t("menu.signed_in_as", { name: options.name })),
    h("p", { class: "hint" }, t("menu.language")),
    h("div", { class: "row" }, langButton("id"), langButton("en")),
    pushButton,
    pushStatus,
    h("a", { href: "#/attention", class: "button", onClick: options.onClose }, t("nav.attention")),
    h("button", { type: "button", testid: "logout", class: "danger", onClick: options.onLogout }, t("menu.logout")),
    storageNote,
    h("button", { type: "button", onClick: options.onClose }, t("nav.close_menu")),
  );
  menu.hidden = true;
}
