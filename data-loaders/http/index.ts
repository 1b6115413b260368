export * from "./client.js";
export * from "./concurrency.js";
export * from "./errors.js";
export * from "./redact.js";
export * from "./retry-policy.js";
