import { describe, expect, it } from "vitest";
import { collectSecretValues, redactHeaders, redactUrl, scrubSecrets } from "../../data-loaders/http/redact.js";

describe("redaction", () => {
  it("masks credential query parameters and userinfo, keeps the rest", () => {
    const url = "https://user:pw@api.agendize.com/api/2.0/chat/history?apiKey=K123456&token=T654321&startDate=2024-01-01&oauth_signature=abc%3D";
    const redacted = redactUrl(url);
    expect(redacted).not.toMatch(/K123456|T654321|abc|pw@|user:/);
    expect(redacted).toContain("startDate=2024-01-01");
    expect(redacted).toContain("apiKey=[REDACTED]");
  });

  it("masks Authorization and X-Api-Key headers, whatever their case", () => {
    expect(redactHeaders({ Authorization: "Bearer abc", "X-API-KEY": "k", Accept: "application/json" })).toEqual({
      Authorization: "[REDACTED]",
      "X-API-KEY": "[REDACTED]",
      Accept: "application/json",
    });
  });

  it("scrubs every secret piece of an OAuth 1.0a header from free text", () => {
    const header = 'OAuth oauth_consumer_key="consumerKEY1", oauth_token="tokenVALUE2", oauth_signature="sig%2Bvalue%3D"';
    const secrets = collectSecretValues("https://x.test/?apiKey=querySecret9", { authorization: header });
    const text = `server says: bad consumerKEY1 / tokenVALUE2 / sig+value= / querySecret9`;
    const scrubbed = scrubSecrets(text, secrets);
    expect(scrubbed).not.toMatch(/consumerKEY1|tokenVALUE2|sig\+value=|querySecret9/);
    expect(scrubbed).toContain("server says: bad");
  });
});
