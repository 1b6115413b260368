/** The query behind the stack-check page: 90 days of deterministic sample counts. */
export const STACK_CHECK_QUERY = `
  SELECT
    (DATE '2026-01-01' + INTERVAL (d) DAY)::TIMESTAMP AS day,
    channel,
    ((d * 37 + c * 11) % 23 + 5 + c * 4)::INTEGER AS interactions
  FROM range(90) AS days(d)
  CROSS JOIN (VALUES (0, 'co-browse'), (1, 'chat'), (2, 'chat history')) AS channels(c, channel)
  ORDER BY day, channel`;
