"""Reading and checking published annual reports (`gongkai check`).

text.py      files (.txt .html .docx .pdf) → a sequence of tokens (table cells, narrative lines)
detect.py    agency name, year, format (national-2021 / trial-2019)
extract.py   tables P, A, R from the tokens, keyed like `gongkai tables`; reading findings
narrative.py figures stated in the text: channels (S1), applications received vs table A row 1
findings.py  the Finding record and the reading finding ids
report.py    check_report(path), to_object(report) (the JSON), published_facts(reports) (the loading seam)

JSON (`gongkai check --format json`): the `gongkai tables` object plus
"format", "source" and "findings" [{id, severity, table, row, column, values, message}].
`agency_code` is null (a published report does not print it). A cell that is
blank, "/" or unreadable is null, never 0, and has a finding; `complete` is
false when any cell is null. `channels.total` is the total the text states
(null when the text states no channel figures).
"""
