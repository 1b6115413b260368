import { describe, expect, it } from "vitest";
import { hmacSha1Signature, parseOAuthHeader, percentEncode, signatureBaseString, verifyOAuth1 } from "../../simulator/oauth1.js";

// The widely published worked example (Twitter's "Creating a signature" guide).
const params: [string, string][] = [
  ["include_entities", "true"],
  ["status", "Hello Ladies + Gentlemen, a signed OAuth request!"],
  ["oauth_consumer_key", "xvz1evFS4wEEPTGEFPHBog"],
  ["oauth_nonce", "kYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg"],
  ["oauth_signature_method", "HMAC-SHA1"],
  ["oauth_timestamp", "1318622958"],
  ["oauth_token", "370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb"],
  ["oauth_version", "1.0"],
];
const consumerSecret = "kAcSOqF21Fu85e7zjz7ZN2U4ZRhfV3WpwPAoE3Z7kBw";
const tokenSecret = "LswwdoUaIvS8ltyTt5jkRh4J50vUPVVHtR2YPi5kE";

describe("OAuth 1.0a primitives used to verify LivePerson requests", () => {
  it("percent-encodes per RFC 3986", () => {
    expect(percentEncode("Ladies + Gentlemen!*'()")).toBe("Ladies%20%2B%20Gentlemen%21%2A%27%28%29");
  });

  it("reproduces the published signature", () => {
    const base = signatureBaseString("POST", new URL("https://api.twitter.com/1.1/statuses/update.json"), params);
    expect(base.startsWith("POST&https%3A%2F%2Fapi.twitter.com%2F1.1%2Fstatuses%2Fupdate.json&include_entities%3Dtrue%26oauth_consumer_key")).toBe(true);
    expect(hmacSha1Signature(base, consumerSecret, tokenSecret)).toBe("hCtSmYh+iHYCEqBWrE7C7hYmtUk=");
  });

  it("verifies the published example (query parameters included) and rejects a changed parameter", () => {
    const header = `OAuth ${[...params.filter(([name]) => name.startsWith("oauth_")), ["oauth_signature", "hCtSmYh+iHYCEqBWrE7C7hYmtUk="]]
      .map(([name, value]) => `${name}="${percentEncode(value ?? "")}"`)
      .join(", ")}`;
    expect(parseOAuthHeader(header)?.get("oauth_signature")).toBe("hCtSmYh+iHYCEqBWrE7C7hYmtUk=");
    const url = new URL("https://api.twitter.com/1.1/statuses/update.json");
    url.searchParams.set("include_entities", "true");
    url.searchParams.set("status", "Hello Ladies + Gentlemen, a signed OAuth request!");
    const credentials = { consumerKey: "xvz1evFS4wEEPTGEFPHBog", consumerSecret, token: "370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb", tokenSecret };
    expect(verifyOAuth1("POST", url, header, credentials)).toEqual({ ok: true });
    url.searchParams.set("include_entities", "false");
    expect(verifyOAuth1("POST", url, header, credentials)).toEqual({ ok: false, reason: "invalid signature" });
  });
});
