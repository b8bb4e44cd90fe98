/** Opt-in Web Push for new and escalated cases. The service worker shows them. */
import type { Api } from "./api";

export function pushSupported(): boolean {
  return "serviceWorker" in navigator && "PushManager" in window && "Notification" in window;
}

function keyBytes(base64url: string): Uint8Array<ArrayBuffer> {
  const padded = (base64url + "=".repeat((4 - (base64url.length % 4)) % 4)).replace(/-/g, "+").replace(/_/g, "/");
  const raw = atob(padded);
  const bytes = new Uint8Array(new ArrayBuffer(raw.length));
  for (let i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i);
  return bytes;
}

/** Asks permission, subscribes with the server's VAPID key and registers the subscription. */
export async function enablePush(api: Api, fallbackKey: string): Promise<void> {
  if (!pushSupported()) throw new Error("Web Push not supported");
  const permission = await Notification.requestPermission();
  if (permission !== "granted") throw new Error(permission);
  let key = fallbackKey;
  try {
    key = (await api.vapidPublicKey()).public_key || fallbackKey;
  } catch {
    // Offline: the key from the cached config will do.
  }
  if (!key) throw new Error("no VAPID key");
  const registration = await navigator.serviceWorker.ready;
  const subscription =
    (await registration.pushManager.getSubscription()) ??
    (await registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: keyBytes(key) }));
  await api.subscribePush(subscription.toJSON());
}
