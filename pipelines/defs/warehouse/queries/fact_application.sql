SELECT * FROM fact_application WHERE agency_code = $agency AND year = $year
