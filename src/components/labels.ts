/** How channels and sources are named on every page. */
export const CHANNEL_LABELS: Readonly<Record<string, string>> = {
  cobrowse: "Co-browse (Upscope)",
  liveperson_chat: "Chat engagements (LivePerson)",
  agendize_chat: "Chat history (Agendize)",
};

export const SOURCE_LABELS: Readonly<Record<string, string>> = {
  upscope: "Upscope (co-browsing)",
  liveperson: "LivePerson (chat engagements)",
  agendize: "Agendize (chat history)",
  embedded: "Embedded sessions (recorder)",
};

export function channelLabel(channel: unknown): string {
  return CHANNEL_LABELS[String(channel)] ?? String(channel);
}

export function sourceLabel(source: unknown): string {
  return SOURCE_LABELS[String(source)] ?? String(source);
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
