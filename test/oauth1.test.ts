import { describe, expect, it } from "vitest";
import {
  normalizeParameters,
  percentEncodeRfc3986,
  signOAuth1Request,
  signatureBaseString,
} from "../data-loaders/liveperson/oauth1.js";

describe("percentEncodeRfc3986 (RFC 5849 §3.6)", () => {
  it("keeps unreserved characters and encodes everything else with upper-case hex", () => {
    expect(percentEncodeRfc3986("AZaz09-._~")).toBe("AZaz09-._~");
    expect(percentEncodeRfc3986("!*'() +/=&%")).toBe("%21%2A%27%28%29%20%2B%2F%3D%26%25");
    expect(percentEncodeRfc3986("é☃")).toBe("%C3%A9%E2%98%83");
  });
});

describe("RFC 5849 §3.4.1 worked example", () => {
  // POST /request?b5=%3D%253D&a3=a&c%40=&a2=r%20b with body `c2&a3=2+q`.
  const url = "http://example.com/request?b5=%3D%253D&a3=a&c%40=&a2=r%20b";
  const formParams: Array<[string, string]> = [
    ["c2", ""],
    ["a3", "2 q"],
  ];
  const oauthParams: Array<[string, string]> = [
    ["oauth_consumer_key", "9djdj82h48djs9d2"],
    ["oauth_token", "kkk9d7dh3k39sjv7"],
    ["oauth_signature_method", "HMAC-SHA1"],
    ["oauth_timestamp", "137131201"],
    ["oauth_nonce", "7d8f3e4a"],
  ];

  it("normalizes parameters exactly as §3.4.1.3.2 shows", () => {
    const queryParams: Array<[string, string]> = [
      ["b5", "=%3D"],
      ["a3", "a"],
      ["c@", ""],
      ["a2", "r b"],
    ];
    expect(normalizeParameters([...queryParams, ...oauthParams, ...formParams])).toBe(
      "a2=r%20b&a3=2%20q&a3=a&b5=%3D%253D&c%40=&c2=&oauth_consumer_key=9djdj82h48djs9d2" +
        "&oauth_nonce=7d8f3e4a&oauth_signature_method=HMAC-SHA1&oauth_timestamp=137131201" +
        "&oauth_token=kkk9d7dh3k39sjv7",
    );
  });

  it("builds the signature base string of §3.4.1.1 byte for byte", () => {
    expect(signatureBaseString("POST", url, [...oauthParams, ...formParams])).toBe(
      "POST&http%3A%2F%2Fexample.com%2Frequest&a2%3Dr%2520b%26a3%3D2%2520q" +
        "%26a3%3Da%26b5%3D%253D%25253D%26c%2540%3D%26c2%3D%26oauth_consumer_" +
        "key%3D9djdj82h48djs9d2%26oauth_nonce%3D7d8f3e4a%26oauth_signature_m" +
        "ethod%3DHMAC-SHA1%26oauth_timestamp%3D137131201%26oauth_token%3Dkkk" +
        "9d7dh3k39sjv7",
    );
  });

  it("signOAuth1Request produces the same base string and a header with the realm unsigned", () => {
    const signed = signOAuth1Request({
      method: "post",
      url,
      formParams,
      credentials: { consumerKey: "9djdj82h48djs9d2", consumerSecret: "x", token: "kkk9d7dh3k39sjv7", tokenSecret: "y" },
      nonce: "7d8f3e4a",
      timestamp: 137131201,
      realm: "Example",
    });
    expect(signed.signatureBaseString).toBe(signatureBaseString("POST", url, [...oauthParams, ...formParams]));
    expect(signed.authorization).toMatch(/^OAuth realm="Example", oauth_consumer_key="9djdj82h48djs9d2", /);
    expect(signed.authorization).toContain(`oauth_signature="${percentEncodeRfc3986(signed.signature)}"`);
  });
});

describe("HMAC-SHA1 signatures with published secrets", () => {
  const credentials = {
    consumerKey: "dpf43f3p2l4k3l03",
    consumerSecret: "kd94hf93k423kf44",
    token: "nnch734d00sl2jdk",
    tokenSecret: "pfkkdhi9sl3r4s00",
  };

  it("matches the OAuth Core 1.0 Appendix A.5 example (tR3+Ty81lMeYAr/Fid0kMTYa/WM=)", () => {
    const signed = signOAuth1Request({
      method: "GET",
      url: "http://photos.example.net/photos?file=vacation.jpg&size=original",
      credentials,
      nonce: "kllo9940pd9333jh",
      timestamp: 1191242096,
      extraOAuthParams: { oauth_version: "1.0" },
    });
    expect(signed.signatureBaseString).toBe(
      "GET&http%3A%2F%2Fphotos.example.net%2Fphotos&file%3Dvacation.jpg%26oauth_consumer_key%3Ddpf43f3p2l4k3l03" +
        "%26oauth_nonce%3Dkllo9940pd9333jh%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1191242096" +
        "%26oauth_token%3Dnnch734d00sl2jdk%26oauth_version%3D1.0%26size%3Doriginal",
    );
    expect(signed.signature).toBe("tR3+Ty81lMeYAr/Fid0kMTYa/WM=");
    expect(signed.authorization).toContain('oauth_signature="tR3%2BTy81lMeYAr%2FFid0kMTYa%2FWM%3D"');
  });

  it("drops the default port and lower-cases scheme and host (§3.4.1.2)", () => {
    const a = signatureBaseString("GET", "HTTP://Photos.Example.NET:80/photos?x=1", []);
    const b = signatureBaseString("GET", "http://photos.example.net/photos?x=1", []);
    expect(a).toBe(b);
    expect(signatureBaseString("GET", "https://example.com:8443/r", [])).toBe("GET&https%3A%2F%2Fexample.com%3A8443%2Fr&");
  });

  it("uses a fresh nonce per call by default", () => {
    const input = { method: "GET", url: "https://example.com/", credentials };
    expect(signOAuth1Request(input).authorization).not.toBe(signOAuth1Request(input).authorization);
  });
});
