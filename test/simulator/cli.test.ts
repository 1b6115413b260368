import { spawn } from "node:child_process";
import { once } from "node:events";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { DEMO_CREDENTIALS } from "../../simulator/index.js";
import { http, upscopeHeaders } from "./helpers.js";

const root = fileURLToPath(new URL("../..", import.meta.url));
const tsx = fileURLToPath(new URL("../../node_modules/.bin/tsx", import.meta.url));

function run(args: string[]) {
  return spawn(tsx, ["simulator/cli.ts", ...args], { cwd: root, stdio: ["ignore", "pipe", "pipe"] });
}

describe("simulator CLI", () => {
  it("--help lists every option", async () => {
    const child = run(["--help"]);
    let out = "";
    child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
    const [code] = (await once(child, "exit")) as [number];
    expect(code).toBe(0);
    for (const option of [
      "--port", "--seed", "--days", "--scale", "--now", "--latency", "--upscope-list-cap", "--export", "--fault-rate", "--fault-latency",
      "--fault-429", "--fault-429-no-retry-after", "--fault-5xx", "--fault-reset", "--fault-truncated", "--fault-slow-body",
      "--fault-partial-result", "--fault-invalid-records", "--fault-attempts", "--help",
    ]) {
      expect(out).toContain(option);
    }
  });

  it("prints its URL and the demo credentials, serves, and stops cleanly on SIGTERM", async () => {
    const child = run(["--port", "0", "--seed", "1", "--now", "2026-11-20T12:00:00Z", "--days", "7"]);
    let out = "";
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.on("data", (chunk: Buffer) => {
        out += chunk.toString();
        const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
        if (match?.[1] && out.includes("Ctrl-C")) resolve(match[1]);
      });
      child.once("exit", () => reject(new Error(`exited early: ${out}`)));
    });
    expect(out).toContain(DEMO_CREDENTIALS.liveperson.oauth1.consumerSecret);
    expect(out).toContain(DEMO_CREDENTIALS.agendize.bearerToken);
    expect((await http(`${url}/upscope/v1.3/usage`, { headers: upscopeHeaders })).status).toBe(200);
    child.kill("SIGTERM");
    const [code] = (await once(child, "exit")) as [number];
    expect(code).toBe(0);
  });

  it("rejects an invalid option value", async () => {
    const child = run(["--days", "many"]);
    const [code] = (await once(child, "exit")) as [number];
    expect(code).toBe(2);
  });
});
