SELECT d.agency_code, d.agency_name, ay.complete, ay.quarantined_rows, ay.fees_yuan
FROM dim_agency d
LEFT JOIN agency_year ay ON ay.agency_code = d.agency_code AND ay.year = $year
WHERE d.agency_code = $agency
