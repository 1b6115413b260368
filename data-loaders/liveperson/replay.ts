/** `--replay` for LivePerson: the archived search pages through the sync's own mapping. */
import type { ArchivedResponse } from "../lake/index.js";
import { replayArchive, type ReplayedResponse } from "../sync/replay.js";
import type { SourceRunContext, SourceRunResult } from "../sync/context.js";
import { pick, validateRecord } from "../sync/validate.js";
import { InteractionHistoryRecord, SearchResponseEnvelope } from "./schemas.js";
import { ENGAGEMENTS_TABLE, mapEngagement } from "./stream.js";

export function replayLivePerson(ctx: SourceRunContext): Promise<SourceRunResult> {
  return replayArchive(ctx, "liveperson", (response: ArchivedResponse): ReplayedResponse | undefined => {
    if (response.status !== 200 || !response.url.includes("/interactions/search")) return undefined;
    const envelope = SearchResponseEnvelope.safeParse(JSON.parse(response.body));
    // A page the sync asked again (failed shards) is superseded by the later copy.
    if (!envelope.success || envelope.data._metadata.shardsStatusResult?.partialResult === true) return undefined;
    const result: ReplayedResponse = { rows: [], problems: [], records: 0 };
    for (const raw of envelope.data.interactionHistoryRecords) {
      result.records += 1;
      const checked = validateRecord({ source: "liveperson", stream: "engagements" }, InteractionHistoryRecord, raw, (value) =>
        pick(value, "info", "engagementId"),
      );
      if (!checked.ok) result.problems.push(...checked.problems);
      // A partial record was fetched again by id during the sync; that copy is archived after it.
      else if (checked.value.info.isPartial !== true) result.rows.push({ spec: ENGAGEMENTS_TABLE, row: mapEngagement(checked.value, ctx.pseudonym) });
    }
    return result;
  });
}
