// Interactions per UTC day and channel (the daily_activity mart): the overview's
// weekly volume chart and the data page's record counts.
import { day, published, publishArrowGzip } from "./publish-marts.js";

await publishArrowGzip(`
  SELECT ${day("activity_date")} AS date, channel, interactions::INTEGER AS interactions
  FROM daily_activity
  WHERE ${published("activity_date")}
  ORDER BY date, channel`);
