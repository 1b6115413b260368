/** Upscope's environment variables and the configuration they make. */
import { z } from "zod";
import { concurrency, need, optionalText, url } from "../settings.js";

export const UpscopeEnv = z.object({
  UPSCOPE_API_KEY: optionalText,
  UPSCOPE_BASE_URL: url.default("https://api.upscope.io/v1.3"),
  UPSCOPE_ON_PREMISE_URL: url.optional(),
  UPSCOPE_REST_KEY: optionalText,
  UPSCOPE_SESSION_FILES: optionalText,
  UPSCOPE_CONCURRENCY: concurrency.default(4),
});
export type UpscopeEnv = z.infer<typeof UpscopeEnv>;

export type UpscopeAuth = { kind: "api-key"; apiKey: string } | { kind: "on-premise"; restKey: string };

export interface UpscopeConfig {
  baseUrl: string;
  onPremise: boolean;
  auth: UpscopeAuth;
  /** Folder (or file) of Session objects exported or collected from webhooks. */
  sessionFiles: string | undefined;
  concurrency: number;
}

declare module "../settings.js" {
  interface SourceConfigs {
    upscope?: UpscopeConfig;
  }
}

export function upscopeConfig(env: UpscopeEnv): UpscopeConfig {
  if (env.UPSCOPE_ON_PREMISE_URL !== undefined || env.UPSCOPE_REST_KEY !== undefined) {
    const baseUrl = need(env, "upscope", "UPSCOPE_ON_PREMISE_URL", "UPSCOPE_REST_KEY is set for an on-premise install");
    const restKey = need(env, "upscope", "UPSCOPE_REST_KEY", "UPSCOPE_ON_PREMISE_URL is set");
    return { baseUrl, onPremise: true, auth: { kind: "on-premise", restKey }, sessionFiles: env.UPSCOPE_SESSION_FILES, concurrency: env.UPSCOPE_CONCURRENCY };
  }
  const apiKey = need(env, "upscope", "UPSCOPE_API_KEY", "the REST API needs the account's secret key");
  return { baseUrl: env.UPSCOPE_BASE_URL, onPremise: false, auth: { kind: "api-key", apiKey }, sessionFiles: env.UPSCOPE_SESSION_FILES, concurrency: env.UPSCOPE_CONCURRENCY };
}
