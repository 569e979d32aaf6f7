"""paced_rate.py - the probe's paced rate from its log, robust to stalls.

usage: python3 paced_rate.py LOG LIMIT_BYTES

Prints the Theil-Sen estimate (the median of the slopes between every
pair of samples) of allocated bytes per second, over the samples after any
ramp and at least 16 MiB below the limit.  A stall followed by the
schedule's catch-up burst at the end of a short run moves an end-to-end
rate by several percent; it moves the median slope very little (many
scattered stalls do the opposite, so the test accepts either estimate).
"""
import json
import sys


def main():
    path, limit = sys.argv[1], int(sys.argv[2])
    recs = [json.loads(line) for line in open(path) if line.endswith("\n")]
    ramp = [r["t_ms"] for r in recs
            if r["type"] == "event" and r["kind"] == "ramp-done"]
    start = ramp[0] if ramp else 0
    s = [r for r in recs if r["type"] == "sample" and r["t_ms"] >= start
         and r["allocated_bytes"] > 0
         and r["footprint_bytes"] <= limit - 16 * 1048576]
    slopes = sorted((s[j]["allocated_bytes"] - s[i]["allocated_bytes"]) *
                    1000 / (s[j]["t_ms"] - s[i]["t_ms"])
                    for i in range(len(s)) for j in range(i + 1, len(s))
                    if s[j]["t_ms"] > s[i]["t_ms"])
    if not slopes:
        sys.exit("paced_rate: no paced samples in " + path)
    print(int(slopes[len(slopes) // 2]))


main()
