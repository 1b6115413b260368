/** Agendize (chat history): the source as the registry lists it. */
import { defineSource } from "../sources/definition.js";
import { agendizePolicy } from "./client.js";
import { agendizeConfig, AgendizeEnv, agendizeSecrets, type AgendizeConfig } from "./config.js";
import { CHATS_TABLE, LIST_SUMMARIES_TABLE } from "./stream.js";
import { replayAgendize, syncAgendize } from "./sync.js";

export const agendizeSource = defineSource({
  name: "agendize",
  label: "Agendize (chat history)",
  env: AgendizeEnv,
  configuredBy: ["AGENDIZE_API_KEY", "AGENDIZE_TOKEN", "AGENDIZE_BEARER_TOKEN"],
  secretVariables: ["AGENDIZE_API_KEY", "AGENDIZE_TOKEN", "AGENDIZE_BEARER_TOKEN"],
  configure: agendizeConfig,
  secrets: agendizeSecrets,
  tables: [CHATS_TABLE, LIST_SUMMARIES_TABLE],
  cursor: "the start time of the newest chat read (re-read over SI_TRAILING_WINDOW_HOURS)",
  retryPolicy: agendizePolicy,
  sync: syncAgendize,
  replay: replayAgendize,
  demo: {
    config: (simulator): AgendizeConfig => ({
      baseUrl: `${simulator.url}/agendize/api/2.0`,
      listPath: "/chat/history",
      auth: { kind: "api-key", apiKey: simulator.credential("agendize", "apiKey"), token: simulator.credential("agendize", "token") },
      companyTimeZone: "Europe/Paris",
      windowDays: 7,
      concurrency: 2,
    }),
  },
});
