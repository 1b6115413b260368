/**
 * Keeps credentials out of error messages, logs and archives. Two layers:
 * structural (known header and query-parameter names are masked) and by value
 * (the exact secret strings of a request are scrubbed from any free text, e.g. a
 * server error body that echoes the key back).
 */

export const REDACTED = "[REDACTED]";

const SENSITIVE_HEADER_NAMES = new Set([
  "authorization",
  "proxy-authorization",
  "x-api-key",
  "api-key",
  "apikey",
  "token",
  "x-auth-token",
  "x-access-token",
  "cookie",
  "set-cookie",
]);

/** Query parameter names that carry credentials (Agendize `apiKey`/`token`, OAuth 1.0a params sent in the query, …). */
const SENSITIVE_QUERY_PARAM = /^(api[_-]?key|key|token|access[_-]?token|refresh[_-]?token|id[_-]?token|client[_-]?secret|secret|password|passwd|signature|sig|oauth_.+)$/i;

/** Words in an Authorization value that are not secret; everything else of length >= 6 is scrubbed. */
const AUTH_SCHEME_WORDS = new Set(["bearer", "basic", "oauth", "digest", "hmac-sha1", "oauth_consumer_key", "oauth_token", "oauth_signature_method", "oauth_timestamp", "oauth_nonce", "oauth_signature", "oauth_version", "realm"]);

export function isSensitiveHeader(name: string): boolean {
  return SENSITIVE_HEADER_NAMES.has(name.toLowerCase());
}

export function isSensitiveQueryParam(name: string): boolean {
  return SENSITIVE_QUERY_PARAM.test(name);
}

/** URL with credential query parameters and any userinfo masked. Never throws. */
export function redactUrl(url: string | URL): string {
  let parsed: URL;
  try {
    parsed = new URL(url.toString());
  } catch {
    return "[unparseable URL]";
  }
  if (parsed.username !== "") parsed.username = "REDACTED";
  if (parsed.password !== "") parsed.password = "REDACTED";
  for (const name of [...new Set(parsed.searchParams.keys())]) {
    if (isSensitiveQueryParam(name)) parsed.searchParams.set(name, REDACTED);
  }
  // URLSearchParams re-encodes "[REDACTED]"; keep it readable in logs.
  return parsed.toString().replace(/%5BREDACTED%5D/g, REDACTED);
}

export function redactHeaders(headers: Readonly<Record<string, string>>): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) result[name] = isSensitiveHeader(name) ? REDACTED : value;
  return result;
}

/** Every secret string a request carries, for scrubbing free text (longest first, so prefixes do not leave tails). */
export function collectSecretValues(url: string | URL, headers: Readonly<Record<string, string>>): string[] {
  const secrets = new Set<string>();
  const add = (value: string) => {
    if (value.length >= 4) secrets.add(value);
  };
  try {
    const parsed = new URL(url.toString());
    for (const [name, value] of parsed.searchParams) if (isSensitiveQueryParam(name)) add(value);
    if (parsed.password !== "") add(decodeURIComponent(parsed.password));
  } catch {
    // an unparseable URL carries nothing we could find
  }
  for (const [name, value] of Object.entries(headers)) {
    if (!isSensitiveHeader(name)) continue;
    add(value);
    // Authorization values combine a scheme with one or more secrets (OAuth 1.0a has several).
    for (const piece of value.split(/[\s,="]+/)) {
      if (piece.length >= 6 && !AUTH_SCHEME_WORDS.has(piece.toLowerCase())) {
        add(piece);
        try {
          add(decodeURIComponent(piece));
        } catch {
          // not percent-encoded
        }
      }
    }
  }
  return [...secrets].sort((a, b) => b.length - a.length);
}

export function scrubSecrets(text: string, secrets: readonly string[]): string {
  let result = text;
  for (const secret of secrets) result = result.split(secret).join(REDACTED);
  return result;
}
