/** LivePerson (chat engagements): the source as the registry lists it. */
import { livePersonPolicy } from "./retry-policy.js";
import { defineSource } from "../sources/definition.js";
import { livePersonConfig, LivePersonEnv, livePersonSecrets, type LivePersonConfig } from "./config.js";
import { replayLivePerson } from "./replay.js";
import { ENGAGEMENTS_TABLE } from "./stream.js";
import { syncLivePerson } from "./sync.js";

export const livePersonSource = defineSource({
  name: "liveperson",
  label: "LivePerson (chat engagements)",
  env: LivePersonEnv,
  configuredBy: ["LIVEPERSON_ACCOUNT_ID", "LIVEPERSON_BEARER_TOKEN", "LIVEPERSON_CONSUMER_KEY", "LIVEPERSON_CONSUMER_SECRET", "LIVEPERSON_TOKEN", "LIVEPERSON_TOKEN_SECRET"],
  // The account id is not a credential, but the workflow has always read it from the secrets.
  secretVariables: ["LIVEPERSON_ACCOUNT_ID", "LIVEPERSON_BEARER_TOKEN", "LIVEPERSON_CONSUMER_KEY", "LIVEPERSON_CONSUMER_SECRET", "LIVEPERSON_TOKEN", "LIVEPERSON_TOKEN_SECRET"],
  configure: livePersonConfig,
  secrets: livePersonSecrets,
  tables: [ENGAGEMENTS_TABLE],
  cursor: "the start time of the newest engagement read (re-read over SI_TRAILING_WINDOW_HOURS)",
  retryPolicy: livePersonPolicy,
  sync: syncLivePerson,
  replay: replayLivePerson,
  demo: {
    config: (simulator): LivePersonConfig => ({
      accountId: simulator.credential("liveperson", "accountId"),
      csdsUrl: `${simulator.url}/liveperson/csds`,
      auth: { kind: "bearer", token: simulator.credential("liveperson", "bearerToken") },
      source: "SupportInsights",
      concurrency: 4,
    }),
  },
});
