import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { connect } from "node:net";
import { join } from "node:path";
import { request } from "undici";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serveDist, type DistServer } from "../../tools/serve-dist.js";

let root: string;
let site: DistServer;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "si-dist-"));
  await mkdir(join(root, "agents"), { recursive: true });
  await writeFile(join(root, "index.html"), "<h1>home</h1>");
  await writeFile(join(root, "overview.html"), "<h1>overview</h1>");
  await writeFile(join(root, "agents", "index.html"), "<h1>agents</h1>");
  await writeFile(join(root, "404.html"), "<h1>missing</h1>");
  await writeFile(join(root, "data.bin"), Buffer.from([...Array(256).keys()]));
  site = await serveDist({ root });
});

afterAll(async () => {
  await site.close();
  await rm(root, { recursive: true, force: true });
});

describe("serveDist", () => {
  it("answers HTTP Range requests with 206 and exactly those bytes", async () => {
    const response = await request(`${site.url}/data.bin`, { headers: { range: "bytes=10-19" } });
    expect(response.statusCode).toBe(206);
    expect(response.headers["content-range"]).toBe("bytes 10-19/256");
    expect([...new Uint8Array(await response.body.arrayBuffer())]).toEqual([10, 11, 12, 13, 14, 15, 16, 17, 18, 19]);
  });

  it("maps clean URLs to Framework's .html and index.html files", async () => {
    expect(await (await request(`${site.url}/overview`)).body.text()).toContain("overview");
    expect(await (await request(`${site.url}/agents/`)).body.text()).toContain("agents");
    expect(await (await request(`${site.url}/`)).body.text()).toContain("home");
  });

  it("answers 404 with the site's 404 page, and never serves outside the root", async () => {
    const missing = await request(`${site.url}/nope`);
    expect(missing.statusCode).toBe(404);
    expect(await missing.body.text()).toContain("missing");
    const traversal = await request(`${site.url}/..%2f..%2fetc%2fpasswd`);
    expect(traversal.statusCode).toBe(404);
    await traversal.body.dump();
  });
});

/** Sends `target` as the request line over a raw socket (a client library would refuse or fix it) and returns the status. */
function rawStatus(url: string, target: string): Promise<number> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect({ host: hostname, port: Number(port) }, () => {
      socket.write(`GET ${target} HTTP/1.1\r\nHost: ${hostname}\r\nConnection: close\r\n\r\n`);
    });
    let head = "";
    socket.setEncoding("latin1");
    socket.on("data", (chunk: string) => (head += chunk));
    socket.on("error", reject);
    // A server that died on the request never answers: fail instead of waiting for ever.
    socket.setTimeout(10_000, () => socket.destroy(new Error(`no answer to GET ${JSON.stringify(target)}`)));
    socket.on("close", () => {
      const status = /^HTTP\/1\.1 (\d{3})/.exec(head)?.[1];
      if (status) resolve(Number(status));
      else reject(new Error(`no status line in ${JSON.stringify(head.slice(0, 100))}`));
    });
  });
}

describe("serveDist with malformed URLs", () => {
  it.each(["/%", "/%zz", "/a%E0%A4%A", "/%00", "/overview%00.html", "/%C0%AF", "/%ED%A0%80"])("answers %s with 400 and keeps serving", async (target) => {
    expect(await rawStatus(site.url, target)).toBe(400);
    const after = await request(`${site.url}/overview`);
    expect(after.statusCode).toBe(200);
    await after.body.dump();
  });

  it("answers a NUL byte in the request line with 400 and keeps serving", async () => {
    expect(await rawStatus(site.url, "/over\u0000view")).toBe(400);
    expect(await rawStatus(site.url, "/overview")).toBe(200);
  });
});
