import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
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
