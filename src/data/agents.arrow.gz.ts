// Every agent (staff) across sources: key, name, sources, skills, groups, first
// and last seen day. Vendor agent ids are not needed by any page and stay out.
import { day, publishArrowGzip } from "./publish-marts.js";

await publishArrowGzip(`
  SELECT agent_key AS agent, agent_name AS name,
    array_to_string(sources, ', ') AS sources,
    array_to_string(skills, ', ') AS skills,
    array_to_string(agent_groups, ', ') AS agent_groups,
    ${day("first_seen_at")} AS first_seen,
    ${day("last_seen_at")} AS last_seen
  FROM agents
  WHERE agent_key IS NOT NULL
  ORDER BY agent_name`);
