/**
 * The agents pages' own measures (agent-daily rows carry the chat and co-browse
 * columns under the channel pages' names, so those pages' metrics apply too).
 */
import { countMetric, distinctCountMetric } from "./metric-kinds.js";

export const AGENT_METRICS = {
  agent_interactions: countMetric({
    id: "agent_interactions",
    label: "Interactions",
    definition: "Chats handled and co-browse sessions joined in the period.",
    column: "interactions",
  }),
  active_agents: distinctCountMetric({
    id: "active_agents",
    label: "Active agents",
    definition: "Agents who handled at least one LivePerson chat or joined at least one co-browse session in the period.",
    key: "agent",
    measure: "interactions",
  }),
};
