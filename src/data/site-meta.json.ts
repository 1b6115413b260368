// What every page needs to know about the data as a whole: when it was built,
// whether it is demo data, the days the date filter may use (presets end on the
// last complete UTC day), and per source the last successful sync and the newest
// record, for the freshness figures, and its label from the source registry.
import { openMarts, readFreshness, readMartsManifestSync } from "../../data-loaders/site.js";
import { DETAIL_WINDOW_DAYS, addDays, lastCompleteDay } from "../components/dates.js";
import { SELECTABLE_HISTORY_DAYS, martsBuiltAt, publishJson } from "./publish-marts.js";

const builtAt = martsBuiltAt();
const anchor = lastCompleteDay(builtAt);
const freshness = await readFreshness();
const db = await openMarts();
try {
  const [span] = await db.queryRows(
    `SELECT strftime(min(activity_date), '%Y-%m-%d') AS min_day, strftime(max(activity_date), '%Y-%m-%d') AS max_day FROM daily_activity`,
  );
  const latest = await db.queryRows(`
    SELECT 'upscope' AS source, strftime(max(started_at), '%Y-%m-%dT%H:%M:%SZ') AS latest, count(*)::INTEGER AS records FROM cobrowse_sessions
    UNION ALL SELECT 'liveperson', strftime(max(start_time), '%Y-%m-%dT%H:%M:%SZ'), count(*)::INTEGER FROM engagements
    UNION ALL SELECT 'agendize', strftime(max(start_time), '%Y-%m-%dT%H:%M:%SZ'), count(*)::INTEGER FROM agendize_chats
    UNION ALL SELECT 'embedded', strftime(max(recorded_at), '%Y-%m-%dT%H:%M:%SZ'), count(*)::INTEGER FROM embedded_events`);
  // The first selectable day: the data's first day, or 13 months back when the lake holds more.
  const oldest = addDays(anchor, -(SELECTABLE_HISTORY_DAYS - 1));
  const minDay = typeof span?.min_day === "string" ? (span.min_day > oldest ? span.min_day : oldest) : anchor;
  const maxDay = typeof span?.max_day === "string" && span.max_day > anchor ? span.max_day : anchor;
  await publishJson({
    builtAt,
    demo: readMartsManifestSync()?.demo ?? false,
    anchor,
    minDay: minDay < anchor ? minDay : anchor,
    maxDay,
    detailWindowDays: DETAIL_WINDOW_DAYS,
    sources: freshness.map(({ source, label, lastSuccessAt }) => {
      const row = latest.find((r) => r.source === source);
      return {
        source,
        label,
        lastSuccessAt,
        latestRecordAt: typeof row?.latest === "string" ? row.latest : null,
        records: Number(row?.records ?? 0),
      };
    }),
  });
} finally {
  db.close();
}
