// LivePerson chats per UTC day, skill and agent: additive counts and sums for
// every KPI and trend on the chat page for custom dates (loaded on demand; a
// preset reads chats-preset-daily, or chats-filter-daily with a filter).
import { chatsDailySql } from "./chats-sql.js";
import { day, published, publishArrowGzip } from "./publish-marts.js";

await publishArrowGzip(chatsDailySql({ period: day, keep: published }));
