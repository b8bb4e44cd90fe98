/// <reference lib="webworker" />
/**
 * The service worker caches the app shell (precache) and map tiles, shows push notifications and
 * opens the app on a click. It never handles `/api/`: the page talks to the API itself, and the
 * outbox lives in the page.
 */
import { clientsClaim } from "workbox-core";
import { ExpirationPlugin } from "workbox-expiration";
import { cleanupOutdatedCaches, createHandlerBoundToURL, precacheAndRoute } from "workbox-precaching";
import { NavigationRoute, registerRoute } from "workbox-routing";
import { CacheFirst } from "workbox-strategies";

declare const self: ServiceWorkerGlobalScope & { __WB_MANIFEST: Array<{ url: string; revision: string | null }> };

const TILE_CACHE = "jsc-tiles-v1";
const isApi = (url: URL) => url.pathname.startsWith("/api/");

precacheAndRoute(self.__WB_MANIFEST);
cleanupOutdatedCaches();

// Deep links inside the app open the cached shell when offline.
registerRoute(
  new NavigationRoute(createHandlerBoundToURL(`${import.meta.env.BASE_URL}index.html`), {
    allowlist: [new RegExp(`^${import.meta.env.BASE_URL}`)],
    denylist: [/^\/api\//],
  }),
);

// Map tiles: any origin, `/{z}/{x}/{y}.png`-shaped paths, requested as CORS so that real
// responses (not opaque ones, which count ~7 MB each against the quota) are cached.
registerRoute(
  ({ url, request }) => !isApi(url) && request.destination === "image" && /\/\d+\/\d+\/\d+(@2x)?\.(png|jpe?g|webp)$/.test(url.pathname),
  new CacheFirst({
    cacheName: TILE_CACHE,
    plugins: [new ExpirationPlugin({ maxEntries: 3000, maxAgeSeconds: 30 * 24 * 3600, purgeOnQuotaError: true })],
  }),
);

self.addEventListener("message", (event) => {
  if (event.data?.type === "SKIP_WAITING") void self.skipWaiting();
});
clientsClaim();

interface PushPayload {
  title?: string;
  body?: string;
  case_id?: string;
  url?: string;
  tag?: string;
}

self.addEventListener("push", (event) => {
  let payload: PushPayload = {};
  try {
    payload = event.data?.json() ?? {};
  } catch {
    payload = { body: event.data?.text() };
  }
  const base = import.meta.env.BASE_URL;
  const url = payload.url ?? (payload.case_id ? `${base}#/case/${payload.case_id}` : base);
  event.waitUntil(
    self.registration.showNotification(payload.title || "Jatim Sosial Care", {
      body: payload.body ?? "",
      icon: `${base}icons/icon-192.png`,
      badge: `${base}icons/icon-192.png`,
      tag: payload.tag ?? payload.case_id,
      data: { url },
    }),
  );
});

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  const target = new URL((event.notification.data as { url?: string } | null)?.url ?? import.meta.env.BASE_URL, self.location.origin).href;
  event.waitUntil(
    (async () => {
      const windows = await self.clients.matchAll({ type: "window", includeUncontrolled: true });
      for (const client of windows) {
        if (new URL(client.url).pathname.startsWith(import.meta.env.BASE_URL)) {
          await client.focus();
          if ("navigate" in client) await (client as WindowClient).navigate(target).catch(() => undefined);
          return;
        }
      }
      await self.clients.openWindow(target);
    })(),
  );
});
