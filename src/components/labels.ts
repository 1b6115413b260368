/** How channels and sources are named on every page. */
export const CHANNEL_LABELS: Readonly<Record<string, string>> = {
  cobrowse: "Co-browse (Upscope)",
  liveperson_chat: "Chat engagements (LivePerson)",
  agendize_chat: "Chat history (Agendize)",
};

export function channelLabel(channel: unknown): string {
  return CHANNEL_LABELS[String(channel)] ?? String(channel);
}

/**
 * How a page names a source: the labels come from the source registry through
 * site-meta.json (`meta.sources`), so a new source needs no copy of its name here.
 */
export function sourceLabels(sources: readonly { source: string; label: string }[]): (source: unknown) => string {
  const labels = new Map(sources.map(({ source, label }) => [source, label]));
  return (source) => labels.get(String(source)) ?? String(source);
}

/** "3 h ago", "2 d ago": how long before `now` an instant was. */
export function ageText(iso: string | null, now: string): string {
  if (!iso) return "never";
  const hours = (Date.parse(now) - Date.parse(iso)) / 3_600_000;
  if (!Number.isFinite(hours)) return "unknown";
  if (hours < 1) return `${Math.max(0, Math.round(hours * 60))} min before the build`;
  if (hours < 48) return `${hours.toFixed(1)} h before the build`;
  return `${(hours / 24).toFixed(1)} days before the build`;
}
