SELECT * FROM fact_proactive WHERE agency_code = $agency AND year = $year
