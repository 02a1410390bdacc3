SELECT * FROM check_result WHERE agency_code = $agency AND year = $year
