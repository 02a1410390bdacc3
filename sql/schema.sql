-- gongkai warehouse: yearly facts of the statutory tables for cross-agency reporting.
-- Grain and keys: the README ("Warehouse"); codes are those of docs/national-format.md.
-- Idempotent: run on every load before the data is replaced.

CREATE TABLE IF NOT EXISTS dim_agency (
    agency_code   VARCHAR PRIMARY KEY,
    agency_name   VARCHAR NOT NULL,
    division_code VARCHAR,
    county        VARCHAR,
    city          VARCHAR,
    province      VARCHAR,
    level         VARCHAR
);

-- The fact tables carry no primary-key index: their grain (agency, year, cell) is guaranteed by the load
-- (a year is deleted and inserted whole in one transaction) and an index on 25 million national rows costs
-- gigabytes of memory and most of the load time. tests/warehouse checks the grain.
CREATE TABLE IF NOT EXISTS fact_proactive (
    agency_code VARCHAR NOT NULL,
    year        INTEGER NOT NULL,
    item        VARCHAR NOT NULL,
    metric      VARCHAR NOT NULL,
    value       DOUBLE  NOT NULL
);

CREATE TABLE IF NOT EXISTS fact_application (
    agency_code VARCHAR NOT NULL,
    year        INTEGER NOT NULL,
    row_key     VARCHAR NOT NULL,
    column_key  VARCHAR NOT NULL,
    value       BIGINT  NOT NULL
);

CREATE TABLE IF NOT EXISTS fact_appeal (
    agency_code VARCHAR NOT NULL,
    year        INTEGER NOT NULL,
    group_key   VARCHAR NOT NULL,
    result      VARCHAR NOT NULL,
    value       BIGINT  NOT NULL
);

CREATE TABLE IF NOT EXISTS fact_channel (
    agency_code VARCHAR NOT NULL,
    year        INTEGER NOT NULL,
    channel     VARCHAR NOT NULL,
    value       BIGINT  NOT NULL
);

CREATE TABLE IF NOT EXISTS agency_year (
    agency_code      VARCHAR NOT NULL,
    year             INTEGER NOT NULL,
    complete         BOOLEAN NOT NULL,
    quarantined_rows BIGINT  NOT NULL,
    fees_yuan        DOUBLE  NOT NULL,
    PRIMARY KEY (agency_code, year)
);

CREATE TABLE IF NOT EXISTS check_result (
    agency_code VARCHAR NOT NULL,
    year        INTEGER NOT NULL,
    check_id    VARCHAR NOT NULL,
    severity    VARCHAR NOT NULL,
    status      VARCHAR NOT NULL,
    message     VARCHAR,
    PRIMARY KEY (agency_code, year, check_id)
);

CREATE TABLE IF NOT EXISTS quarantine (
    kind        VARCHAR NOT NULL,
    path        VARCHAR NOT NULL,
    sheet       VARCHAR,
    "row"       INTEGER NOT NULL,
    agency_code VARCHAR,
    record_id   VARCHAR,
    rule        VARCHAR NOT NULL,
    "column"    VARCHAR,
    value       VARCHAR,
    message     VARCHAR NOT NULL,
    rules       VARCHAR NOT NULL,
    year        INTEGER,
    end_year    INTEGER,
    superseded  BOOLEAN NOT NULL
);

CREATE TABLE IF NOT EXISTS ledger_file (
    path        VARCHAR PRIMARY KEY,
    kind        VARCHAR,
    status      VARCHAR,
    encoding    VARCHAR,
    "rows"      BIGINT,
    accepted    BIGINT,
    quarantined BIGINT,
    total_rows  BIGINT,
    error_rule  VARCHAR,
    error       VARCHAR,
    sheets      VARCHAR,
    note        VARCHAR
);

-- Why an agency-year is incomplete: one row per agency-year, reason, ledger kind and file (tables/completeness.py).
CREATE TABLE IF NOT EXISTS incomplete_reason (
    agency_code VARCHAR NOT NULL,
    year        INTEGER NOT NULL,
    reason      VARCHAR NOT NULL,
    kind        VARCHAR,
    detail_zh   VARCHAR NOT NULL,
    detail_en   VARCHAR NOT NULL,
    path        VARCHAR,
    "rows"      BIGINT
);

-- The records behind the tables (pipelines/defs/tables/records.py): one row per record and report year in which
-- it counts in at least one cell, with those cells. No personal data: applicant_key is ingestion's keyed hash.
CREATE TABLE IF NOT EXISTS fact_application_record (
    agency_code             VARCHAR NOT NULL,
    year                    INTEGER NOT NULL,
    application_id          VARCHAR NOT NULL,
    received_on             DATE    NOT NULL,
    correction_requested_on DATE,
    correction_received_on  DATE,
    closed_on               DATE,
    applicant_type          VARCHAR NOT NULL,
    outcome                 VARCHAR,
    extended                BOOLEAN,
    third_party_days        BIGINT,
    fee_yuan                DOUBLE,
    applicant_key           VARCHAR,
    source_file             VARCHAR NOT NULL,
    source_sheet            VARCHAR,
    source_row              INTEGER,
    cells                   VARCHAR[] NOT NULL
);

CREATE TABLE IF NOT EXISTS fact_appeal_record (
    agency_code    VARCHAR NOT NULL,
    year           INTEGER NOT NULL,
    case_id        VARCHAR NOT NULL,
    application_id VARCHAR,
    proceeding     VARCHAR NOT NULL,
    filed_on       DATE    NOT NULL,
    concluded_on   DATE,
    result         VARCHAR,
    source_file    VARCHAR NOT NULL,
    source_sheet   VARCHAR,
    source_row     INTEGER,
    cells          VARCHAR[] NOT NULL
);

CREATE TABLE IF NOT EXISTS fact_proactive_record (
    agency_code  VARCHAR NOT NULL,
    year         INTEGER NOT NULL,
    item_id      VARCHAR NOT NULL,
    category     VARCHAR NOT NULL,
    published_on DATE    NOT NULL,
    doc_number   VARCHAR,
    doc_action   VARCHAR,
    amount_yuan  DOUBLE,
    source_file  VARCHAR NOT NULL,
    source_sheet VARCHAR,
    source_row   INTEGER,
    cells        VARCHAR[] NOT NULL
);

-- Warehouses written before these columns existed get them (null until the next load).
ALTER TABLE quarantine ADD COLUMN IF NOT EXISTS sheet VARCHAR;
ALTER TABLE ledger_file ADD COLUMN IF NOT EXISTS status VARCHAR;
ALTER TABLE ledger_file ADD COLUMN IF NOT EXISTS total_rows BIGINT;
ALTER TABLE ledger_file ADD COLUMN IF NOT EXISTS sheets VARCHAR;
ALTER TABLE ledger_file ADD COLUMN IF NOT EXISTS note VARCHAR;

-- What each agency-year's loaded rows were computed from: a load replaces only the agency-years whose
-- fingerprint changed (pipelines/defs/tables/inputs.py).
CREATE TABLE IF NOT EXISTS loaded_input (
    agency_code VARCHAR NOT NULL,
    year        INTEGER NOT NULL,
    fingerprint UBIGINT NOT NULL
);

-- County totals per year, stored by every load (v_county_year reads it; v_county_year_live computes it).
CREATE TABLE IF NOT EXISTS county_year (
    province                     VARCHAR,
    city                         VARCHAR,
    county                       VARCHAR,
    year                         INTEGER NOT NULL,
    agencies                     BIGINT,
    agencies_incomplete          BIGINT,
    agencies_failing_checks      BIGINT,
    items_published              BIGINT,
    applications_received        BIGINT,
    applications_carried_in      BIGINT,
    applications_closed          BIGINT,
    applications_carried_out     BIGINT,
    normative_documents_in_force BIGINT,
    appeal_cases                 BIGINT,
    fees_yuan                    DOUBLE,
    quarantined_rows             BIGINT
);

-- Figures read from published reports (gongkai check --load), kept apart from computed ones.
CREATE TABLE IF NOT EXISTS published_report (
    source      VARCHAR NOT NULL,
    agency_code VARCHAR,
    agency_name VARCHAR,
    year        INTEGER,
    format      VARCHAR NOT NULL,
    errors      BIGINT  NOT NULL,
    warnings    BIGINT  NOT NULL,
    signed_on   DATE
);
ALTER TABLE published_report ADD COLUMN IF NOT EXISTS signed_on DATE;

CREATE TABLE IF NOT EXISTS published_proactive (
    source VARCHAR NOT NULL, agency_code VARCHAR, agency_name VARCHAR, year INTEGER,
    item VARCHAR NOT NULL, metric VARCHAR NOT NULL, value DOUBLE NOT NULL
);

CREATE TABLE IF NOT EXISTS published_application (
    source VARCHAR NOT NULL, agency_code VARCHAR, agency_name VARCHAR, year INTEGER,
    row_key VARCHAR NOT NULL, column_key VARCHAR NOT NULL, value BIGINT NOT NULL
);

CREATE TABLE IF NOT EXISTS published_appeal (
    source VARCHAR NOT NULL, agency_code VARCHAR, agency_name VARCHAR, year INTEGER,
    group_key VARCHAR NOT NULL, result VARCHAR NOT NULL, value BIGINT NOT NULL
);

CREATE TABLE IF NOT EXISTS published_channel (
    source VARCHAR NOT NULL, agency_code VARCHAR, agency_name VARCHAR, year INTEGER,
    channel VARCHAR NOT NULL, value BIGINT NOT NULL
);

-- The statutory due date of every accepted application, by the year it was received in
-- (pipelines/defs/compliance/deadlines.py; rules in docs/deadlines.md). No personal data.
CREATE TABLE IF NOT EXISTS application_deadline (
    agency_code        VARCHAR NOT NULL,
    year               INTEGER NOT NULL,
    application_id     VARCHAR NOT NULL,
    received_on        DATE    NOT NULL,
    clock_start_on     DATE,
    limit_working_days INTEGER NOT NULL,
    third_party_days   INTEGER NOT NULL,
    due_on             DATE,
    closed_on          DATE,
    working_days_used  INTEGER,
    status             VARCHAR NOT NULL,
    unknown_reason     VARCHAR
);

-- Fees above the by-count rule of 国办函〔2020〕109号, per agency, applicant and month (pipelines/defs/compliance/fees.py).
CREATE TABLE IF NOT EXISTS fee_excess (
    agency_code     VARCHAR NOT NULL,
    year            INTEGER NOT NULL,
    month           DATE    NOT NULL,
    applicant_key   VARCHAR NOT NULL,
    applications    BIGINT  NOT NULL,
    fees_yuan       DOUBLE  NOT NULL,
    cap_yuan        DOUBLE  NOT NULL,
    application_ids VARCHAR NOT NULL
);

-- Which lake accounting `ledger_file` and `quarantine` hold: a load of the same one is skipped
-- (pipelines/defs/warehouse/assets.py).
CREATE TABLE IF NOT EXISTS loaded_ledgers (
    fingerprint VARCHAR NOT NULL
);

-- What built this file's tables, views, comments and labels: a load whose code gives the same fingerprint skips
-- them (pipelines/defs/warehouse/warehouse.py).
CREATE TABLE IF NOT EXISTS warehouse_build (
    fingerprint VARCHAR NOT NULL
);

-- The working-day calendar the due dates were counted on (replaced whole by each year's load).
CREATE TABLE IF NOT EXISTS calendar_day (
    day     DATE PRIMARY KEY,
    workday BOOLEAN NOT NULL,
    number  INTEGER NOT NULL
);

-- Labels of every key of the facts, generated from schemas/vocabulary.py and replaced whole by every load
-- (pipelines/defs/warehouse/labels.py). position is the form's order.
CREATE TABLE IF NOT EXISTS label_proactive_item (
    item VARCHAR PRIMARY KEY, position INTEGER NOT NULL, label VARCHAR NOT NULL, short_label VARCHAR NOT NULL,
    group_label VARCHAR, label_en VARCHAR NOT NULL
);
CREATE TABLE IF NOT EXISTS label_proactive_metric (
    metric VARCHAR PRIMARY KEY, position INTEGER NOT NULL, label VARCHAR NOT NULL, short_label VARCHAR NOT NULL,
    group_label VARCHAR, label_en VARCHAR NOT NULL
);
CREATE TABLE IF NOT EXISTS label_application_row (
    row_key VARCHAR PRIMARY KEY, position INTEGER NOT NULL, label VARCHAR NOT NULL, short_label VARCHAR NOT NULL,
    group_label VARCHAR, label_en VARCHAR NOT NULL
);
CREATE TABLE IF NOT EXISTS label_application_column (
    column_key VARCHAR PRIMARY KEY, position INTEGER NOT NULL, label VARCHAR NOT NULL, short_label VARCHAR NOT NULL,
    group_label VARCHAR, label_en VARCHAR NOT NULL
);
CREATE TABLE IF NOT EXISTS label_appeal_group (
    group_key VARCHAR PRIMARY KEY, position INTEGER NOT NULL, label VARCHAR NOT NULL, short_label VARCHAR NOT NULL,
    group_label VARCHAR, label_en VARCHAR NOT NULL
);
CREATE TABLE IF NOT EXISTS label_appeal_result (
    result VARCHAR PRIMARY KEY, position INTEGER NOT NULL, label VARCHAR NOT NULL, short_label VARCHAR NOT NULL,
    group_label VARCHAR, label_en VARCHAR NOT NULL
);
CREATE TABLE IF NOT EXISTS label_channel (
    channel VARCHAR PRIMARY KEY, position INTEGER NOT NULL, label VARCHAR NOT NULL, short_label VARCHAR NOT NULL,
    group_label VARCHAR, label_en VARCHAR NOT NULL
);
CREATE TABLE IF NOT EXISTS label_check (
    check_id VARCHAR PRIMARY KEY, position INTEGER NOT NULL, severity VARCHAR NOT NULL, label VARCHAR NOT NULL,
    label_en VARCHAR NOT NULL
);
