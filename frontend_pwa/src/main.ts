import { Workbox } from "workbox-window";
import "./styles.css";
import { App } from "./ui/app";

const root = document.getElementById("app")!;
const app = new App(root);
void app.boot();

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
