-- Functions the models share. Loaded before every model.

-- The instant an hour-earlier wall-clock time maps to, plus that hour: in the
-- repeated fall-back hour this is the first of the two instants.
CREATE OR REPLACE MACRO earlier_instant(local_ts, zone) AS
  timezone(zone, local_ts - INTERVAL 1 HOUR) + INTERVAL 1 HOUR;

-- A wall-clock time without offset, read in an IANA zone, as a UTC TIMESTAMP.
-- Same rule as data-loaders/agendize/timezone.ts ("compatible"): a time in the
-- spring-forward gap is read with the offset before the change, and a time in
-- the repeated fall-back hour is the earlier of its two instants. DuckDB's own
-- timezone() picks the later one there, hence the one-hour probe. A value that
-- carries an offset is read with it.
CREATE OR REPLACE MACRO local_to_utc(local_text, zone) AS (
  CASE
    WHEN local_text IS NULL THEN NULL
    WHEN regexp_matches(local_text, '(Z|[+-]\d{2}:?\d{2})$') THEN CAST(CAST(local_text AS TIMESTAMPTZ) AS TIMESTAMP)
    WHEN earlier_instant(CAST(local_text AS TIMESTAMP), zone) < timezone(zone, CAST(local_text AS TIMESTAMP))
      AND timezone(zone, earlier_instant(CAST(local_text AS TIMESTAMP), zone)) = CAST(local_text AS TIMESTAMP)
      THEN CAST(earlier_instant(CAST(local_text AS TIMESTAMP), zone) AS TIMESTAMP)
    ELSE CAST(timezone(zone, CAST(local_text AS TIMESTAMP)) AS TIMESTAMP)
  END
);

-- Path of a URL: no scheme, host, query or fragment (queries can carry personal data).
CREATE OR REPLACE MACRO url_path(url) AS
  nullif(regexp_extract(url, '^[a-zA-Z][a-zA-Z0-9+.-]*://[^/?#]*([^?#]*)', 1), '');

-- A stable key for an agent across sources: the name, lower-cased, accents kept,
-- runs of anything but letters and digits turned into one dash.
CREATE OR REPLACE MACRO agent_key(name) AS
  nullif(trim(regexp_replace(lower(trim(name)), '[^\p{L}\p{N}]+', '-', 'g'), '-'), '');

-- Sum and mean of DOUBLE seconds that do not depend on the order rows arrive in:
-- summed exactly as decimals (to the nanosecond), rounded to DOUBLE once. A plain
-- sum of doubles rounds at every step, so the same rows read in another order (a
-- table updated in place versus one built from scratch) could differ in the last bit.
CREATE OR REPLACE MACRO exact_sum(seconds) AS
  CAST(sum(CAST(seconds AS DECIMAL(38, 9))) AS DOUBLE);

CREATE OR REPLACE MACRO exact_avg(seconds) AS
  CAST(avg(CAST(seconds AS DECIMAL(38, 9))) AS DOUBLE);
