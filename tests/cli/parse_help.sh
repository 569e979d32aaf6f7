#!/bin/sh
# jetsam parse --help prints the usage on stdout
jetsam parse --help
