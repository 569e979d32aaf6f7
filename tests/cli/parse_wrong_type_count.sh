#!/bin/sh
# counts of the wrong type: the first is named with its position (stderr),
# the report is listed as partial with those counts absent, exit 1
jetsam parse -f csv --killed-only tests/fixtures/reports/iPhone12-1_iOS14.2_rpages-wrong-types.ips 2>&1
