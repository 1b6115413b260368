import { readFileSync } from "node:fs";

/** Reads a JSON fixture from test/fixtures/seeds as an unknown value (schemas decide its shape). */
export function readSeedFixture(name: string): unknown {
  const url = new URL(`../fixtures/seeds/${name}`, import.meta.url);
  return JSON.parse(readFileSync(url, "utf8")) as unknown;
}

/** A deep copy that tests can mutate freely. */
export function clone<T>(value: T): T {
  return structuredClone(value);
}
