SELECT * FROM fact_appeal WHERE agency_code = $agency AND year = $year
