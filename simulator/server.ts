/**
 * The HTTP server (node:http): reads the request, applies request faults and latency,
 * dispatches to the vendor routes, and writes the response (possibly cut, corrupted or
 * trickled, per the fault plan).
 */
import { createServer } from "node:http";
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import { setTimeout as sleep } from "node:timers/promises";
import { FaultPlan, requestSignature } from "./faults.js";
import type { FaultDecision } from "./faults.js";
import { json } from "./http.js";
import type { SimRequest, SimResponse } from "./http.js";
import { AGENDIZE_PREFIX, agendizeRoutes } from "./routes/agendize.js";
import { LIVEPERSON_PREFIX, livePersonRoutes } from "./routes/liveperson.js";
import { UPSCOPE_ONPREM_PREFIX, UPSCOPE_PREFIX, upscopeRoutes } from "./routes/upscope.js";
import type { Simulation } from "./simulation.js";

const MAX_BODY_BYTES = 1_000_000;

type Dispatch = (request: SimRequest) => SimResponse | null;

function buildDispatch(simulation: Simulation): Dispatch {
  const upscope = upscopeRoutes(simulation.upscope, simulation.options.upscopeListCap);
  const liveperson = livePersonRoutes(simulation.liveperson, simulation.world);
  const agendize = agendizeRoutes(simulation.agendize, simulation.world);
  const mounts: [string, (request: SimRequest, path: string) => SimResponse][] = [
    [UPSCOPE_PREFIX, upscope.cloud],
    [UPSCOPE_ONPREM_PREFIX, upscope.onPremise],
    [LIVEPERSON_PREFIX, liveperson],
    [AGENDIZE_PREFIX, agendize],
  ];
  return (request) => {
    const path = request.url.pathname;
    for (const [prefix, handler] of mounts) {
      if (path === prefix || path.startsWith(`${prefix}/`)) return handler(request, path.slice(prefix.length) || "/");
    }
    return null;
  };
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new Error("request body too large"));
        request.destroy();
        return;
      }
      chunks.push(chunk);
    });
    request.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    request.on("error", reject);
  });
}

function statusFaultResponse(decision: FaultDecision): SimResponse {
  switch (decision.status) {
    case "rate_limit":
      return json(429, { message: "Too many requests", status: 429, code: "rate_limited" }, { "retry-after": "1" });
    case "rate_limit_no_retry_after":
      return json(429, { message: "Too many requests", status: 429, code: "rate_limited" });
    default:
      return json(decision.serverErrorCode, { message: "Upstream error", status: decision.serverErrorCode, code: "server_error" });
  }
}

async function writeResponse(response: ServerResponse, simResponse: SimResponse, decision: FaultDecision | null, faultsApplied: string[], slowBodyMs: number): Promise<void> {
  let body = Buffer.from(simResponse.body, "utf8");
  const bodyFault = decision?.body ?? null;
  if (bodyFault) faultsApplied.push(bodyFault);
  if (bodyFault === "truncated_body") {
    // Either cut short (as a dropped proxy stream) or corrupted (as an HTML error page spliced in).
    body = decision?.truncate
      ? body.subarray(0, Math.max(1, Math.floor(body.length * 0.6)))
      : Buffer.concat([body.subarray(0, Math.floor(body.length / 2)), Buffer.from("<html><body>502 Bad Gateway</body></html>")]);
  }
  const headers: Record<string, string | number> = {
    "content-type": "application/json; charset=utf-8",
    "content-length": body.length,
    ...simResponse.headers,
  };
  const existing = simResponse.headers?.["x-simulator-fault"];
  const allFaults = [...faultsApplied, ...(existing ? [existing] : [])];
  if (allFaults.length > 0) headers["x-simulator-fault"] = allFaults.join(",");
  if (decision) headers["x-simulator-attempt"] = String(decision.attempt + 1);
  response.writeHead(simResponse.status, headers);
  if (bodyFault === "connection_reset") {
    // Headers promise the full length; the socket dies after part of the body.
    response.write(body.subarray(0, Math.floor(body.length / 2)), () => response.destroy());
    return;
  }
  if (bodyFault === "slow_body") {
    const chunks = 8;
    const size = Math.ceil(body.length / chunks);
    for (let index = 0; index < chunks && !response.destroyed; index++) {
      response.write(body.subarray(index * size, (index + 1) * size));
      await sleep(slowBodyMs / chunks);
    }
    if (!response.destroyed) response.end();
    return;
  }
  response.end(body);
}

export function createSimulatorServer(simulation: Simulation, originRef: { origin: string }): Server {
  const dispatch = buildDispatch(simulation);
  const faults = new FaultPlan({ seed: simulation.options.seed, rates: simulation.options.faults, faultedAttempts: simulation.options.faultedAttempts });
  const { latencyMs, faultLatencyMs, slowBodyMs } = simulation.options;

  async function handle(incoming: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(incoming.url ?? "/", originRef.origin);
    let body: string;
    try {
      body = await readBody(incoming);
    } catch {
      await writeResponse(response, json(413, { message: "request body too large" }), null, [], slowBodyMs);
      return;
    }
    const isVendorRoute = [UPSCOPE_PREFIX, UPSCOPE_ONPREM_PREFIX, LIVEPERSON_PREFIX, AGENDIZE_PREFIX].some((prefix) => url.pathname.startsWith(`${prefix}/`));
    if (!isVendorRoute) {
      const index = { name: "support-insights vendor simulator", routes: [UPSCOPE_PREFIX, UPSCOPE_ONPREM_PREFIX, LIVEPERSON_PREFIX, AGENDIZE_PREFIX] };
      await writeResponse(response, url.pathname === "/" ? json(200, index) : json(404, { message: "not found" }), null, [], slowBodyMs);
      return;
    }
    const decision = faults.decide(requestSignature(incoming.method ?? "GET", url, body));
    const applied: string[] = [];
    const delay = latencyMs + (decision.latency ? faultLatencyMs : 0);
    if (decision.latency) applied.push("latency");
    if (delay > 0) await sleep(delay);
    if (decision.status) {
      applied.push(decision.status);
      await writeResponse(response, statusFaultResponse(decision), null, applied, slowBodyMs);
      return;
    }
    const request: SimRequest = {
      method: incoming.method ?? "GET",
      url,
      headers: incoming.headers,
      body,
      nowMs: simulation.nowMs(),
      origin: originRef.origin,
      partialResult: decision.partialResult,
    };
    const simResponse = dispatch(request) ?? json(404, { message: "not found" });
    await writeResponse(response, simResponse, decision, applied, slowBodyMs);
  }

  return createServer((incoming, response) => {
    handle(incoming, response).catch((error: unknown) => {
      if (!response.headersSent) {
        response.writeHead(500, { "content-type": "application/json; charset=utf-8" });
        response.end(JSON.stringify({ message: error instanceof Error ? error.message : "internal error" }));
      } else {
        response.destroy();
      }
    });
  });
}
