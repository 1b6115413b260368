/**
 * The subject modules: every column a metric reads is one its subject declares
 * with SQL (so the loaders select it), every histogram metric reads a declared
 * histogram, and the SQL builders put the declarations into the SELECT in order.
 */
import { describe, expect, it } from "vitest";
import { AGENDIZE_DAILY, AGENDIZE_HISTOGRAMS, AGENDIZE_METRICS, AGENDIZE_WINDOWS } from "../../src/components/chat-history-measures.js";
import { CHAT_DAILY, CHAT_HISTOGRAMS, CHAT_METRICS } from "../../src/components/chat-measures.js";
import { COBROWSE_DAILY, COBROWSE_LENGTH, COBROWSE_METRICS } from "../../src/components/cobrowse-measures.js";
import { EMBEDDED_EVENT_COLUMNS, EMBEDDED_LATENCY, EMBEDDED_METRICS, EMBEDDED_SESSION_COLUMNS } from "../../src/components/embedded-measures.js";
import { additiveSelect, histogramSelect, logHistogram, selectList, type Histogram } from "../../src/components/measure-sql.js";
import type { Metric } from "../../src/components/metric-kinds.js";

const SUBJECTS: Array<{ name: string; metrics: Record<string, Metric>; columns: object; histograms: Histogram[] }> = [
  { name: "co-browsing", metrics: COBROWSE_METRICS, columns: COBROWSE_DAILY, histograms: [COBROWSE_LENGTH] },
  { name: "chats", metrics: CHAT_METRICS, columns: CHAT_DAILY, histograms: Object.values(CHAT_HISTOGRAMS) },
  { name: "chat history", metrics: AGENDIZE_METRICS, columns: { ...AGENDIZE_DAILY, ...AGENDIZE_WINDOWS }, histograms: Object.values(AGENDIZE_HISTOGRAMS) },
  { name: "embedded", metrics: EMBEDDED_METRICS, columns: { ...EMBEDDED_SESSION_COLUMNS, ...EMBEDDED_EVENT_COLUMNS }, histograms: [EMBEDDED_LATENCY] },
];

describe("each subject module", () => {
  for (const { name, metrics, columns, histograms } of SUBJECTS) {
    it(`${name}: metrics read only the columns and histograms it declares`, () => {
      for (const metric of Object.values(metrics)) {
        const reads = metric as Metric & Partial<Record<"column" | "sum" | "count" | "part" | "whole", string>> & { histogram?: Histogram };
        for (const field of ["column", "sum", "count", "part", "whole"] as const) {
          const column = reads[field];
          if (column !== undefined) expect(Object.keys(columns), `${metric.id}.${field}`).toContain(column);
        }
        if (reads.histogram) expect(histograms, metric.id).toContain(reads.histogram);
        else for (const column of metric.columns) expect(Object.keys(columns), `${metric.id} reads ${column}`).toContain(column);
      }
    });
  }
});

describe("the SQL builders", () => {
  const periods = { period: (column: string) => `day(${column})`, keep: (column: string) => `${column} >= DATE '2026-01-01'` };

  it("select the columns in their declared order, each under its name", () => {
    expect(selectList({ b: "count(*)", a: "sum(x)" }, "")).toBe("count(*) AS b,\nsum(x) AS a");
    const sql = additiveSelect("t", "d", periods, ["k AS key"], { n: "count(*)::INTEGER" });
    expect(sql).toContain("SELECT day(d) AS date, k AS key,\n    count(*)::INTEGER AS n");
    expect(sql).toContain("WHERE d >= DATE '2026-01-01'");
  });

  it("bin a histogram's items over the rows that have a value", () => {
    const sql = histogramSelect(logHistogram("wait", "engagements", "engagement_date", "wait_seconds"), periods, ["skill_name AS skill"]);
    expect(sql).toContain("SELECT day(engagement_date) AS date, skill_name AS skill, 'wait' AS measure, CAST(floor(ln(1 + greatest(wait_seconds, 0))");
    expect(sql).toContain("WHERE engagement_date >= DATE '2026-01-01' AND wait_seconds IS NOT NULL");
    expect(histogramSelect(AGENDIZE_HISTOGRAMS.messages, periods, [], false)).not.toMatch(/measure|AND/);
  });
});
