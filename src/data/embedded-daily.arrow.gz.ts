// Embedded sessions per UTC day and first agent: additive counts for every KPI and
// trend on the embedded sessions page (declared in components/embedded-measures.ts;
// sessions by their first event's day, latency samples and errors by their own day).
import { EMBEDDED_EVENT_COLUMNS, EMBEDDED_SESSION_COLUMNS } from "../components/embedded-measures.js";
import { selectList } from "../components/measure-sql.js";
import { day, published, publishArrowGzip } from "./publish-marts.js";

// Each day's sessions and events, summed after the union (every column is a count).
const summed = Object.fromEntries(
  Object.keys({ ...EMBEDDED_SESSION_COLUMNS, ...EMBEDDED_EVENT_COLUMNS }).map((name) => [name, `coalesce(sum(${name}), 0)::INTEGER`]),
);

await publishArrowGzip(`
  WITH sessions AS (
    SELECT ${day("session_date")} AS date, primary_agent_key AS agent,
${selectList(EMBEDDED_SESSION_COLUMNS, "      ")}
    FROM embedded_sessions
    WHERE ${published("session_date")}
    GROUP BY ALL
  ),
  events AS (
    SELECT ${day("event_date")} AS date, primary_agent_key AS agent,
${selectList(EMBEDDED_EVENT_COLUMNS, "      ")}
    FROM embedded_events
    WHERE ${published("event_date")}
    GROUP BY ALL
  )
  SELECT date, agent,
${selectList(summed)}
  FROM (SELECT * FROM sessions UNION ALL BY NAME SELECT * FROM events)
  GROUP BY ALL
  ORDER BY date, agent`);
