import { describe, expect, it } from "vitest";
import { Api, ApiError, NetworkError } from "../src/api";

function api(respond: (url: string, init: RequestInit) => Response | Promise<Response>, token: string | null = "t0k") {
  const calls: { url: string; init: RequestInit }[] = [];
  const client = new Api(
    () => token,
    async (url, init = {}) => {
      calls.push({ url, init });
      return respond(url, init);
    },
  );
  return { client, calls };
}

describe("the API client", () => {
  it("sends JSON with the Bearer token and no cookies", async () => {
    const { client, calls } = api(() => new Response(JSON.stringify({ results: [], server_time: "" }), { status: 200 }));
    await client.push("dev-1", []);
    const { url, init } = calls[0];
    expect(url).toBe("/api/v1/sync/push/");
    expect(init.method).toBe("POST");
    expect(init.credentials).toBe("omit");
    expect(init.headers).toMatchObject({ Authorization: "Bearer t0k", "Content-Type": "application/json" });
    expect(JSON.parse(String(init.body))).toEqual({ device_id: "dev-1", operations: [] });
  });

  it("uploads a photo as raw image/jpeg", async () => {
    const { client, calls } = api(() => new Response("{}", { status: 201 }));
    const blob = new Blob([new Uint8Array(3)], { type: "image/jpeg" });
    await client.putAttachment("c1", "a1", blob);
    expect(calls[0].url).toBe("/api/v1/cases/c1/attachments/a1/");
    expect(calls[0].init.method).toBe("PUT");
    expect(calls[0].init.body).toBe(blob);
    expect(calls[0].init.headers).toMatchObject({ "Content-Type": "image/jpeg" });
  });

  it("turns the error envelope into an ApiError with code, message and fields", async () => {
    const body = { error: { code: "invalid", message: "Data tidak valid", fields: { "person.nik": ["16 angka"] } } };
    const { client } = api(() => new Response(JSON.stringify(body), { status: 400 }));
    const error = await client.me().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 400, code: "invalid", message: "Data tidak valid", body: { fields: { "person.nik": ["16 angka"] } } });
  });

  it("survives an error page that is not JSON", async () => {
    const { client } = api(() => new Response("<html>Bad gateway</html>", { status: 502 }));
    await expect(client.me()).rejects.toMatchObject({ status: 502, code: "http_502" });
  });

  it("reports no answer at all as a NetworkError", async () => {
    const { client } = api(() => {
      throw new TypeError("Failed to fetch");
    });
    await expect(client.me()).rejects.toBeInstanceOf(NetworkError);
  });

  it("follows pagination, keeping requests on the page's origin", async () => {
    const pages: Record<string, unknown> = {
      "/api/v1/users/?upt=U%201&role=field_worker": { next: "https://jsc.example/api/v1/users/?page=2", results: [{ username: "ani", full_name: "Ani" }] },
      "/api/v1/users/?page=2": { next: null, results: [{ username: "budi" }] },
    };
    const { client, calls } = api((url) => new Response(JSON.stringify(pages[url]), { status: 200 }));
    expect(await client.fieldWorkers("U 1")).toEqual([
      { username: "ani", full_name: "Ani" },
      { username: "budi", full_name: "" },
    ]);
    expect(calls.map((c) => c.url)).toEqual(Object.keys(pages));
  });

  it("pulls with the cursor when there is one", async () => {
    const { client, calls } = api(() => new Response(JSON.stringify({ changes: [], cursor: "x", has_more: false }), { status: 200 }));
    await client.pull(null);
    await client.pull("abc=");
    expect(calls.map((c) => c.url)).toEqual(["/api/v1/sync/pull/?limit=500", "/api/v1/sync/pull/?limit=500&cursor=abc%3D"]);
  });
});
