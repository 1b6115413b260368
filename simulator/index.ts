/**
 * Local simulator of the three vendor APIs (Upscope, LivePerson Engagement History,
 * Agendize chat history) over real HTTP on loopback, from seeded synthetic data.
 */
import type { AddressInfo } from "node:net";
import { createSimulatorServer } from "./server.js";
import { createSimulation, resolveOptions } from "./simulation.js";
import type { SimulatorOptions } from "./simulation.js";

export { DEMO_CREDENTIALS } from "./credentials.js";
export type { DemoCredentials } from "./credentials.js";
export type { SimulatorOptions } from "./simulation.js";
export type { FaultRates } from "./faults.js";
export { everyFaultAt } from "./faults.js";
export { DEMO_EMBEDDED_DAYS, exportEmbeddedEventFiles, exportGroundTruth, exportUpscopeSessionFiles } from "./export.js";
export type { DriftLine, EmbeddedEventFilesResult, ExportManifest, SessionFilesResult } from "./export.js";
export { SIMULATED_DRIFT_KINDS } from "./drift.js";
export type { SimulatedDriftKind } from "./drift.js";
export { signOAuth1 } from "./oauth1.js";

/** Starts the simulator; resolves once it listens. `url` is `http://127.0.0.1:<port>`. */
export async function startSimulator(options: SimulatorOptions): Promise<{ url: string; stop(): Promise<void> }> {
  const resolved = resolveOptions(options);
  const simulation = createSimulation(resolved);
  const originRef = { origin: "" };
  const server = createSimulatorServer(simulation, originRef);
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(resolved.port, resolved.host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host = address.family === "IPv6" ? `[${address.address}]` : address.address;
  originRef.origin = `http://${host}:${address.port}`;
  let stopped: Promise<void> | null = null;
  return {
    url: originRef.origin,
    stop(): Promise<void> {
      stopped ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return stopped;
    },
  };
}
