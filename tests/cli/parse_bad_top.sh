#!/bin/sh
# --top needs a positive number
jetsam parse --top 0 x
