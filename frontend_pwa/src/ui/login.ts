import { ApiError } from "../api";
import type { Session } from "../db";
import { t } from "../i18n";
import { login } from "../session";
import { field, h } from "./dom";

/** Sign-in form. With `reauth`, the username is known: only the password is asked again. */
export function renderLogin(root: HTMLElement, options: { username: string; reauth: boolean; onDone: (session: Session) => void }): void {
  const username = h("input", { testid: "login-username", name: "username", autocomplete: "username", autocapitalize: "none", required: true, value: options.username });
  const password = h("input", { testid: "login-password", name: "password", type: "password", autocomplete: "current-password", required: true });
  const submit = h("button", { type: "submit", class: "primary big", testid: "login-submit" }, t("login.submit"));
  const error = h("p", { class: "error", role: "alert", testid: "login-error" });
  const form = h(
    "form",
    {
      class: "login",
      onSubmit: async (event: Event) => {
        event.preventDefault();
        error.textContent = "";
        if (!username.value.trim() || !password.value) return;
        submit.disabled = true;
        try {
          options.onDone(await login(username.value, password.value));
        } catch (err) {
          if (err instanceof ApiError && (err.status === 400 || err.status === 401)) error.textContent = t("login.bad_credentials");
          else if (err instanceof ApiError && err.status === 429) error.textContent = t("login.throttled");
          else if (err instanceof ApiError) error.textContent = t("login.failed", { message: err.message });
          else error.textContent = t("login.offline");
          password.value = "";
          password.focus();
        } finally {
          submit.disabled = false;
        }
      },
    },
    h("h1", {}, t("app_name")),
    h("h2", {}, t("login.title")),
    options.reauth ? h("p", { class: "notice", testid: "login-reauth" }, t("login.reauth")) : null,
    field(t("login.username"), username),
    field(t("login.password"), password),
    error,
    submit,
  );
  root.replaceChildren(form);
  (options.username ? password : username).focus();
}
