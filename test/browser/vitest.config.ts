import { defineConfig } from "vitest/config";

// The browser suite runs against a built `dist/` (run `npm run build` first).
export default defineConfig({
  test: {
    // No test reads the project's .env: a developer's credentials there must not turn a demo run real.
    env: { SI_ENV_FILE: "none" },
    include: ["test/browser/**/*.test.ts"],
    pool: "forks",
    maxWorkers: 1,
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 120_000,
    reporters: ["default", ["json", { outputFile: "test-results/browser.json" }]],
  },
});
