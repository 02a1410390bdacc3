"""Rule ids of the ledger contract and the message a clerk reads for each.

A quarantined row carries one rule id (the first it breaks, in the order of
RULES) and its message in Chinese and English. Messages say what to fix.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Rule:
    id: str
    zh: str
    en: str


_RULES = (
    # identity
    Rule("agency_code_missing", "缺少统一社会信用代码", "agency_code is empty"),
    Rule(
        "agency_code_invalid",
        "统一社会信用代码“{value}”不符合GB 32100（18位，校验码错误）",
        "agency_code '{value}' is not a valid GB 32100 code (18 characters, check character)",
    ),
    Rule(
        "agency_unknown",
        "机构“{value}”不在机构名录（agencies）中，或其名录行有误被隔离",
        "agency '{value}' is not in the agencies list (or its row there is quarantined)",
    ),
    Rule("record_id_missing", "缺少{label}", "{column} (the record id) is empty"),
    Rule("duplicate_record", "{label}“{value}”在同一文件中出现多次，请只保留一行", "{column} '{value}' appears more than once in this file; keep one row"),
    Rule(
        "record_id_personal",
        "{label}“{value}”含个人信息（身份证号、手机号或本行申请人的姓名、证件号、电话、地址），请改用本机关的登记编号",
        "{column} '{value}' holds personal data (an ID or mobile number, or this row's applicant name, ID, phone or address);"
        " use the office's own register number",
    ),
    # generic, per column
    Rule("value_missing", "缺少{label}", "{column} is empty"),
    Rule("date_invalid", "{label}“{value}”不是有效日期（如2022-03-05）", "{column} '{value}' is not a valid date (e.g. 2022-03-05)"),
    Rule(
        "date_implausible",
        "{label}“{value}”不可能：早于2008年5月1日（《政府信息公开条例》施行）或晚于今天，请核对年份",
        "{column} '{value}' is implausible: before 2008-05-01 (when the Regulations took effect) or after today; check the year",
    ),
    Rule("value_invalid", "{label}“{value}”不是允许的取值（{allowed}）", "{column} '{value}' is not one of the allowed values ({allowed})"),
    Rule("number_invalid", "{label}“{value}”不是非负数", "{column} '{value}' is not a number ≥ 0"),
    Rule(
        "amount_implausible",
        "{label}“{value}”超过10亿元，请核对金额及单位（元）",
        "{column} '{value}' is above 1,000,000,000 元; check the amount and that it is in 元",
    ),
    Rule("integer_invalid", "{label}“{value}”不是非负整数", "{column} '{value}' is not a whole number ≥ 0"),
    Rule(
        "days_implausible",
        "{label}“{value}”超过365个工作日，请核对",
        "{column} '{value}' is more than 365 working days; check it",
    ),
    Rule("yes_no_invalid", "{label}“{value}”应为是/否", "{column} '{value}' must be yes or no (是/否)"),
    Rule("year_invalid", "{label}“{value}”不是有效年度（2008年至今，如2022）", "{column} '{value}' is not a valid year (2008 to this year, e.g. 2022)"),
    # agencies
    Rule("division_code_invalid", "行政区划代码“{value}”应为12位数字", "division_code '{value}' must be 12 digits"),
    # disclosures
    Rule("doc_number_missing", "规章、行政规范性文件须填写文号", "doc_number is required for regulations and normative documents"),
    Rule(
        "doc_action_missing",
        "规章、行政规范性文件须填写文件动作（制发/修改/废止）",
        "doc_action (制发/修改/废止) is required for regulations and normative documents",
    ),
    Rule("amount_missing", "行政事业性收费须填写金额（元）", "amount_yuan is required for 行政事业性收费"),
    Rule("repeal_unknown_document", "废止的文号“{value}”未见本机关此前制发", "repealed doc_number '{value}' was not issued by this agency before"),
    # applications
    Rule("closed_before_received", "答复日期早于收到申请日期", "closed_on is before received_on"),
    Rule("correction_before_received", "补正完成日期早于收到申请日期", "correction_received_on is before received_on"),
    Rule("outcome_without_closed_on", "填写了处理结果但没有答复日期", "outcome is given but closed_on is empty"),
    Rule("closed_on_without_outcome", "填写了答复日期但没有处理结果", "closed_on is given but outcome is empty"),
    # appeals
    Rule("concluded_before_filed", "审结日期早于立案日期", "concluded_on is before filed_on"),
    Rule("result_without_concluded_on", "填写了结果但没有审结日期", "result is given but concluded_on is empty"),
    Rule("concluded_on_without_result", "填写了审结日期但没有结果", "concluded_on is given but result is empty"),
)
RULES: dict[str, Rule] = {r.id: r for r in _RULES}
RULE_ORDER: dict[str, int] = {r.id: i for i, r in enumerate(_RULES)}

# File-level problems. `columns_missing` quarantines every row of the file; the others reject the file as a whole
# (its rows are not counted, and every agency-year it may hold is incomplete); `not_a_ledger` files are listed, not read.
FILE_RULES: dict[str, Rule] = {
    r.id: r
    for r in (
        Rule("file_encoding", "无法按UTF-8或GBK/GB18030读取该文件", "the file decodes neither as UTF-8 nor as GBK/GB18030"),
        Rule("file_unreadable", "无法读取该文件：{detail}", "the file cannot be read: {detail}"),
        Rule("header_not_found", "未找到表头：{detail}", "no header row found: {detail}"),
        Rule("columns_missing", "缺少必需的列：{detail}", "required columns are missing: {detail}"),
        Rule("not_a_ledger", "未读取：{detail}", "not read: {detail}"),
    )
}
REJECTING_RULES = ("file_encoding", "file_unreadable", "header_not_found")
