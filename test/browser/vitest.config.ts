import { defineConfig } from "vitest/config";

// The browser suite runs against a built `dist/` (run `npm run build` first).
export default defineConfig({
  test: {
    include: ["test/browser/**/*.test.ts"],
    pool: "forks",
    maxWorkers: 1,
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 120_000,
    reporters: ["default", ["json", { outputFile: "test-results/browser.json" }]],
  },
});
