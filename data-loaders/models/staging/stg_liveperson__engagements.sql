-- One row per LivePerson chat engagement, typed and in UTC. Visitor fields are
-- pseudonyms; no transcript, survey or visitor-name text leaves this model.
-- @column engagement_id: LivePerson engagementId
-- @column start_time: chat start (UTC)
-- @column end_time: chat end (UTC)
-- @column requested_time: when the visitor asked for a chat (UTC)
-- @column duration_seconds: end_time − start_time in seconds
-- @column skill_id: LivePerson skill id
-- @column skill_name: LivePerson skill name
-- @column agent_id: LivePerson id of the agent who handled the chat
-- @column agent_name: the agent's full name (nickname when no full name)
-- @column agent_group: the agent group's name
-- @column channel: LivePerson channel code (1 = web chat)
-- @column start_reason: why the chat started (e.g. Transfer)
-- @column end_reason: why the chat ended
-- @column mcs: meaningful connection score of the engagement (0–100), NULL when LivePerson sent -1
-- @column chat_mcs: the chat's MCS (0–100), NULL when absent
-- @column alerted_mcs: alerted MCS: -1 negative, 0 neutral, 1 positive
-- @column is_interactive: true when the visitor and agent exchanged lines
-- @column is_partial: true if LivePerson still marked the record partial (should not happen after the sync)
-- @column device: visitor device class (DESKTOP, MOBILE, TABLET …)
-- @column operating_system: visitor operating system
-- @column browser: visitor browser family
-- @column country: visitor country
-- @column campaign_name: LivePerson campaign
-- @column start_path: path of the page the chat started on (no host, no query)
-- @column visitor_pseudonym: keyed pseudonym of LivePerson's visitor id
-- @column email_pseudonyms: keyed pseudonyms of the emails the visitor gave
-- @column visitor_name: the visitor's name, NULL unless SI_PUBLISH_VISITOR_IDENTITIES=true
WITH source AS (
  SELECT *, record_json::JSON AS j FROM liveperson.engagements
)
SELECT
  engagement_id,
  start_time,
  end_time,
  CASE WHEN (j ->> '$.info.chatRequestedTimeL') IS NOT NULL
    THEN make_timestamp(CAST(j ->> '$.info.chatRequestedTimeL' AS BIGINT) * 1000) END AS requested_time,
  CAST(epoch_ms(end_time) - epoch_ms(start_time) AS DOUBLE) / 1000 AS duration_seconds,
  j ->> '$.info.skillId' AS skill_id,
  nullif(j ->> '$.info.skillName', '') AS skill_name,
  nullif(j ->> '$.info.agentId', '') AS agent_id,
  coalesce(nullif(j ->> '$.info.agentFullName', ''), nullif(j ->> '$.info.agentNickName', ''), nullif(j ->> '$.info.agentName', '')) AS agent_name,
  nullif(j ->> '$.info.agentGroupName', '') AS agent_group,
  TRY_CAST(j ->> '$.info.channel' AS INTEGER) AS channel,
  nullif(j ->> '$.info.startReasonDesc', '') AS start_reason,
  nullif(j ->> '$.info.endReasonDesc', '') AS end_reason,
  CASE WHEN TRY_CAST(j ->> '$.info.mcs' AS INTEGER) >= 0 THEN TRY_CAST(j ->> '$.info.mcs' AS INTEGER) END AS mcs,
  CASE WHEN TRY_CAST(j ->> '$.info.chatMCS' AS INTEGER) >= 0 THEN TRY_CAST(j ->> '$.info.chatMCS' AS INTEGER) END AS chat_mcs,
  TRY_CAST(j ->> '$.info.alertedMCS' AS INTEGER) AS alerted_mcs,
  coalesce(TRY_CAST(j ->> '$.info.isInteractive' AS BOOLEAN), TRY_CAST(j ->> '$.info.interactive' AS BOOLEAN)) AS is_interactive,
  coalesce(TRY_CAST(j ->> '$.info.isPartial' AS BOOLEAN), false) AS is_partial,
  nullif(j ->> '$.visitorInfo.device', '') AS device,
  nullif(j ->> '$.visitorInfo.operatingSystem', '') AS operating_system,
  nullif(j ->> '$.visitorInfo.browserType', '') AS browser,
  nullif(j ->> '$.visitorInfo.country', '') AS country,
  nullif(j ->> '$.campaign.campaignName', '') AS campaign_name,
  url_path(j ->> '$.info.chatStartUrl') AS start_path,
  visitor_pseudonym,
  email_pseudonyms,
  CASE WHEN getvariable('publish_identities') THEN nullif(j ->> '$.info.visitorName', '') END AS visitor_name
FROM source
