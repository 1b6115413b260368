/**
 * OAuth 1.0a HMAC-SHA1 (RFC 5849) as LivePerson app keys use it: the simulator verifies
 * signatures; `signOAuth1` is exported for tests and integrators who want a reference.
 * The JSON body is not part of the base string (only form-encoded bodies are).
 */
import { createHmac, timingSafeEqual } from "node:crypto";

/** RFC 3986 percent-encoding as RFC 5849 §3.6 requires (encodeURIComponent leaves !'()* alone). */
export function percentEncode(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** `http://host:port/path` as RFC 5849 §3.4.1.2 normalises it (default ports dropped, no query). */
export function baseStringUri(url: URL): string {
  const scheme = url.protocol.replace(":", "").toLowerCase();
  const defaultPort = (scheme === "http" && url.port === "80") || (scheme === "https" && url.port === "443");
  const host = url.hostname.toLowerCase() + (url.port && !defaultPort ? `:${url.port}` : "");
  return `${scheme}://${host}${url.pathname}`;
}

/** The signature base string: METHOD & encoded base URI & encoded normalised parameters. */
export function signatureBaseString(method: string, url: URL, parameters: readonly (readonly [string, string])[]): string {
  const normalised = parameters
    .map(([name, value]) => [percentEncode(name), percentEncode(value)] as const)
    .sort(([a, av], [b, bv]) => (a === b ? (av < bv ? -1 : av > bv ? 1 : 0) : a < b ? -1 : 1))
    .map(([name, value]) => `${name}=${value}`)
    .join("&");
  return [method.toUpperCase(), percentEncode(baseStringUri(url)), percentEncode(normalised)].join("&");
}

export function hmacSha1Signature(baseString: string, consumerSecret: string, tokenSecret: string): string {
  return createHmac("sha1", `${percentEncode(consumerSecret)}&${percentEncode(tokenSecret)}`).update(baseString).digest("base64");
}

/** Parses `OAuth k="v", …` into decoded pairs; null when the header is not OAuth. */
export function parseOAuthHeader(header: string): Map<string, string> | null {
  const match = /^OAuth\s+(.*)$/i.exec(header.trim());
  if (!match?.[1]) return null;
  const params = new Map<string, string>();
  for (const part of match[1].split(",")) {
    const pair = /^\s*([^=\s]+)\s*=\s*"([^"]*)"\s*$/.exec(part);
    if (!pair?.[1] || pair[2] === undefined) return null;
    try {
      params.set(decodeURIComponent(pair[1]), decodeURIComponent(pair[2]));
    } catch {
      return null;
    }
  }
  return params;
}

export interface OAuth1Credentials {
  consumerKey: string;
  consumerSecret: string;
  token: string;
  tokenSecret: string;
}

export type OAuth1Verdict = { ok: true } | { ok: false; reason: string };

/** Verifies a signed request: keys, method, required parameters and the HMAC-SHA1 signature. */
export function verifyOAuth1(method: string, url: URL, authorization: string, credentials: OAuth1Credentials): OAuth1Verdict {
  const oauth = parseOAuthHeader(authorization);
  if (!oauth) return { ok: false, reason: "malformed OAuth header" };
  if (oauth.get("oauth_signature_method") !== "HMAC-SHA1") return { ok: false, reason: "unsupported signature method" };
  if (oauth.get("oauth_consumer_key") !== credentials.consumerKey) return { ok: false, reason: "unknown consumer key" };
  if (oauth.get("oauth_token") !== credentials.token) return { ok: false, reason: "unknown token" };
  if (!oauth.get("oauth_timestamp") || !oauth.get("oauth_nonce")) return { ok: false, reason: "missing timestamp or nonce" };
  const version = oauth.get("oauth_version");
  if (version !== undefined && version !== "1.0") return { ok: false, reason: "unsupported version" };
  const signature = oauth.get("oauth_signature");
  if (!signature) return { ok: false, reason: "missing signature" };
  const parameters: [string, string][] = [...url.searchParams.entries()];
  for (const [name, value] of oauth) if (name !== "oauth_signature" && name !== "realm") parameters.push([name, value]);
  const expected = hmacSha1Signature(signatureBaseString(method, url, parameters), credentials.consumerSecret, credentials.tokenSecret);
  const given = Buffer.from(signature);
  const wanted = Buffer.from(expected);
  return given.length === wanted.length && timingSafeEqual(given, wanted) ? { ok: true } : { ok: false, reason: "invalid signature" };
}

/** Builds an `Authorization: OAuth …` header for a request (reference signer). */
export function signOAuth1(
  method: string,
  url: URL,
  credentials: OAuth1Credentials,
  nonce: string,
  timestampSeconds: number,
): string {
  const oauth: [string, string][] = [
    ["oauth_consumer_key", credentials.consumerKey],
    ["oauth_nonce", nonce],
    ["oauth_signature_method", "HMAC-SHA1"],
    ["oauth_timestamp", String(timestampSeconds)],
    ["oauth_token", credentials.token],
    ["oauth_version", "1.0"],
  ];
  const base = signatureBaseString(method, url, [...url.searchParams.entries(), ...oauth]);
  oauth.push(["oauth_signature", hmacSha1Signature(base, credentials.consumerSecret, credentials.tokenSecret)]);
  return `OAuth ${oauth.map(([name, value]) => `${percentEncode(name)}="${percentEncode(value)}"`).join(", ")}`;
}
