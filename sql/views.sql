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

-- ------------------------------------------------------------------ labelled views
-- The facts with the labels of their keys (label_* tables), in form order. Read these to see a result the way
-- the published form prints it; the key columns stay for joins.

CREATE OR REPLACE VIEW v_proactive_labelled AS
SELECT f.agency_code, d.agency_name, f.year,
       i.position AS item_position, f.item, i.label AS item_label, i.label_en AS item_label_en,
       m.position AS metric_position, f.metric, m.label AS metric_label, m.label_en AS metric_label_en,
       f.value
FROM fact_proactive f
JOIN dim_agency d USING (agency_code)
JOIN label_proactive_item i USING (item)
JOIN label_proactive_metric m USING (metric)
ORDER BY f.agency_code, f.year, i.position, m.position;
COMMENT ON VIEW v_proactive_labelled IS '表P with labels: one row per agency, year, item and metric, in form order';

CREATE OR REPLACE VIEW v_application_labelled AS
SELECT f.agency_code, d.agency_name, f.year,
       r.position AS row_position, f.row_key, r.label AS row_label, r.group_label AS row_group, r.label_en AS row_label_en,
       c.position AS column_position, f.column_key, c.label AS column_label, c.group_label AS column_group,
       c.label_en AS column_label_en,
       f.value
FROM fact_application f
JOIN dim_agency d USING (agency_code)
JOIN label_application_row r USING (row_key)
JOIN label_application_column c USING (column_key)
ORDER BY f.agency_code, f.year, r.position, c.position;
COMMENT ON VIEW v_application_labelled IS '表A with labels: one row per agency, year, row (行) and column (列), in form order';

-- Table A as printed: one line per agency-year and row, the seven applicant columns side by side.
CREATE OR REPLACE VIEW v_table_a AS
SELECT f.agency_code, d.agency_name, f.year, r.position AS row_position, f.row_key, r.label AS row_label,
       r.label_en AS row_label_en,
       max(f.value) FILTER (WHERE f.column_key = 'natural_person') AS natural_person,
       max(f.value) FILTER (WHERE f.column_key = 'commercial') AS commercial,
       max(f.value) FILTER (WHERE f.column_key = 'research') AS research,
       max(f.value) FILTER (WHERE f.column_key = 'social_welfare') AS social_welfare,
       max(f.value) FILTER (WHERE f.column_key = 'legal_service') AS legal_service,
       max(f.value) FILTER (WHERE f.column_key = 'other_org') AS other_org,
       max(f.value) FILTER (WHERE f.column_key = 'total') AS total
FROM fact_application f
JOIN dim_agency d USING (agency_code)
JOIN label_application_row r USING (row_key)
GROUP BY ALL
ORDER BY f.agency_code, f.year, r.position;
COMMENT ON VIEW v_table_a IS '表A as the form prints it: one row per agency-year and form row (行), one column per applicant column (列), in form order';

CREATE OR REPLACE VIEW v_appeal_labelled AS
SELECT f.agency_code, d.agency_name, f.year,
       g.position AS group_position, f.group_key, g.label AS group_label, g.label_en AS group_label_en,
       r.position AS result_position, f.result, r.label AS result_label, r.label_en AS result_label_en,
       f.value
FROM fact_appeal f
JOIN dim_agency d USING (agency_code)
JOIN label_appeal_group g USING (group_key)
JOIN label_appeal_result r USING (result)
ORDER BY f.agency_code, f.year, g.position, r.position;
COMMENT ON VIEW v_appeal_labelled IS '表R with labels: one row per agency, year, case group and result, in form order';

CREATE OR REPLACE VIEW v_channel_labelled AS
SELECT f.agency_code, d.agency_name, f.year,
       c.position AS channel_position, f.channel, c.label AS channel_label, c.label_en AS channel_label_en,
       f.value
FROM fact_channel f
JOIN dim_agency d USING (agency_code)
JOIN label_channel c USING (channel)
ORDER BY f.agency_code, f.year, c.position;
COMMENT ON VIEW v_channel_labelled IS '总体情况 with labels: items published per agency, year and channel, in the order of the vocabulary';

CREATE OR REPLACE VIEW v_check_labelled AS
SELECT k.agency_code, d.agency_name, k.year, l.position AS check_position, k.check_id, l.label AS check_label,
       l.label_en AS check_label_en, k.severity, k.status, k.message
FROM check_result k
JOIN dim_agency d USING (agency_code)
JOIN label_check l USING (check_id)
ORDER BY k.agency_code, k.year, l.position;
COMMENT ON VIEW v_check_labelled IS '勾稽关系 with labels: every consistency check per agency-year, with the relation in Chinese and English';

-- Columns of the labelled views.
COMMENT ON COLUMN v_proactive_labelled.agency_code IS 'dim_agency.agency_code';
COMMENT ON COLUMN v_proactive_labelled.agency_name IS '机构名称 (dim_agency)';
COMMENT ON COLUMN v_proactive_labelled.year IS 'report year';
COMMENT ON COLUMN v_proactive_labelled.item_position IS 'position of the item in table P';
COMMENT ON COLUMN v_proactive_labelled.item IS 'item key';
COMMENT ON COLUMN v_proactive_labelled.item_label IS '项目 (official label)';
COMMENT ON COLUMN v_proactive_labelled.item_label_en IS 'item, English';
COMMENT ON COLUMN v_proactive_labelled.metric_position IS 'position of the metric among the item''s columns';
COMMENT ON COLUMN v_proactive_labelled.metric IS 'metric key';
COMMENT ON COLUMN v_proactive_labelled.metric_label IS '指标 (official column heading)';
COMMENT ON COLUMN v_proactive_labelled.metric_label_en IS 'metric, English';
COMMENT ON COLUMN v_proactive_labelled.value IS 'count, or 万元 for amount_wan_yuan';
COMMENT ON COLUMN v_application_labelled.agency_code IS 'dim_agency.agency_code';
COMMENT ON COLUMN v_application_labelled.agency_name IS '机构名称 (dim_agency)';
COMMENT ON COLUMN v_application_labelled.year IS 'report year';
COMMENT ON COLUMN v_application_labelled.row_position IS 'position of the row in table A (1–25)';
COMMENT ON COLUMN v_application_labelled.row_key IS 'row key';
COMMENT ON COLUMN v_application_labelled.row_label IS '行: the row''s label as printed';
COMMENT ON COLUMN v_application_labelled.row_group IS 'the heading the row sits under (null for rows 1, 2, 4)';
COMMENT ON COLUMN v_application_labelled.row_label_en IS 'row, English';
COMMENT ON COLUMN v_application_labelled.column_position IS 'position of the column (1–7)';
COMMENT ON COLUMN v_application_labelled.column_key IS 'column key';
COMMENT ON COLUMN v_application_labelled.column_label IS '列: the column heading as printed';
COMMENT ON COLUMN v_application_labelled.column_group IS '申请人情况 or 法人或其他组织 (null for 总计)';
COMMENT ON COLUMN v_application_labelled.column_label_en IS 'column, English';
COMMENT ON COLUMN v_application_labelled.value IS 'number of applications';
COMMENT ON COLUMN v_table_a.agency_code IS 'dim_agency.agency_code';
COMMENT ON COLUMN v_table_a.agency_name IS '机构名称 (dim_agency)';
COMMENT ON COLUMN v_table_a.year IS 'report year';
COMMENT ON COLUMN v_table_a.row_position IS 'position of the row in table A (1–25)';
COMMENT ON COLUMN v_table_a.row_key IS 'row key';
COMMENT ON COLUMN v_table_a.row_label IS '行: the row''s label as printed';
COMMENT ON COLUMN v_table_a.row_label_en IS 'row, English';
COMMENT ON COLUMN v_table_a.natural_person IS '自然人';
COMMENT ON COLUMN v_table_a.commercial IS '法人或其他组织: 商业企业';
COMMENT ON COLUMN v_table_a.research IS '法人或其他组织: 科研机构';
COMMENT ON COLUMN v_table_a.social_welfare IS '法人或其他组织: 社会公益组织';
COMMENT ON COLUMN v_table_a.legal_service IS '法人或其他组织: 法律服务机构';
COMMENT ON COLUMN v_table_a.other_org IS '法人或其他组织: 其他';
COMMENT ON COLUMN v_table_a.total IS '总计';
COMMENT ON COLUMN v_appeal_labelled.agency_code IS 'dim_agency.agency_code';
COMMENT ON COLUMN v_appeal_labelled.agency_name IS '机构名称 (dim_agency)';
COMMENT ON COLUMN v_appeal_labelled.year IS 'report year';
COMMENT ON COLUMN v_appeal_labelled.group_position IS 'position of the case group (1–3)';
COMMENT ON COLUMN v_appeal_labelled.group_key IS 'group key';
COMMENT ON COLUMN v_appeal_labelled.group_label IS '案件类型 (行政复议, 行政诉讼（未经复议直接起诉）, 行政诉讼（复议后起诉）)';
COMMENT ON COLUMN v_appeal_labelled.group_label_en IS 'group, English';
COMMENT ON COLUMN v_appeal_labelled.result_position IS 'position of the result (1–5)';
COMMENT ON COLUMN v_appeal_labelled.result IS 'result key';
COMMENT ON COLUMN v_appeal_labelled.result_label IS '结果 (official column heading)';
COMMENT ON COLUMN v_appeal_labelled.result_label_en IS 'result, English';
COMMENT ON COLUMN v_appeal_labelled.value IS 'number of cases';
COMMENT ON COLUMN v_channel_labelled.agency_code IS 'dim_agency.agency_code';
COMMENT ON COLUMN v_channel_labelled.agency_name IS '机构名称 (dim_agency)';
COMMENT ON COLUMN v_channel_labelled.year IS 'report year';
COMMENT ON COLUMN v_channel_labelled.channel_position IS 'position of the channel in the vocabulary';
COMMENT ON COLUMN v_channel_labelled.channel IS 'channel key';
COMMENT ON COLUMN v_channel_labelled.channel_label IS '发布渠道 (official name)';
COMMENT ON COLUMN v_channel_labelled.channel_label_en IS 'channel, English';
COMMENT ON COLUMN v_channel_labelled.value IS 'number of items published';
COMMENT ON COLUMN v_check_labelled.agency_code IS 'dim_agency.agency_code';
COMMENT ON COLUMN v_check_labelled.agency_name IS '机构名称 (dim_agency)';
COMMENT ON COLUMN v_check_labelled.year IS 'report year';
COMMENT ON COLUMN v_check_labelled.check_position IS 'position of the relation';
COMMENT ON COLUMN v_check_labelled.check_id IS 'relation id (A1 …)';
COMMENT ON COLUMN v_check_labelled.check_label IS 'the relation in Chinese';
COMMENT ON COLUMN v_check_labelled.check_label_en IS 'the relation in English';
COMMENT ON COLUMN v_check_labelled.severity IS 'error or warning';
COMMENT ON COLUMN v_check_labelled.status IS 'pass, warn or fail';
COMMENT ON COLUMN v_check_labelled.message IS 'what failed, in Chinese and English';
