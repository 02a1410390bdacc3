-- Views for cross-agency reporting. Recreated on every load.

-- One line per agency-year with the figures a county reviewer compares first.
-- Joins of per-agency-year aggregates (not correlated subqueries): one pass over each fact table.
CREATE OR REPLACE VIEW v_agency_year AS
WITH app AS (
    SELECT agency_code, year,
           max(value) FILTER (WHERE row_key = '1') AS applications_received,
           max(value) FILTER (WHERE row_key = '2') AS applications_carried_in,
           max(value) FILTER (WHERE row_key = '3.7') AS applications_closed,
           max(value) FILTER (WHERE row_key = '4') AS applications_carried_out
    FROM fact_application WHERE column_key = 'total' AND row_key IN ('1', '2', '3.7', '4')
    GROUP BY agency_code, year
),
ch AS (SELECT agency_code, year, sum(value)::BIGINT AS items_published FROM fact_channel GROUP BY agency_code, year),
doc AS (
    SELECT agency_code, year, value AS normative_documents_in_force FROM fact_proactive
    WHERE item = 'normative_document' AND metric = 'in_force'
),
rev AS (SELECT agency_code, year, sum(value)::BIGINT AS appeal_cases FROM fact_appeal WHERE result = 'total' GROUP BY agency_code, year),
chk AS (SELECT agency_code, year, count(*) FILTER (WHERE status = 'fail') AS checks_failed FROM check_result GROUP BY agency_code, year)
SELECT
    ay.agency_code,
    d.agency_name,
    d.county,
    d.city,
    d.province,
    d.level,
    ay.year,
    ay.complete,
    ay.quarantined_rows,
    ay.fees_yuan,
    coalesce(ch.items_published, 0) AS items_published,
    app.applications_received,
    app.applications_carried_in,
    app.applications_closed,
    app.applications_carried_out,
    doc.normative_documents_in_force,
    coalesce(rev.appeal_cases, 0) AS appeal_cases,
    coalesce(chk.checks_failed, 0) AS checks_failed
FROM agency_year ay
JOIN dim_agency d USING (agency_code)
LEFT JOIN app USING (agency_code, year)
LEFT JOIN ch USING (agency_code, year)
LEFT JOIN doc USING (agency_code, year)
LEFT JOIN rev USING (agency_code, year)
LEFT JOIN chk USING (agency_code, year);
COMMENT ON VIEW v_agency_year IS 'one row per agency-year: headline figures, completeness, failed checks';

-- County totals per year, computed; each load stores them in county_year, which v_county_year reads.
CREATE OR REPLACE VIEW v_county_year_live AS
SELECT
    province,
    city,
    county,
    year,
    count(*) AS agencies,
    count(*) FILTER (WHERE NOT complete) AS agencies_incomplete,
    count(*) FILTER (WHERE checks_failed > 0) AS agencies_failing_checks,
    sum(items_published)::BIGINT AS items_published,
    sum(applications_received)::BIGINT AS applications_received,
    sum(applications_carried_in)::BIGINT AS applications_carried_in,
    sum(applications_closed)::BIGINT AS applications_closed,
    sum(applications_carried_out)::BIGINT AS applications_carried_out,
    sum(normative_documents_in_force)::BIGINT AS normative_documents_in_force,
    sum(appeal_cases)::BIGINT AS appeal_cases,
    sum(fees_yuan) AS fees_yuan,
    sum(quarantined_rows)::BIGINT AS quarantined_rows
FROM v_agency_year
GROUP BY ALL;
COMMENT ON VIEW v_county_year_live IS 'county totals per year computed from the facts now (what each load stores in county_year)';

CREATE OR REPLACE VIEW v_county_year AS SELECT * FROM county_year;
COMMENT ON VIEW v_county_year IS 'county totals per year (sums over v_agency_year), as stored by the latest load: answers at once on a national warehouse';

-- Each agency's change against the year before.
CREATE OR REPLACE VIEW v_agency_yoy AS
SELECT
    cur.agency_code,
    cur.agency_name,
    cur.county,
    cur.year,
    cur.items_published,
    prev.items_published AS items_published_prev,
    cur.items_published - prev.items_published AS items_published_change,
    cur.applications_received,
    prev.applications_received AS applications_received_prev,
    cur.applications_received - prev.applications_received AS applications_received_change,
    cur.normative_documents_in_force,
    prev.normative_documents_in_force AS normative_documents_in_force_prev,
    cur.normative_documents_in_force - prev.normative_documents_in_force AS normative_documents_in_force_change
FROM v_agency_year cur
LEFT JOIN v_agency_year prev ON prev.agency_code = cur.agency_code AND prev.year = cur.year - 1;
COMMENT ON VIEW v_agency_yoy IS 'each agency-year against the year before (null where that year is not loaded)';

-- Every check that did not pass.
CREATE OR REPLACE VIEW v_check_issues AS
SELECT k.agency_code, d.agency_name, d.county, k.year, k.check_id, k.severity, k.status, k.message
FROM check_result k
JOIN dim_agency d USING (agency_code)
WHERE k.status <> 'pass';
COMMENT ON VIEW v_check_issues IS 'consistency checks that failed (error) or warned, per agency-year';

-- Quarantine per agency-year, by rule.
CREATE OR REPLACE VIEW v_quarantine_agency_year AS
SELECT q.agency_code, d.agency_name, q.year, q.kind, q.rule, count(*) AS rows
FROM quarantine q
LEFT JOIN dim_agency d USING (agency_code)
GROUP BY ALL;
COMMENT ON VIEW v_quarantine_agency_year IS 'quarantined rows per agency (as typed; unknown agencies have no name), year of the row and rule';

-- Where computed and published figures for the same agency-year differ (or only one side has the cell).
CREATE OR REPLACE VIEW v_computed_vs_published AS
WITH pairs AS (
    SELECT 'P' AS tbl, coalesce(c.agency_code, p.agency_code) AS agency_code, coalesce(c.year, p.year) AS year,
           coalesce(c.item, p.item) AS row_key, coalesce(c.metric, p.metric) AS column_key, c.value AS computed, p.value AS published, p.source
    FROM fact_proactive c
    FULL JOIN published_proactive p ON p.agency_code = c.agency_code AND p.year = c.year AND p.item = c.item AND p.metric = c.metric
    UNION ALL
    SELECT 'A', coalesce(c.agency_code, p.agency_code), coalesce(c.year, p.year), coalesce(c.row_key, p.row_key),
           coalesce(c.column_key, p.column_key), c.value, p.value, p.source
    FROM fact_application c
    FULL JOIN published_application p ON p.agency_code = c.agency_code AND p.year = c.year AND p.row_key = c.row_key AND p.column_key = c.column_key
    UNION ALL
    SELECT 'R', coalesce(c.agency_code, p.agency_code), coalesce(c.year, p.year), coalesce(c.group_key, p.group_key),
           coalesce(c.result, p.result), c.value, p.value, p.source
    FROM fact_appeal c
    FULL JOIN published_appeal p ON p.agency_code = c.agency_code AND p.year = c.year AND p.group_key = c.group_key AND p.result = c.result
    UNION ALL
    SELECT 'channels', coalesce(c.agency_code, p.agency_code), coalesce(c.year, p.year), coalesce(c.channel, p.channel), 'items',
           c.value, p.value, p.source
    FROM fact_channel c
    FULL JOIN published_channel p ON p.agency_code = c.agency_code AND p.year = c.year AND p.channel = c.channel
)
SELECT pairs.agency_code, d.agency_name, pairs.year, tbl AS "table", row_key, column_key, computed, published, source
FROM pairs
LEFT JOIN dim_agency d USING (agency_code)
WHERE (agency_code, year) IN (SELECT agency_code, year FROM published_report WHERE agency_code IS NOT NULL)
  AND (agency_code, year) IN (SELECT agency_code, year FROM agency_year)
  AND computed IS DISTINCT FROM published
  AND NOT (tbl = 'channels' AND coalesce(computed, 0) = 0 AND published IS NULL);
COMMENT ON VIEW v_computed_vs_published IS 'cells where gongkai''s computed figures and a loaded published report of the same agency-year differ';

-- Every application with its statutory due date and whether it was answered by then.
CREATE OR REPLACE VIEW v_application_deadline AS
SELECT
    a.agency_code,
    d.agency_name,
    a.application_id,
    a.year,
    a.received_on,
    a.clock_start_on,
    a.limit_working_days,
    a.third_party_days,
    a.due_on,
    a.closed_on,
    a.working_days_used,
    a.status,
    a.unknown_reason
FROM application_deadline a
LEFT JOIN dim_agency d USING (agency_code);
COMMENT ON VIEW v_application_deadline IS 'one row per application and agency: statutory due date (20 working days, 40 when extended, on the official calendar) and status on_time, late, open or unknown';

-- Answers per agency and the year they were given in: how many, on time, late, the longest.
CREATE OR REPLACE VIEW v_deadline_agency_year AS
SELECT
    agency_code,
    year(closed_on)::INTEGER AS year,
    count(*) AS answered,
    count(*) FILTER (WHERE status = 'on_time') AS on_time,
    count(*) FILTER (WHERE status = 'late') AS late,
    count(*) FILTER (WHERE status = 'unknown') AS unknown,
    CASE WHEN count(*) FILTER (WHERE status IN ('on_time', 'late')) > 0
         THEN count(*) FILTER (WHERE status = 'on_time') / count(*) FILTER (WHERE status IN ('on_time', 'late')) END AS on_time_rate,
    max(working_days_used) AS longest_working_days
FROM application_deadline
WHERE closed_on IS NOT NULL
GROUP BY ALL;
COMMENT ON VIEW v_deadline_agency_year IS 'per agency and year of answer: applications answered, on time, late, unknown, on-time rate and the most working days used';
