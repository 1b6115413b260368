/** Embedded session events (the recorder's): the source as the registry lists it. */
import { need } from "../settings.js";
import { checkFolderVariable, defineSource } from "../sources/definition.js";
import { demoEmbeddedEventsDir, EMBEDDED_SOURCE, EmbeddedEnv, type EmbeddedConfig } from "./config.js";
import { EVENTS_TABLE } from "./stream.js";
import { replayEmbedded, syncEmbedded } from "./sync.js";

export const embeddedSource = defineSource({
  name: EMBEDDED_SOURCE,
  label: "Embedded sessions (recorder)",
  env: EmbeddedEnv,
  configuredBy: ["EMBEDDED_EVENTS_DIR"],
  secretVariables: [],
  configure: (env): EmbeddedConfig => ({ eventsDir: need(env, EMBEDDED_SOURCE, "EMBEDDED_EVENTS_DIR", "the folder of event files") }),
  folders: (env) => checkFolderVariable("EMBEDDED_EVENTS_DIR", env.EMBEDDED_EVENTS_DIR, {}),
  // The collector's token is the collector's, not the sync's: the sync reads files only.
  secrets: () => [],
  tables: [EVENTS_TABLE],
  cursor: "the size and hash of every event file read, and how far each was read",
  retryPolicy: undefined,
  sync: syncEmbedded,
  replay: replayEmbedded,
  demo: {
    // What the recorder would have collected for the simulator's sessions.
    files: { dir: demoEmbeddedEventsDir },
    // The folder even in a run that wrote no files into it (a replay reads none).
    config: (simulator) => ({ eventsDir: demoEmbeddedEventsDir(simulator.lakeDir) }),
  },
});
