/**
 * A real node:http server on 127.0.0.1 (port 0) whose routes misbehave
 * deterministically: each route is a list of behaviours played in order, the last
 * one repeating. It counts TCP connections, hits per path and the peak number of
 * requests in flight.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";

export type Behaviour = (request: IncomingMessage, response: ServerResponse, body: string) => void | Promise<void>;

export interface MisbehavingServer {
  baseUrl: string;
  connections(): number;
  hits(path: string): number;
  maxInFlight(): number;
  requestsSeen(): Array<{ path: string; headers: IncomingMessage["headers"]; body: string }>;
  close(): Promise<void>;
}

export const json =
  (status: number, value: unknown, headers: Record<string, string> = {}): Behaviour =>
  (_request, response) => {
    const text = JSON.stringify(value);
    response.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text), ...headers });
    response.end(text);
  };

export const rawBody =
  (status: number, text: string, headers: Record<string, string> = {}): Behaviour =>
  (_request, response) => {
    response.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text), ...headers });
    response.end(text);
  };

/** Announces a full body, sends half of it, then resets the connection. */
export const resetMidBody =
  (value: unknown): Behaviour =>
  (_request, response) => {
    const text = JSON.stringify(value);
    response.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
    response.write(text.slice(0, Math.floor(text.length / 2)), () => {
      response.socket?.resetAndDestroy();
    });
  };

export const slow =
  (ms: number, inner: Behaviour): Behaviour =>
  async (request, response, body) => {
    await new Promise((resolve) => setTimeout(resolve, ms));
    await inner(request, response, body);
  };

export async function startMisbehavingServer(routes: Record<string, Behaviour[]>): Promise<MisbehavingServer> {
  const sockets = new Set<Socket>();
  let connectionCount = 0;
  let inFlight = 0;
  let peak = 0;
  const hitCounts = new Map<string, number>();
  const seen: Array<{ path: string; headers: IncomingMessage["headers"]; body: string }> = [];

  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const path = new URL(request.url ?? "/", "http://localhost").pathname;
      const body = Buffer.concat(chunks).toString("utf8");
      const hit = hitCounts.get(path) ?? 0;
      hitCounts.set(path, hit + 1);
      seen.push({ path, headers: request.headers, body });
      const behaviours = routes[path];
      const behaviour = behaviours?.[Math.min(hit, behaviours.length - 1)] ?? json(404, { error: "no route" });
      inFlight++;
      peak = Math.max(peak, inFlight);
      response.on("close", () => inFlight--);
      void behaviour(request, response, body);
    });
  });
  server.on("connection", (socket: Socket) => {
    connectionCount++;
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    connections: () => connectionCount,
    hits: (path) => hitCounts.get(path) ?? 0,
    maxInFlight: () => peak,
    requestsSeen: () => seen,
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
