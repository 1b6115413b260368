import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { installOfflineGuard, isAllowedUrl, OfflineBuildError } from "../../tools/offline-guard.js";

installOfflineGuard();

describe("offline guard", () => {
  it("allows loopback only", () => {
    expect(isAllowedUrl("http://127.0.0.1:4010/upscope/v1.3/list")).toBe(true);
    expect(isAllowedUrl("http://localhost:3000/")).toBe(true);
    expect(isAllowedUrl("http://[::1]:3000/")).toBe(true);
    expect(isAllowedUrl("https://cdn.jsdelivr.net/npm/d3@7.9.0/+esm")).toBe(false);
    expect(isAllowedUrl("http://10.0.0.1/")).toBe(false);
  });

  it("refuses a CDN fetch with a message naming the library and how to add it", async () => {
    const error = await fetch("https://cdn.jsdelivr.net/npm/lodash@0.0.0-not-vendored/+esm").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OfflineBuildError);
    expect((error as Error).message).toContain("npm:lodash");
    expect((error as Error).message).toContain("tools/vendor-npm.ts");
  });

  it("refuses registry and DuckDB extension downloads", async () => {
    await expect(fetch("https://registry.npmjs.org/echarts/latest")).rejects.toThrow(/not vendored/);
    await expect(fetch("https://extensions.duckdb.org/v1.1.1/wasm_eh/json.duckdb_extension.wasm")).rejects.toThrow(/extension/);
  });

  it("lets loopback requests through (the simulator lives there)", async () => {
    const server = createServer((_req, res) => res.end("ok"));
    await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
    const { port } = server.address() as AddressInfo;
    try {
      const response = await fetch(`http://127.0.0.1:${port}/`);
      expect(await response.text()).toBe("ok");
    } finally {
      server.close();
    }
  });
});
