/** The request/response values routes work with; the server turns them into real HTTP. */
import type { IncomingHttpHeaders } from "node:http";

export interface SimRequest {
  method: string;
  url: URL;
  headers: IncomingHttpHeaders;
  body: string;
  /** The simulator clock for this request. */
  nowMs: number;
  /** `http://127.0.0.1:<port>`, for hrefs and the CSDS baseURI. */
  origin: string;
  /** A partialResult fault is due on this request (LivePerson search only). */
  partialResult: boolean;
}

export interface SimResponse {
  status: number;
  headers?: Record<string, string>;
  /** Serialised JSON body. */
  body: string;
}

export type RouteHandler = (request: SimRequest) => SimResponse | Promise<SimResponse>;

export function json(status: number, value: unknown, headers: Record<string, string> = {}): SimResponse {
  return { status, headers, body: JSON.stringify(value) };
}

export function header(request: SimRequest, name: string): string | undefined {
  const value = request.headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}
