# The lookup order on the golden table, one row per source: measured,
# carried-over (older and newer OS), runtime-rule by RAM class, fraction.
g=tests/golden/calibrate/table.json
jetsam calibrate lookup -f csv "$g" iPhone12,1 14.2
jetsam calibrate lookup -f csv "$g" iPhone12,1 15.0 | tail -n 1
jetsam calibrate lookup -f csv "$g" iPhone12,1 12.0 | tail -n 1
jetsam calibrate lookup -f csv --profile increased-memory-limit "$g" \
	iPhone12,1 17.0 | tail -n 1
jetsam calibrate lookup -f csv --ram 4G --live-limit 2G "$g" \
	iPhone13,2 16.0 | tail -n 1
jetsam calibrate lookup -f csv --ram 5G --live-limit 2G "$g" \
	iPhone13,2 16.0 | tail -n 1
jetsam calibrate lookup -f csv --ram 4G "$g" iPhone13,2 16.0 | tail -n 1
jetsam calibrate lookup -f csv --live-limit 1000 "$g" Unknown1,1 1.0 |
	tail -n 1
jetsam calibrate lookup -f csv --ram 4X "$g" a 1 2>&1
echo "status $?"
# The device table knows iPhone13,2's RAM: no --ram needed.
jetsam calibrate lookup -f csv --live-limit 2G "$g" iPhone13,2 16.0 |
	tail -n 1
# No answer without the live limit, and the reason says so.
jetsam calibrate lookup -f csv "$g" Unknown1,1 1.0 | tail -n 1
jetsam calibrate lookup -f json "$g" iPhone13,2 16.0
