/*
 * run.h - local lab runs: kill the probe on this machine, as a phone would
 *
 * A run spawns jetsam-probe, enforces a per-process limit on it and writes
 * into its own directory what a phone run leaves: the probe log, a
 * JetsamEvent report in the real bug_type 298 format, and the run record
 * (run.json).  Two enforcers:
 *  - supervisor: polls the probe's footprint (/proc/<pid>/status) at
 *    >= 100 Hz, SIGKILLs it when it crosses the limit, and hands the probe
 *    its limit the way iOS 13+ does (JETSAM_PROBE_LIMIT_BYTES: the probe
 *    logs limit - footprint as remaining);
 *  - cgroup: puts the probe in a new memory cgroup (v2 or v1) with the
 *    limit and swap off, lets the kernel's OOM killer kill it, confirms
 *    the kill from the cgroup's oom_kill counter, and removes the cgroup.
 *    The probe reads its headroom from the cgroup itself, and logs
 *    through a pipe that the runner copies to probe.jsonl: a cgroup
 *    charges page cache too, and the probe's own dirty log pages would
 *    count against its limit and stall it while they are written back.
 * Both emulate iOS's memory warning: SIGUSR1 once the footprint passes
 * limit - 100 MB (50 MB on devices under 1 GB), never below 80 % of it.
 */
#ifndef JT_RUN_H
#define JT_RUN_H

#include <stddef.h>
#include <stdint.h>

#include "jetsam/core/error.h"
#include "jetsam/core/models.h"
#include "jetsam/lab/runrec.h"

enum jt_enforcer { JT_ENFORCE_SUPERVISOR, JT_ENFORCE_CGROUP };

/* What the progress callback sees, about four times a second. */
struct jt_run_progress {
	int64_t footprint_bytes;
	int64_t limit_bytes;
	int64_t rate_bytes_per_s; /* over the last second, -1 at first */
	int64_t eta_ms;           /* to the limit at that rate, -1 unknown */
	int64_t elapsed_ms;
};

struct jt_run_opts {
	int64_t limit_bytes; /* the truth to enforce; > 0 */
	enum jt_enforcer enforcer;
	const char *model;        /* product in the report, e.g. "iPhone12,1" */
	const char *os_version;   /* "14.2" */
	const char *os_build;     /* "18B92"; NULL = "local" */
	int64_t page_size_bytes;  /* memoryStatus.pageSize; <= 0 = host's */
	int64_t device_ram_bytes; /* for the warning rule; <= 0 = host's */
	const char *probe_path;   /* the jetsam-probe program */
	int64_t rate_bytes_per_s; /* probe --rate; <= 0 = probe default */
	int64_t step_bytes;       /* probe --step; <= 0 = probe default */
	int64_t ramp_to_bytes;    /* probe --ramp-to SIZE, -1 = none */
	int ramp_to_pct;          /* probe --ramp-to PCT%, 0 = none */
	const char *fill;         /* probe --fill, NULL = default */
	int fsync_each;           /* probe --fsync */
	int poll_hz;              /* supervisor polling; <= 0 = 200 */
	int64_t timeout_ms;       /* <= 0: twice the expected time + 30 s */
	const char *cgroup_parent; /* where to make the cgroup; NULL = own */
	void (*progress)(void *ctx, const struct jt_run_progress *p);
	void *progress_ctx;
};

/* jt_run_opts_init - defaults: supervisor, no limit, model "local". */
void jt_run_opts_init(struct jt_run_opts *o);

/*
 * jt_run_opts_check - refuse options no run can start with: no limit (or
 * one <= 0), a ramp target at or above the limit, a polling rate set but
 * outside 100 to 10000 Hz.  Returns 0, or -1 with JT_EUSAGE saying which.
 * jt_run_local checks the same.
 */
int jt_run_opts_check(const struct jt_run_opts *o, struct jt_error *err);

/*
 * jt_run_opts_set_model - the page size and RAM of o->model from models
 * (borrowed), for the report the run writes and for the warning rule.
 * Returns 1 when the table knows the model; 0 when it does not, and o is
 * left alone (the report then uses this machine's page size and RAM).
 */
int jt_run_opts_set_model(struct jt_run_opts *o,
			  const struct jt_models *models);

/*
 * jt_run_find_probe - the jetsam-probe program: the one beside the running
 * program (/proc/self/exe, so a build tree runs its own probe), else the
 * first executable one on PATH.  Returns a new string (free it), or NULL
 * with JT_EUNKNOWN, or JT_ENOMEM.
 */
char *jt_run_find_probe(struct jt_error *err);

/*
 * jt_run_local - one run into a new directory under dir (created if need
 * be), named "<model>-<os>-<n>" with the first free n.  Fills rec
 * (initialised here; the caller releases it) and writes run.json,
 * probe.jsonl and, when the probe was killed, JetsamEvent-*.ips there.
 * Returns 0 when the probe was killed at the limit, or -1:
 *  - JT_EUSAGE for a bad option (limit <= 0, no probe path);
 *  - JT_EUNSUPPORTED when no memory cgroup can be made here;
 *  - JT_EIO when a directory, the probe or a file cannot be made;
 *  - JT_EINVAL when the probe ended without being killed (it exited,
 *    malloc refused, or the timeout struck); rec and run.json still say
 *    what happened.
 */
int jt_run_local(const struct jt_run_opts *o, const char *dir,
		 struct jt_runrec *rec, struct jt_error *err);

/*
 * jt_run_warn_threshold - the footprint at which iOS starts warning an app
 * with this limit on a device with ram_bytes of RAM.
 */
int64_t jt_run_warn_threshold(int64_t limit_bytes, int64_t ram_bytes);

/*
 * jt_run_cgroup_check - can a memory cgroup be made under parent (NULL =
 * this process's own)?  Makes and removes one.  Returns 1 (v1) or 2 (v2),
 * or -1 with JT_EUNSUPPORTED saying why not.
 */
int jt_run_cgroup_check(const char *parent, struct jt_error *err);

#endif
