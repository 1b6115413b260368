// Template loader: copy to src/data/my-page.arrow.ts (rename my-page to your page's name).
// It runs at build time, reads the marts (see docs/catalog.md for every table and
// column) and prints an Arrow file the page queries with SQL in the browser.
// Publish aggregates, not one row per chat: everything here is downloadable.
import { day, published, publishArrow } from "./publish-marts.js";

await publishArrow(`
  SELECT
    ${day("engagement_date")} AS date,
    coalesce(skill_name, '(no skill)') AS skill,
    count(*)::INTEGER AS chats,
    avg(chat_mcs)::DOUBLE AS average_mcs
  FROM engagements
  WHERE ${published("engagement_date")}
  GROUP BY ALL
  ORDER BY date, skill
`);
