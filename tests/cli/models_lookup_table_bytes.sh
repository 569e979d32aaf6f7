# --bytes: the table with exact byte counts, as CSV and JSON always have
jetsam models --bytes iPhone12,1 iPhone7,2
