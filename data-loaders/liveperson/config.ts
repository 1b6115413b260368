/** LivePerson's environment variables and the configuration they make. */
import { z } from "zod";
import { ConfigError, concurrency, need, nonEmpty, optionalText, url } from "../settings.js";

export const LivePersonEnv = z.object({
  LIVEPERSON_ACCOUNT_ID: optionalText,
  LIVEPERSON_BEARER_TOKEN: optionalText,
  LIVEPERSON_CONSUMER_KEY: optionalText,
  LIVEPERSON_CONSUMER_SECRET: optionalText,
  LIVEPERSON_TOKEN: optionalText,
  LIVEPERSON_TOKEN_SECRET: optionalText,
  LIVEPERSON_CSDS_URL: url.default("https://api.liveperson.net"),
  LIVEPERSON_SOURCE: nonEmpty.max(20, "LivePerson rejects a source longer than 20 characters").default("SupportInsights"),
  LIVEPERSON_CONCURRENCY: concurrency.default(4),
});
export type LivePersonEnv = z.infer<typeof LivePersonEnv>;

export type LivePersonAuth =
  | { kind: "bearer"; token: string }
  | { kind: "oauth1"; consumerKey: string; consumerSecret: string; token: string; tokenSecret: string };

export interface LivePersonConfig {
  accountId: string;
  csdsUrl: string;
  auth: LivePersonAuth;
  source: string;
  concurrency: number;
}

declare module "../settings.js" {
  interface SourceConfigs {
    liveperson?: LivePersonConfig;
  }
}

export function livePersonConfig(env: LivePersonEnv): LivePersonConfig {
  const accountId = need(env, "liveperson", "LIVEPERSON_ACCOUNT_ID", "every LivePerson call names the account");
  const oauthNames = ["LIVEPERSON_CONSUMER_KEY", "LIVEPERSON_CONSUMER_SECRET", "LIVEPERSON_TOKEN", "LIVEPERSON_TOKEN_SECRET"] as const;
  let auth: LivePersonAuth;
  if (env.LIVEPERSON_BEARER_TOKEN !== undefined) {
    auth = { kind: "bearer", token: env.LIVEPERSON_BEARER_TOKEN };
  } else if (oauthNames.some((name) => env[name] !== undefined)) {
    const because = "OAuth 1.0a signing needs the consumer key and secret and the token and its secret";
    auth = {
      kind: "oauth1",
      consumerKey: need(env, "liveperson", "LIVEPERSON_CONSUMER_KEY", because),
      consumerSecret: need(env, "liveperson", "LIVEPERSON_CONSUMER_SECRET", because),
      token: need(env, "liveperson", "LIVEPERSON_TOKEN", because),
      tokenSecret: need(env, "liveperson", "LIVEPERSON_TOKEN_SECRET", because),
    };
  } else {
    throw new ConfigError(
      "liveperson is half-configured: LIVEPERSON_BEARER_TOKEN is missing (or the four OAuth 1.0a variables LIVEPERSON_CONSUMER_KEY, LIVEPERSON_CONSUMER_SECRET, LIVEPERSON_TOKEN, LIVEPERSON_TOKEN_SECRET).",
    );
  }
  return { accountId, csdsUrl: env.LIVEPERSON_CSDS_URL, auth, source: env.LIVEPERSON_SOURCE, concurrency: env.LIVEPERSON_CONCURRENCY };
}

export function livePersonSecrets(config: LivePersonConfig): string[] {
  const auth = config.auth;
  return auth.kind === "bearer" ? [auth.token] : [auth.consumerSecret, auth.token, auth.tokenSecret];
}
