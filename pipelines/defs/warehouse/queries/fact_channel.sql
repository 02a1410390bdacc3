SELECT * FROM fact_channel WHERE agency_code = $agency AND year = $year
