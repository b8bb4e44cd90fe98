import { Workbox } from "workbox-window";
import { t } from "./i18n";
import "./styles.css";
import { App } from "./ui/app";

const root = document.getElementById("app")!;
const app = new App(root);
app.boot().catch((err: unknown) => {
  // Without IndexedDB (some private modes) nothing can be kept offline: say so instead of a blank page.
  root.textContent = t("error.generic", { message: err instanceof Error ? err.message : String(err) });
});

if (import.meta.env.PROD && "serviceWorker" in navigator) {
  const wb = new Workbox(`${import.meta.env.BASE_URL}sw.js`, { scope: import.meta.env.BASE_URL });
  wb.addEventListener("waiting", () => {
    app.offerUpdate(() => {
      wb.addEventListener("controlling", () => window.location.reload());
      wb.messageSkipWaiting();
    });
  });
  void wb.register();
}
