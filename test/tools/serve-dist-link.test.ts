/**
 * The site folder the nightly publishes is a link to one build (tools/publish.ts):
 * the static server (npm run preview, the browser tests) serves through it, follows
 * it to the new build after a switch, and sends the security headers with every file.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HEADER_POLICY } from "../../tools/csp.js";
import { prepareVersion, publishVersion, siteLayout } from "../../tools/publish.js";
import { serveDist, type DistServer } from "../../tools/serve-dist.js";

let dir: string;
let server: DistServer;
const layout = () => siteLayout(join(dir, "dist"));

async function publish(text: string): Promise<void> {
  const { id, dir: partial } = await prepareVersion(layout());
  await mkdir(join(partial, "_file"), { recursive: true });
  await writeFile(join(partial, "index.html"), `<p>${text}</p>`);
  await writeFile(join(partial, "chats.html"), `<p>chats ${text}</p>`);
  await publishVersion(layout(), id);
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "si-serve-link-"));
  await publish("first");
  server = await serveDist({ root: join(dir, "dist") });
});

afterAll(async () => {
  await server?.close();
  await rm(dir, { recursive: true, force: true });
});

describe("serving a published site link", () => {
  it("serves the live build through the link, with the security headers, and the new build after a switch", async () => {
    let response = await fetch(`${server.url}/chats`);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe("<p>chats first</p>");
    expect(response.headers.get("content-security-policy")).toBe(HEADER_POLICY);
    expect(HEADER_POLICY).toContain("frame-ancestors 'none'");
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");

    await publish("second");
    response = await fetch(`${server.url}/`);
    expect(await response.text()).toBe("<p>second</p>");
  });

  it("sends the policy the README's server configuration gives", async () => {
    const readme = await readFile(join(process.cwd(), "README.md"), "utf8");
    expect(readme).toContain(`add_header Content-Security-Policy "${HEADER_POLICY}" always;`);
  });
});
