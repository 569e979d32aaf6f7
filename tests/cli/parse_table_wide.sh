#!/bin/sh
# --wide --bytes: every column with exact byte counts, the table as it was
# before the default table chose its columns and units
jetsam parse --wide --bytes tests/fixtures/reports/iPhone10-1_iOS11.4.1_crlf.ips tests/fixtures/reports/AudioAccessory1-1_audioOS18.6_pretty-header.ips tests/corpus/dev/iPhone12-1_iOS14.2_4DF3BC0E_head-truncated.ips
