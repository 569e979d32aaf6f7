#!/bin/sh
# a PATH is required
jetsam parse -f json
