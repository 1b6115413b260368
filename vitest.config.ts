import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    // No test reads the project's .env: a developer's credentials there must not turn a demo run real.
    env: { SI_ENV_FILE: "none" },
    include: ["test/**/*.test.ts"],
    exclude: ["test/browser/**", "node_modules/**"],
    // Tests start real servers and DuckDB files; two cores, so keep workers modest.
    pool: "forks",
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // The JSON report lets .ci/run print one plain "N passed, N failed" line.
    reporters: ["default", ["json", { outputFile: "test-results/unit.json" }]],
    // Fails the run when a test leaves anything in the working tree (test-results/ aside).
    globalSetup: ["test/tools/working-tree-guard.ts"],
  },
});
