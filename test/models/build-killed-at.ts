/**
 * Child process of incremental.test.ts: builds the models of a lake and kills itself
 * with SIGKILL at the n-th build step of a kind, i.e. crashes exactly there.
 *
 *   tsx test/models/build-killed-at.ts <lake> <step kind> <n> [full]
 */
import { buildModels, type ModelsBuildStep } from "../../data-loaders/models/run.js";

const [lake, kind, nth, full] = process.argv.slice(2);
if (!lake || !kind || !nth) throw new Error("usage: build-killed-at.ts <lake> <step kind> <n> [full]");
let seen = 0;
await buildModels(lake, {
  publishText: false,
  demo: true,
  builtAt: new Date("2026-05-16T00:00:00Z"),
  full: full === "full",
  onStep: (step: ModelsBuildStep) => {
    if (step.kind === kind && ++seen === Number(nth)) process.kill(process.pid, "SIGKILL");
  },
});
// Reaching the end means the step never came: the test reads exit code 3 as "no crash happened".
process.exit(3);
