/**
 * OAuth 1.0a request signing (RFC 5849), HMAC-SHA1 only: the method LivePerson's
 * "app key" authentication uses. node:crypto provides the HMAC; everything else is
 * string handling that the RFC pins down exactly, so it is written out here and
 * tested against the RFC's own worked example.
 */
import { createHmac, randomBytes } from "node:crypto";

export interface OAuth1Credentials {
  consumerKey: string;
  consumerSecret: string;
  token: string;
  tokenSecret: string;
}

export interface OAuth1SignInput {
  method: string;
  /** Absolute URL; its query parameters are part of the signature. */
  url: string;
  credentials: OAuth1Credentials;
  /**
   * Parameters of an `application/x-www-form-urlencoded` body (RFC 5849 §3.4.1.3.1).
   * JSON bodies (LivePerson's search) are not signed, so leave this out for them.
   */
  formParams?: ReadonlyArray<readonly [string, string]>;
  /** Injectable for tests; defaults to 16 random bytes in hex. */
  nonce?: string;
  /** Seconds since the epoch; injectable for tests; defaults to now. */
  timestamp?: number;
  /** Optional `realm`, included in the header but never signed (§3.5.1). */
  realm?: string;
  /** Extra protocol parameters such as `oauth_version` or `oauth_callback`. */
  extraOAuthParams?: Readonly<Record<string, string>>;
}

export interface OAuth1Signature {
  /** Value for the `Authorization` header. */
  authorization: string;
  signatureBaseString: string;
  signature: string;
}

/**
 * Percent-encoding of RFC 5849 §3.6 (RFC 3986 unreserved characters stay, every
 * other byte of the UTF-8 form becomes %XX with upper-case hex).
 * encodeURIComponent leaves `!'()*` unencoded, hence the extra replace.
 */
export function percentEncodeRfc3986(value: string): string {
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

/**
 * Decodes a query component the way §3.4.1.3.1 asks: `+` is a space in
 * form-encoded data, then percent-decoding.
 */
function decodeFormComponent(value: string): string {
  return decodeURIComponent(value.replace(/\+/g, " "));
}

/** Splits a raw query string into decoded name/value pairs, keeping duplicates and empties. */
function parseRawQuery(rawQuery: string): Array<[string, string]> {
  if (rawQuery === "") return [];
  return rawQuery.split("&").map((pair) => {
    const equals = pair.indexOf("=");
    const name = equals === -1 ? pair : pair.slice(0, equals);
    const value = equals === -1 ? "" : pair.slice(equals + 1);
    return [decodeFormComponent(name), decodeFormComponent(value)];
  });
}

/** Base string URI of §3.4.1.2: lower-case scheme and host, default port dropped, no query. */
export function baseStringUri(url: URL): string {
  const scheme = url.protocol.toLowerCase(); // includes ':'
  const host = url.hostname.toLowerCase();
  // URL already drops the scheme's default port, so any port left is significant.
  const port = url.port === "" ? "" : `:${url.port}`;
  return `${scheme}//${host}${port}${url.pathname}`;
}

/** Parameter normalization of §3.4.1.3.2: encode, sort by name then value, join. */
export function normalizeParameters(params: ReadonlyArray<readonly [string, string]>): string {
  const encoded = params.map(([name, value]) => [percentEncodeRfc3986(name), percentEncodeRfc3986(value)] as const);
  // Byte-order comparison of the encoded (ASCII-only) strings, as the RFC requires;
  // localeCompare would sort differently.
  encoded.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
  return encoded.map(([name, value]) => `${name}=${value}`).join("&");
}

export function signatureBaseString(
  method: string,
  url: string,
  params: ReadonlyArray<readonly [string, string]>,
): string {
  const parsed = new URL(url);
  // Use the raw query (not URLSearchParams) so encodings such as `%253D` survive exactly once-decoded.
  const queryParams = parseRawQuery(parsed.search.replace(/^\?/, ""));
  return [
    method.toUpperCase(),
    percentEncodeRfc3986(baseStringUri(parsed)),
    percentEncodeRfc3986(normalizeParameters([...queryParams, ...params])),
  ].join("&");
}

export function hmacSha1Signature(baseString: string, consumerSecret: string, tokenSecret: string): string {
  const key = `${percentEncodeRfc3986(consumerSecret)}&${percentEncodeRfc3986(tokenSecret)}`;
  return createHmac("sha1", key).update(baseString).digest("base64");
}

/** Signs one request. Call it for every attempt: a retried request needs a fresh nonce. */
export function signOAuth1Request(input: OAuth1SignInput): OAuth1Signature {
  const nonce = input.nonce ?? randomBytes(16).toString("hex");
  const timestamp = input.timestamp ?? Math.floor(Date.now() / 1000);
  const oauthParams: Array<[string, string]> = [
    ["oauth_consumer_key", input.credentials.consumerKey],
    ["oauth_token", input.credentials.token],
    ["oauth_signature_method", "HMAC-SHA1"],
    ["oauth_timestamp", String(timestamp)],
    ["oauth_nonce", nonce],
    ...Object.entries(input.extraOAuthParams ?? {}),
  ];
  const baseString = signatureBaseString(input.method, input.url, [...oauthParams, ...(input.formParams ?? [])]);
  const signature = hmacSha1Signature(baseString, input.credentials.consumerSecret, input.credentials.tokenSecret);
  const headerParams: Array<[string, string]> = [...oauthParams, ["oauth_signature", signature]];
  const headerBody = headerParams.map(([name, value]) => `${percentEncodeRfc3986(name)}="${percentEncodeRfc3986(value)}"`);
  if (input.realm !== undefined) headerBody.unshift(`realm="${input.realm.replace(/"/g, "")}"`);
  return { authorization: `OAuth ${headerBody.join(", ")}`, signatureBaseString: baseString, signature };
}
