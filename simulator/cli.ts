/**
 * `npm run simulator -- [options]`: runs the simulator in the foreground, or with
 * `--export DIR` writes the ground truth and exits.
 */
import { parseArgs } from "node:util";
import { DEMO_CREDENTIALS, exportGroundTruth, startSimulator } from "./index.js";
import type { FaultRates, SimulatorOptions } from "./index.js";
import { everyFaultAt } from "./faults.js";
import { SIMULATED_DRIFT_KINDS } from "./drift.js";
import { parseMetricShift, type MetricShift } from "../data-loaders/demo-shift.js";

const HELP = `Vendor API simulator (Upscope, LivePerson Engagement History, Agendize chat history)

Usage:
  npm run simulator -- [options]
  npm run simulator -- --export DIR [options]

Options:
  --port N                     port on 127.0.0.1 (default 4010; 0 picks a free port)
  --host HOST                  interface to listen on (default 127.0.0.1)
  --seed N                     data seed (default 1)
  --days N                     history length in days (default 180)
  --scale X                    volume multiplier (default 1)
  --now ISO                    fixed clock, e.g. 2026-11-20T12:00:00Z (default: real clock)
  --latency MS                 latency added to every response (default 0)
  --upscope-list-cap N         max visitors returned by Upscope /list (default 100)
  --liveperson-partial-share X share of LivePerson records served isPartial, each
                               to be fetched again by id (default 0.04)
  --export DIR                 write the ground truth as NDJSON into DIR and exit
  --help                       show this help

Faults (rates 0..1, deterministic by seed, request and attempt; default 0):
  --fault-rate X               switch every fault below on at rate X
  --fault-latency X            add --fault-latency-ms to a response
  --fault-429 X                429 with Retry-After
  --fault-429-no-retry-after X 429 without Retry-After
  --fault-5xx X                500, 502 or 503
  --fault-reset X              connection reset mid-body
  --fault-truncated X          truncated or invalid JSON body
  --fault-slow-body X          body trickles out over --slow-body-ms
  --fault-partial-result X     LivePerson pages with partialResult: true
  --fault-invalid-records X    share of records that break the schema (also marked in the export)
  --fault-attempts N           only the first N attempts of a request can fail (default 2)
  --fault-latency-ms MS        latency of a latency fault (default 250)
  --slow-body-ms MS            duration of a slow body (default 400)

Vendor drift (records served off the docs but usable, deterministic by seed and
record; a sync keeps them and counts them in its drift ledger; default off):
  --drift-rate X               share of records (0..1) that drift, each in one kind
                               (default 0; 0.05 when only --drift-kinds is given)
  --drift-kinds LIST           comma-separated kinds to draw from (default all):
                               unknown_enum_value  a value outside a documented list
                               number_as_string    a number sent as text ("420")
                               number_for_string   an id or text sent as a number
                               null_in_array       a null inside an array
                               unknown_field       an undocumented (nested) field
                               missing_optional    an optional object left out
                               The export lists the drifted records in drift.ndjson.

A real change on purpose (default none; the demo build uses SI_DEMO_SHIFT):
  --shift "METRIC xF from day -N"
                               from N days before the clock on, METRIC is F times
                               as large; METRIC: liveperson-wait (request to start)
`;

const FAULT_FLAGS: Record<string, keyof FaultRates> = {
  "fault-latency": "latency",
  "fault-429": "rateLimit",
  "fault-429-no-retry-after": "rateLimitWithoutRetryAfter",
  "fault-5xx": "serverError",
  "fault-reset": "connectionReset",
  "fault-truncated": "truncatedBody",
  "fault-slow-body": "slowBody",
  "fault-partial-result": "partialResult",
  "fault-invalid-records": "invalidRecord",
};

const STRING_FLAGS = ["port", "host", "seed", "days", "scale", "now", "latency", "upscope-list-cap", "liveperson-partial-share", "export", "fault-rate", "fault-attempts", "fault-latency-ms", "slow-body-ms", "drift-rate", "drift-kinds", "shift", ...Object.keys(FAULT_FLAGS)];

function fail(message: string): never {
  process.stderr.write(`${message}\n\n${HELP}`);
  process.exit(2);
}

function number(values: Record<string, string | boolean | undefined>, name: string): number | undefined {
  const raw = values[name];
  if (raw === undefined || typeof raw === "boolean") return undefined;
  const parsed = Number(raw);
  if (!Number.isFinite(parsed)) fail(`--${name} expects a number, got "${raw}"`);
  return parsed;
}

async function main(): Promise<void> {
  let values: Record<string, string | boolean | undefined>;
  try {
    values = parseArgs({
      options: { help: { type: "boolean" }, ...Object.fromEntries(STRING_FLAGS.map((name) => [name, { type: "string" as const }])) },
      strict: true,
    }).values;
  } catch (error) {
    fail(error instanceof Error ? error.message : String(error));
  }
  if (values["help"]) {
    process.stdout.write(HELP);
    return;
  }
  const all = number(values, "fault-rate");
  const faults: Partial<FaultRates> = all === undefined ? {} : everyFaultAt(all);
  for (const [flag, key] of Object.entries(FAULT_FLAGS)) {
    const rate = number(values, flag);
    if (rate !== undefined) faults[key] = rate;
  }
  const driftRate = number(values, "drift-rate");
  const driftKinds = typeof values["drift-kinds"] === "string" ? values["drift-kinds"].split(",").map((kind) => kind.trim()).filter(Boolean) : undefined;
  for (const kind of driftKinds ?? []) {
    if (!(SIMULATED_DRIFT_KINDS as readonly string[]).includes(kind)) fail(`--drift-kinds: unknown kind "${kind}" (known: ${SIMULATED_DRIFT_KINDS.join(", ")})`);
  }
  let shift: MetricShift | undefined;
  try {
    shift = typeof values["shift"] === "string" ? parseMetricShift(values["shift"]) : undefined;
  } catch (error) {
    fail(`--shift: ${(error as Error).message}`);
  }
  const options: SimulatorOptions = {
    ...(shift ? { shift } : {}),
    port: number(values, "port") ?? 4010,
    seed: number(values, "seed") ?? 1,
    days: number(values, "days") ?? 180,
    scale: number(values, "scale") ?? 1,
    latencyMs: number(values, "latency") ?? 0,
    upscopeListCap: number(values, "upscope-list-cap") ?? 100,
    ...(number(values, "liveperson-partial-share") === undefined ? {} : { livePersonPartialShare: number(values, "liveperson-partial-share") }),
    faults,
    ...(driftRate !== undefined || driftKinds !== undefined
      ? { drift: { ...(driftRate !== undefined ? { rate: driftRate } : { rate: 0.05 }), ...(driftKinds ? { kinds: driftKinds as (typeof SIMULATED_DRIFT_KINDS)[number][] } : {}) } }
      : {}),
    ...(typeof values["host"] === "string" ? { host: values["host"] } : {}),
    ...(typeof values["now"] === "string" ? { now: values["now"] } : {}),
    ...(number(values, "fault-attempts") !== undefined ? { faultedAttempts: number(values, "fault-attempts") } : {}),
    ...(number(values, "fault-latency-ms") !== undefined ? { faultLatencyMs: number(values, "fault-latency-ms") } : {}),
    ...(number(values, "slow-body-ms") !== undefined ? { slowBodyMs: number(values, "slow-body-ms") } : {}),
  };

  try {
    if (typeof values["export"] === "string") {
      const manifest = await exportGroundTruth(options, values["export"]);
      process.stdout.write(`Exported ground truth for seed ${manifest.seed} at ${manifest.now} into ${values["export"]}\n`);
      for (const [file, lines] of Object.entries(manifest.files)) process.stdout.write(`  ${file}: ${lines}\n`);
      return;
    }
    const simulator = await startSimulator(options);
    process.stdout.write(
      [
        `Vendor simulator listening on ${simulator.url}`,
        `  Upscope           ${simulator.url}/upscope/v1.3   (X-Api-Key: ${DEMO_CREDENTIALS.upscope.apiKey})`,
        `  Upscope on-prem   ${simulator.url}/upscope-onprem/api   (Authorization: ${DEMO_CREDENTIALS.upscope.onPremiseRestKey})`,
        `  LivePerson CSDS   ${simulator.url}/liveperson/csds/api/account/${DEMO_CREDENTIALS.liveperson.accountId}/service/engHistDomain/baseURI.json?version=1.0`,
        `  LivePerson search ${simulator.url}/liveperson/interaction_history/api/account/${DEMO_CREDENTIALS.liveperson.accountId}/interactions/search`,
        `  Agendize          ${simulator.url}/agendize/api/2.0/chat/history`,
        "Demo credentials:",
        JSON.stringify(DEMO_CREDENTIALS, null, 2),
        "Ctrl-C to stop.",
        "",
      ].join("\n"),
    );
    const shutdown = (signal: string): void => {
      process.stdout.write(`\n${signal}: stopping…\n`);
      simulator.stop().then(
        () => process.exit(0),
        () => process.exit(1),
      );
    };
    process.once("SIGINT", () => shutdown("SIGINT"));
    process.once("SIGTERM", () => shutdown("SIGTERM"));
  } catch (error) {
    fail(error instanceof Error ? error.message : String(error));
  }
}

await main();
