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
-- @column start_reason: why the chat started (e.g. Transfer), as LivePerson describes it
-- @column end_reason: why the chat ended, as LivePerson describes it
-- @column start_reason_code: LivePerson's start reason code (numeric text)
-- @column end_reason_code: LivePerson's end reason code (numeric text)
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
-- @unique engagement_id
-- @not_null engagement_id, start_time
-- @incremental_key engagement_id
WITH source AS (
  -- One from_json per record: DuckDB parses the JSON once into a typed struct
  -- (a ->> per field parses it again for every field, which ran out of memory).
  SELECT
    engagement_id, start_time, end_time, visitor_pseudonym, email_pseudonyms,
    from_json(record_json, '{
      "info": {"chatRequestedTimeL": "BIGINT", "skillId": "VARCHAR", "skillName": "VARCHAR", "agentId": "VARCHAR",
               "agentFullName": "VARCHAR", "agentNickName": "VARCHAR", "agentName": "VARCHAR", "agentGroupName": "VARCHAR",
               "channel": "INTEGER", "startReason": "VARCHAR", "startReasonDesc": "VARCHAR", "endReason": "VARCHAR", "endReasonDesc": "VARCHAR", "mcs": "INTEGER",
               "chatMCS": "INTEGER", "alertedMCS": "INTEGER", "isInteractive": "BOOLEAN", "interactive": "BOOLEAN",
               "isPartial": "BOOLEAN", "chatStartUrl": "VARCHAR", "visitorName": "VARCHAR"},
      "visitorInfo": {"device": "VARCHAR", "operatingSystem": "VARCHAR", "browserType": "VARCHAR", "country": "VARCHAR"},
      "campaign": {"campaignName": "VARCHAR"}
    }') AS r
  FROM liveperson.engagements
)
SELECT
  engagement_id,
  start_time,
  end_time,
  make_timestamp(r.info.chatRequestedTimeL * 1000) AS requested_time,
  CAST(epoch_ms(end_time) - epoch_ms(start_time) AS DOUBLE) / 1000 AS duration_seconds,
  r.info.skillId AS skill_id,
  nullif(r.info.skillName, '') AS skill_name,
  nullif(r.info.agentId, '') AS agent_id,
  coalesce(nullif(r.info.agentFullName, ''), nullif(r.info.agentNickName, ''), nullif(r.info.agentName, '')) AS agent_name,
  nullif(r.info.agentGroupName, '') AS agent_group,
  r.info.channel AS channel,
  nullif(r.info.startReasonDesc, '') AS start_reason,
  nullif(r.info.endReasonDesc, '') AS end_reason,
  nullif(trim(r.info.startReason), '') AS start_reason_code,
  nullif(trim(r.info.endReason), '') AS end_reason_code,
  CASE WHEN r.info.mcs >= 0 THEN r.info.mcs END AS mcs,
  CASE WHEN r.info.chatMCS >= 0 THEN r.info.chatMCS END AS chat_mcs,
  r.info.alertedMCS AS alerted_mcs,
  coalesce(r.info.isInteractive, r.info.interactive) AS is_interactive,
  coalesce(r.info.isPartial, false) AS is_partial,
  nullif(r.visitorInfo.device, '') AS device,
  nullif(r.visitorInfo.operatingSystem, '') AS operating_system,
  nullif(r.visitorInfo.browserType, '') AS browser,
  nullif(r.visitorInfo.country, '') AS country,
  nullif(r.campaign.campaignName, '') AS campaign_name,
  url_path(r.info.chatStartUrl) AS start_path,
  visitor_pseudonym,
  email_pseudonyms,
  CASE WHEN getvariable('publish_identities') THEN nullif(r.info.visitorName, '') END AS visitor_name
FROM source
