#!/bin/sh
# --killed-only and --all-processes exclude each other
jetsam parse --killed-only --all-processes x
