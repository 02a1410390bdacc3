-- Every table and column documented in the warehouse itself (duckdb_tables(), duckdb_columns()).

COMMENT ON TABLE dim_agency IS '报告机构 / reporting agencies, one row per agency (from agencies.csv|xlsx of the raw root)';
COMMENT ON COLUMN dim_agency.agency_code IS '统一社会信用代码 (GB 32100, 18 characters)';
COMMENT ON COLUMN dim_agency.agency_name IS '机构名称';
COMMENT ON COLUMN dim_agency.division_code IS '行政区划代码 (12 digits)';
COMMENT ON COLUMN dim_agency.county IS '所属县（市、区）';
COMMENT ON COLUMN dim_agency.city IS '所属市';
COMMENT ON COLUMN dim_agency.province IS '所属省';
COMMENT ON COLUMN dim_agency.level IS '层级: township, county_department, county_government, city_department, ...';

COMMENT ON TABLE fact_proactive IS '表P 主动公开政府信息情况: one row per agency, year, item and metric; zeros stored';
COMMENT ON COLUMN fact_proactive.agency_code IS 'dim_agency.agency_code';
COMMENT ON COLUMN fact_proactive.year IS 'report year (calendar year of the figures)';
COMMENT ON COLUMN fact_proactive.item IS 'regulation 规章, normative_document 行政规范性文件, license 行政许可, penalty 行政处罚, enforcement 行政强制, admin_fee 行政事业性收费';
COMMENT ON COLUMN fact_proactive.metric IS 'issued 本年制发件数, repealed 本年废止件数, in_force 现行有效件数 (on 31 Dec), decisions 本年处理决定数量, amount_wan_yuan 本年收费金额（万元）';
COMMENT ON COLUMN fact_proactive.value IS 'count, or amount in 万元 (4 decimals) for amount_wan_yuan';

COMMENT ON TABLE fact_application IS '表A 收到和处理政府信息公开申请情况: 25 rows × 7 columns per agency-year; zeros stored';
COMMENT ON COLUMN fact_application.agency_code IS 'dim_agency.agency_code';
COMMENT ON COLUMN fact_application.year IS 'report year';
COMMENT ON COLUMN fact_application.row_key IS 'row of table A: 1 新收, 2 上年结转, 3.1–3.6.3 办理结果, 3.7 总计, 4 结转下年度';
COMMENT ON COLUMN fact_application.column_key IS 'applicant column: natural_person, commercial, research, social_welfare, legal_service, other_org, total';
COMMENT ON COLUMN fact_application.value IS 'number of applications';

COMMENT ON TABLE fact_appeal IS '表R 政府信息公开行政复议、行政诉讼情况: 15 numbers per agency-year; zeros stored';
COMMENT ON COLUMN fact_appeal.agency_code IS 'dim_agency.agency_code';
COMMENT ON COLUMN fact_appeal.year IS 'report year';
COMMENT ON COLUMN fact_appeal.group_key IS 'review 行政复议, litigation_direct 未经复议直接起诉, litigation_after_review 复议后起诉';
COMMENT ON COLUMN fact_appeal.result IS 'upheld 结果维持, corrected 结果纠正, other 其他结果, pending 尚未审结, total 总计';
COMMENT ON COLUMN fact_appeal.value IS 'number of cases';

COMMENT ON TABLE fact_channel IS '总体情况: items proactively published in the year, per channel; zeros stored';
COMMENT ON COLUMN fact_channel.agency_code IS 'dim_agency.agency_code';
COMMENT ON COLUMN fact_channel.year IS 'report year';
COMMENT ON COLUMN fact_channel.channel IS 'portal_column 政府信息公开专栏, website 政府网站, gazette 政府公报, wechat 微信公众号, weibo 政务微博, press_conference 新闻发布会, print_broadcast 报刊广播电视, reading_room 公开查阅点, other 其他';
COMMENT ON COLUMN fact_channel.value IS 'number of items published';

COMMENT ON TABLE agency_year IS 'one row per agency-year loaded: completeness and figures outside the three tables';
COMMENT ON COLUMN agency_year.agency_code IS 'dim_agency.agency_code';
COMMENT ON COLUMN agency_year.year IS 'report year';
COMMENT ON COLUMN agency_year.complete IS 'false when ledger rows of this agency-year sit in quarantine: the report is then a draft';
COMMENT ON COLUMN agency_year.quarantined_rows IS 'quarantined raw rows that belong to this agency-year';
COMMENT ON COLUMN agency_year.fees_yuan IS '信息处理费 collected in the year, in 元 (section 6 of the report)';

COMMENT ON TABLE check_result IS '勾稽关系: outcome of every consistency relation per agency-year (national-format.md)';
COMMENT ON COLUMN check_result.agency_code IS 'dim_agency.agency_code';
COMMENT ON COLUMN check_result.year IS 'report year';
COMMENT ON COLUMN check_result.check_id IS 'A1, A2, A3, A4, R1, P1, N1';
COMMENT ON COLUMN check_result.severity IS 'error or warning (P1 is a warning)';
COMMENT ON COLUMN check_result.status IS 'pass, warn or fail';
COMMENT ON COLUMN check_result.message IS 'what failed, in Chinese and English';

COMMENT ON TABLE quarantine IS 'one row per rejected raw ledger row, from the latest load';
COMMENT ON COLUMN quarantine.kind IS 'agencies, disclosures, applications or appeals';
COMMENT ON COLUMN quarantine.path IS 'ledger file, relative to the raw root';
COMMENT ON COLUMN quarantine."row" IS 'row number a person sees in the file (header = row 1)';
COMMENT ON COLUMN quarantine.agency_code IS 'agency code as typed in the row (may be invalid)';
COMMENT ON COLUMN quarantine.record_id IS 'item_id / application_id / case_id of the row';
COMMENT ON COLUMN quarantine.rule IS 'the first rule the row breaks (schemas/rules.py)';
COMMENT ON COLUMN quarantine."column" IS 'the column that rule is about';
COMMENT ON COLUMN quarantine.value IS 'what the row holds in that column';
COMMENT ON COLUMN quarantine.message IS 'what to fix, in Chinese and English';
COMMENT ON COLUMN quarantine.rules IS 'every rule the row breaks, comma-separated';
COMMENT ON COLUMN quarantine.year IS 'year of the row''s own date when readable (published_on, received_on, filed_on)';
COMMENT ON COLUMN quarantine.end_year IS 'year it was closed or concluded, null while open or unreadable';
COMMENT ON COLUMN quarantine.superseded IS 'a later export holds an accepted version of the same record: the row no longer makes its agency-year incomplete';

COMMENT ON TABLE ledger_file IS 'per ledger file of the latest load: rows read = accepted + quarantined';
COMMENT ON COLUMN ledger_file.path IS 'ledger file, relative to the raw root';
COMMENT ON COLUMN ledger_file.kind IS 'agencies, disclosures, applications or appeals';
COMMENT ON COLUMN ledger_file.encoding IS 'detected text encoding of a CSV (utf-8, utf-8-sig, gb18030)';
COMMENT ON COLUMN ledger_file."rows" IS 'data rows read (blank lines not counted); null when the file was rejected whole';
COMMENT ON COLUMN ledger_file.accepted IS 'rows accepted';
COMMENT ON COLUMN ledger_file.quarantined IS 'rows quarantined';
COMMENT ON COLUMN ledger_file.error_rule IS 'file_encoding, file_unreadable or columns_missing when the file was rejected';
COMMENT ON COLUMN ledger_file.error IS 'why, in Chinese and English';

COMMENT ON TABLE published_report IS 'published annual reports read by gongkai check --load: one row per report file';
COMMENT ON COLUMN published_report.source IS 'the report file as given to gongkai check';
COMMENT ON COLUMN published_report.agency_code IS 'dim_agency.agency_code whose name matches the report''s agency; null when none does';
COMMENT ON COLUMN published_report.agency_name IS 'agency name as printed in the report';
COMMENT ON COLUMN published_report.year IS 'report year as printed';
COMMENT ON COLUMN published_report.format IS 'national-2021 or trial-2019';
COMMENT ON COLUMN published_report.errors IS 'error-level findings of the check';
COMMENT ON COLUMN published_report.warnings IS 'warning-level findings of the check';
COMMENT ON TABLE published_proactive IS '表P cells as published (same keys as fact_proactive); cells left blank are absent';
COMMENT ON COLUMN published_proactive.source IS 'the report file (published_report.source)';
COMMENT ON COLUMN published_proactive.agency_code IS 'resolved agency code, null when the name matches no agency';
COMMENT ON COLUMN published_proactive.agency_name IS 'agency name as printed';
COMMENT ON COLUMN published_proactive.year IS 'report year as printed';
COMMENT ON COLUMN published_proactive.item IS 'as in the computed fact table';
COMMENT ON COLUMN published_proactive.metric IS 'as in the computed fact table';
COMMENT ON COLUMN published_proactive.value IS 'the published figure';
COMMENT ON TABLE published_application IS '表A cells as published (same keys as fact_application); cells left blank are absent';
COMMENT ON COLUMN published_application.source IS 'the report file (published_report.source)';
COMMENT ON COLUMN published_application.agency_code IS 'resolved agency code, null when the name matches no agency';
COMMENT ON COLUMN published_application.agency_name IS 'agency name as printed';
COMMENT ON COLUMN published_application.year IS 'report year as printed';
COMMENT ON COLUMN published_application.row_key IS 'as in the computed fact table';
COMMENT ON COLUMN published_application.column_key IS 'as in the computed fact table';
COMMENT ON COLUMN published_application.value IS 'the published figure';
COMMENT ON TABLE published_appeal IS '表R cells as published (same keys as fact_appeal); cells left blank are absent';
COMMENT ON COLUMN published_appeal.source IS 'the report file (published_report.source)';
COMMENT ON COLUMN published_appeal.agency_code IS 'resolved agency code, null when the name matches no agency';
COMMENT ON COLUMN published_appeal.agency_name IS 'agency name as printed';
COMMENT ON COLUMN published_appeal.year IS 'report year as printed';
COMMENT ON COLUMN published_appeal.group_key IS 'as in the computed fact table';
COMMENT ON COLUMN published_appeal.result IS 'as in the computed fact table';
COMMENT ON COLUMN published_appeal.value IS 'the published figure';
COMMENT ON TABLE published_channel IS 'channel figures stated in section 1 of a published report (same keys as fact_channel)';
COMMENT ON COLUMN published_channel.source IS 'the report file (published_report.source)';
COMMENT ON COLUMN published_channel.agency_code IS 'resolved agency code, null when the name matches no agency';
COMMENT ON COLUMN published_channel.agency_name IS 'agency name as printed';
COMMENT ON COLUMN published_channel.year IS 'report year as printed';
COMMENT ON COLUMN published_channel.channel IS 'as in the computed fact table';
COMMENT ON COLUMN published_channel.value IS 'the published figure';
