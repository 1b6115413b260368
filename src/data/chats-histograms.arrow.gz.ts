// LivePerson chat distributions as daily histograms per skill and agent, for
// custom dates (loaded on demand; presets read chats-preset-histograms, or
// chats-filter-histograms with a filter): duration, wait and first response in
// 5%-wide log bins, chat MCS (0–100) and post-chat ratings (1–5) by exact value.
// Medians and distribution charts come from these without per-chat rows.
import { chatsHistogramsSql } from "./chats-sql.js";
import { day, published, publishArrowGzip } from "./publish-marts.js";

await publishArrowGzip(chatsHistogramsSql({ period: day, keep: published }));
