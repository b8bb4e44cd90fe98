import { describe, expect, it } from "vitest";
import { createCase } from "../src/cases";
import { countWaiting, flush } from "../src/outbox";
import { lastUsername, loadSession, login, logout, logoutNeedsConfirmation, openUserDb } from "../src/session";
import { FakeServer } from "./fakeServer";
import { SAMPLE } from "./helpers";

function tokenServer() {
  const calls: string[] = [];
  const fetchImpl = async (url: string, init: RequestInit = {}) => {
    calls.push(`${init.method} ${url}`);
    if (url.endsWith("/auth/token/")) {
      const { username } = JSON.parse(String(init.body));
      const user = { username, full_name: username, role: "field_worker", upt: { code: "UPT01", name: "UPT Tuban" } };
      return new Response(JSON.stringify({ token: `tok-${username}`, expires_at: null, user }), { status: 200 });
    }
    return new Response("{}", { status: 200 });
  };
  return { calls, fetchImpl };
}

describe("signing out with work pending", () => {
  it("asks first, keeps the work for the same user, and pushes it after they sign in again", async () => {
    const { fetchImpl } = tokenServer();
    const session = await login("budi_logout", "rahasia", fetchImpl);
    expect((await loadSession())?.token).toBe("tok-budi_logout");
    const db = openUserDb(session.username);
    await createCase(db, SAMPLE);
    expect(await logoutNeedsConfirmation(db)).toBe(true);

    const server = new FakeServer();
    await logout(server.api());
    db.close();
    expect(await loadSession()).toBeUndefined();
    expect(await lastUsername()).toBe("budi_logout");

    // Another user on the same phone sees and pushes nothing of Budi's.
    const other = await login("citra_logout", "rahasia", fetchImpl);
    const otherDb = openUserDb(other.username);
    expect(await countWaiting(otherDb)).toBe(0);
    await flush({ db: otherDb, api: server.api(), deviceId: "d" });
    expect(server.pushes()).toHaveLength(0);
    otherDb.close();

    // Budi again: his case is still waiting and leaves now.
    const again = await login("budi_logout", "rahasia", fetchImpl);
    const budiDb = openUserDb(again.username);
    expect(await countWaiting(budiDb)).toBe(1);
    await flush({ db: budiDb, api: server.api(), deviceId: "d" });
    expect(server.pushes()).toHaveLength(1);
    expect(await countWaiting(budiDb)).toBe(0);
    expect(await logoutNeedsConfirmation(budiDb)).toBe(false);
  });
});
