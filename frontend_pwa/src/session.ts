/**
 * Signing in and out. The token lives in IndexedDB so the app keeps working offline for days.
 * Signing out never deletes unsynced work: it stays in the user's own database and leaves after
 * that same user signs in again.
 */
import { Api, type FetchLike } from "./api";
import { deleteMeta, getMeta, setMeta, UserDb, type Session } from "./db";
import { hasUnsyncedWork } from "./outbox";

const SESSION_KEY = "session";
const LAST_USER_KEY = "last_username";

export async function loadSession(): Promise<Session | undefined> {
  const session = await getMeta<Session>(SESSION_KEY);
  return session?.token ? session : undefined;
}

export async function lastUsername(): Promise<string> {
  return (await getMeta<string>(LAST_USER_KEY)) ?? "";
}

/** Exchanges the password for a token. Throws ApiError (401, 429) or NetworkError. */
export async function login(username: string, password: string, fetchImpl?: FetchLike): Promise<Session> {
  const api = new Api(() => null, fetchImpl);
  const answer = await api.login(username.trim(), password);
  const session: Session = {
    username: answer.user.username,
    token: answer.token,
    expires_at: answer.expires_at,
    me: answer.user,
  };
  await setMeta(SESSION_KEY, session);
  await setMeta(LAST_USER_KEY, session.username);
  return session;
}

/** The server no longer accepts the token: forget it, keep everything else. */
export async function forgetToken(): Promise<void> {
  await deleteMeta(SESSION_KEY);
}

export function openUserDb(username: string): UserDb {
  return new UserDb(username);
}

/** Whether signing out needs the user's confirmation (work the server does not have yet). */
export async function logoutNeedsConfirmation(db: UserDb): Promise<boolean> {
  return hasUnsyncedWork(db);
}

/** Revokes the token when the server can be reached; the user's database stays as it is. */
export async function logout(api: Api): Promise<void> {
  try {
    await api.logout();
  } catch {
    // Offline or already revoked: the token is forgotten here anyway.
  }
  await deleteMeta(SESSION_KEY);
}
