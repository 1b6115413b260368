/** Agendize's environment variables and the configuration they make. */
import { z } from "zod";
import { concurrency, isKnownTimeZone, need, nonEmpty, optionalText, url, wholeNumber } from "../settings.js";

export const AgendizeEnv = z.object({
  AGENDIZE_API_KEY: optionalText,
  AGENDIZE_TOKEN: optionalText,
  AGENDIZE_BEARER_TOKEN: optionalText,
  AGENDIZE_BASE_URL: url.default("https://api.agendize.com/api/2.0"),
  AGENDIZE_LIST_PATH: nonEmpty
    .regex(/^\/[A-Za-z0-9._~!$&'()*+,;=:@%/-]*$/, "expected a path starting with / (e.g. /chat/history), without a query or fragment")
    .refine((value) => !value.split("/").includes(".."), "the path must not hold ..")
    .default("/chat/history"),
  AGENDIZE_COMPANY_TIME_ZONE: nonEmpty
    .refine(isKnownTimeZone, { error: (issue) => `"${String(issue.input)}" is not an IANA time zone this runtime knows (e.g. Europe/Paris, UTC)` })
    .default("UTC"),
  AGENDIZE_WINDOW_DAYS: wholeNumber(1, 31, "days").default(7),
  AGENDIZE_CONCURRENCY: concurrency.default(2),
});
export type AgendizeEnv = z.infer<typeof AgendizeEnv>;

export type AgendizeAuth = { kind: "api-key"; apiKey: string; token: string } | { kind: "bearer"; token: string };

export interface AgendizeConfig {
  baseUrl: string;
  listPath: string;
  auth: AgendizeAuth;
  companyTimeZone: string;
  windowDays: number;
  concurrency: number;
}

declare module "../settings.js" {
  interface SourceConfigs {
    agendize?: AgendizeConfig;
  }
}

export function agendizeConfig(env: AgendizeEnv): AgendizeConfig {
  let auth: AgendizeAuth;
  if (env.AGENDIZE_BEARER_TOKEN !== undefined) {
    auth = { kind: "bearer", token: env.AGENDIZE_BEARER_TOKEN };
  } else {
    const because = "the API key and the token go together";
    auth = {
      kind: "api-key",
      apiKey: need(env, "agendize", "AGENDIZE_API_KEY", because),
      token: need(env, "agendize", "AGENDIZE_TOKEN", because),
    };
  }
  return {
    baseUrl: env.AGENDIZE_BASE_URL,
    listPath: env.AGENDIZE_LIST_PATH,
    auth,
    companyTimeZone: env.AGENDIZE_COMPANY_TIME_ZONE,
    windowDays: env.AGENDIZE_WINDOW_DAYS,
    concurrency: env.AGENDIZE_CONCURRENCY,
  };
}

export function agendizeSecrets(config: AgendizeConfig): string[] {
  const auth = config.auth;
  return auth.kind === "bearer" ? [auth.token] : [auth.apiKey, auth.token];
}
