/*
 * run.c - local lab runs: a supervisor or a memory cgroup kills the probe
 *
 * The point is to exercise the whole path a phone run takes - probe log,
 * kill, JetsamEvent report, run record - on a Linux box, with a limit that
 * is known exactly, so each evidence source's error can be measured.  The
 * supervisor judges the probe by the same figure the probe logs (RssAnon +
 * VmSwap + VmPTE); the cgroup lets the kernel judge it by the cgroup's own
 * usage, which also counts page cache and kernel memory.
 */
#include "probe/procstatus.h"
#include "jetsam/core/text.h"
#include "run.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "jetsamwriter.h"
#include "jetsam/lab/probelog.h"
#include "jetsam/report/report.h"

#define MIB ((int64_t)1 << 20)
#define LIMIT_ENV "JETSAM_PROBE_LIMIT_BYTES"
#define PROBE_LOG "probe.jsonl"
#define TICKS_PER_MS 24000 /* mach absolute time on Apple silicon */

void
jt_run_opts_init(struct jt_run_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->enforcer = JT_ENFORCE_SUPERVISOR;
	o->limit_bytes = -1;
	o->model = "local";
	o->os_version = "0.0";
	o->ramp_to_bytes = -1;
}

/* ---- small helpers --------------------------------------------------- */

static int64_t
now_ms(int clock)
{
	struct timespec ts;

	clock_gettime(clock, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int64_t
mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

int64_t
jt_run_warn_threshold(int64_t limit_bytes, int64_t ram_bytes)
{
	int64_t margin = ram_bytes >= 1024 * MIB ? 100 * MIB : 50 * MIB;
	int64_t floor80 = limit_bytes / 5 * 4;
	int64_t t = limit_bytes - margin;

	return t > floor80 ? t : floor80;
}

/* read_small - a small file's text into buf; -1 if it cannot be read. */
static ssize_t
read_small(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = read(fd, buf, len - 1);
	close(fd);
	if (n < 0)
		return -1;
	buf[n] = '\0';
	return n;
}

static int
write_small(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	ssize_t n;
	size_t len = strlen(text);

	if (fd < 0)
		return -1;
	n = write(fd, text, len);
	if (close(fd) < 0 || n != (ssize_t)len)
		return -1;
	return 0;
}

static int64_t
host_ram(void)
{
	long pages = sysconf(_SC_PHYS_PAGES), psz = sysconf(_SC_PAGESIZE);

	return jt_pages_to_bytes(pages, psz);
}

/* ---- cgroups ----------------------------------------------------------- */

struct cgroup {
	int version; /* 1 or 2 */
	char dir[640];
};

/*
 * own_cgroup - this process's memory cgroup directory (v1, or v2 with the
 * memory controller), into dir.  Returns the version or 0.
 */
static int
own_cgroup(char *dir, size_t len)
{
	static const char *const v2_roots[] = {"/sys/fs/cgroup",
					       "/sys/fs/cgroup/unified"};
	char buf[4096], v2path[256] = "", *line, *save = NULL;
	size_t i;

	if (read_small("/proc/self/cgroup", buf, sizeof(buf)) < 0)
		return 0;
	for (line = strtok_r(buf, "\n", &save); line != NULL;
	     line = strtok_r(NULL, "\n", &save)) {
		char *c1 = strchr(line, ':'), *c2;

		if (c1 == NULL || (c2 = strchr(c1 + 1, ':')) == NULL)
			continue;
		*c2 = '\0';
		if (strcmp(c1 + 1, "memory") == 0) {
			snprintf(dir, len, "/sys/fs/cgroup/memory%s", c2 + 1);
			return 1;
		}
		if (c1 == line + 1 && line[0] == '0' && c1[1] == '\0')
			snprintf(v2path, sizeof(v2path), "%s", c2 + 1);
	}
	for (i = 0; v2path[0] != '\0' && i < 2; i++) {
		char ctl[600], text[256];

		snprintf(ctl, sizeof(ctl), "%s%s/cgroup.controllers",
			 v2_roots[i], v2path);
		if (read_small(ctl, text, sizeof(text)) > 0 &&
		    strstr(text, "memory") != NULL) {
			snprintf(dir, len, "%s%s", v2_roots[i],
				 strcmp(v2path, "/") == 0 ? "" : v2path);
			return 2;
		}
	}
	return 0;
}

/*
 * cgroup_make - a new memory cgroup under parent (or this process's own)
 * with the limit set, swap off.  -1 with JT_EUNSUPPORTED saying why.
 */
static int
cgroup_make(struct cgroup *cg, const char *parent, int64_t limit,
	    struct jt_error *err)
{
	static unsigned serial;
	char base[512], path[700], val[32];
	int v;

	if (parent != NULL) {
		snprintf(base, sizeof(base), "%s", parent);
		snprintf(path, sizeof(path), "%s/memory.limit_in_bytes", base);
		v = access(path, F_OK) == 0 ? 1 : 2;
	} else if ((v = own_cgroup(base, sizeof(base))) == 0) {
		return jt_error_set_in(err, JT_EUNSUPPORTED, NULL,
				       "no memory cgroup found (neither v1 "
				       "/sys/fs/cgroup/memory nor a v2 "
				       "hierarchy with the memory controller)");
	}
	if (v == 2) {
		snprintf(path, sizeof(path), "%s/cgroup.subtree_control", base);
		(void)write_small(path, "+memory");
	}
	cg->version = v;
	snprintf(cg->dir, sizeof(cg->dir), "%.512s/jetsamkit-%ld-%u", base,
		 (long)getpid(), serial++);
	if (mkdir(cg->dir, 0755) < 0)
		return jt_error_set_in(err, JT_EUNSUPPORTED, cg->dir,
				       "cannot create a memory cgroup: %s",
				       strerror(errno));
	snprintf(val, sizeof(val), "%" PRId64, limit);
	snprintf(path, sizeof(path), "%s/%s", cg->dir,
		 v == 1 ? "memory.limit_in_bytes" : "memory.max");
	if (write_small(path, val) < 0) {
		int e = errno;

		rmdir(cg->dir);
		return jt_error_set_in(err, JT_EUNSUPPORTED, path,
				       "cannot set the cgroup's limit: %s",
				       strerror(e));
	}
	/* No swap: the kernel must kill at the limit, not page out. */
	if (v == 1) {
		snprintf(path, sizeof(path), "%s/memory.memsw.limit_in_bytes",
			 cg->dir);
		(void)write_small(path, val);
		snprintf(path, sizeof(path), "%s/memory.swappiness", cg->dir);
		(void)write_small(path, "0");
	} else {
		snprintf(path, sizeof(path), "%s/memory.swap.max", cg->dir);
		(void)write_small(path, "0");
	}
	return 0;
}

/* cgroup_oom_kills - the cgroup's OOM-kill counter, -1 if unreadable. */
static int64_t
cgroup_oom_kills(const struct cgroup *cg)
{
	char path[700], buf[1024];
	const char *p;

	snprintf(path, sizeof(path), "%s/%s", cg->dir,
		 cg->version == 1 ? "memory.oom_control" : "memory.events");
	if (read_small(path, buf, sizeof(buf)) < 0)
		return -1;
	p = strstr(buf, "oom_kill ");
	return p != NULL ? strtoll(p + 9, NULL, 10) : -1;
}

static int
cgroup_add(const struct cgroup *cg, pid_t pid)
{
	char path[700], val[32];

	snprintf(path, sizeof(path), "%s/cgroup.procs", cg->dir);
	snprintf(val, sizeof(val), "%ld", (long)pid);
	return write_small(path, val);
}

static void
cgroup_remove(const struct cgroup *cg)
{
	int i;

	/* The last task can take a moment to leave after it is reaped. */
	for (i = 0; i < 100 && rmdir(cg->dir) < 0 && errno == EBUSY; i++) {
		struct timespec ts = {0, 10 * 1000 * 1000};

		nanosleep(&ts, NULL);
	}
}

int
jt_run_cgroup_check(const char *parent, struct jt_error *err)
{
	struct cgroup cg;

	if (cgroup_make(&cg, parent, 64 * MIB, err) < 0)
		return -1;
	cgroup_remove(&cg);
	return cg.version;
}

/* ---- the run directory ------------------------------------------------- */

/* ---- spawning and watching --------------------------------------------- */

struct watch {
	pid_t pid;
	int status;
	struct rusage ru;
	int64_t start_ms; /* monotonic */
	int64_t end_ms;
	int64_t last_fp; /* last footprint polled */
	int64_t max_fp;
	int64_t kill_fp; /* footprint that made the supervisor kill */
	int killed_by_us;
	int timed_out;
	int warned;
	int log_pipe; /* cgroup runs: the probe's log, read end, or -1 */
	int log_fd;   /* cgroup runs: probe.jsonl, written by us, or -1 */
};

/*
 * pump - copy what the probe has logged through the pipe into the file.
 * The probe writes each record with one write(2) under PIPE_BUF, so the
 * pipe only ever holds whole records.
 */
static void
pump(struct watch *w)
{
	char buf[65536];
	ssize_t n;

	if (w->log_pipe < 0)
		return;
	while ((n = read(w->log_pipe, buf, sizeof(buf))) > 0) {
		ssize_t off = 0;

		while (off < n) {
			ssize_t m =
				write(w->log_fd, buf + off, (size_t)(n - off));

			if (m < 0 && errno == EINTR)
				continue;
			if (m < 0)
				return;
			off += m;
		}
	}
}

/* pump_close - after the probe is gone: the rest of the pipe, then close. */
static void
pump_close(struct watch *w)
{
	int flags;

	if (w->log_pipe < 0)
		return;
	flags = fcntl(w->log_pipe, F_GETFL);
	fcntl(w->log_pipe, F_SETFL, flags & ~O_NONBLOCK);
	pump(w);
	close(w->log_pipe);
	close(w->log_fd);
	w->log_pipe = w->log_fd = -1;
}

static void
set_arg(char **argv, int *argc, const char *opt, const char *val)
{
	argv[(*argc)++] = (char *)opt;
	if (val != NULL)
		argv[(*argc)++] = (char *)val;
}

/* spawn - start the probe; with cg, inside the cgroup before it execs. */
static int
spawn(const struct jt_run_opts *o, const char *log, const struct cgroup *cg,
      struct watch *w, struct jt_error *err)
{
	char *argv[24], rate[32], step[32], ramp[32], limit[32];
	int argc = 0, sync[2], lp[2] = {-1, -1}, e;
	char byte = 0;

	/* Under a cgroup, the probe's own file writes would be page cache
	 * charged to it, and reclaiming them near the limit stalls the
	 * probe: there it logs through a pipe and we write the file. */
	w->log_pipe = w->log_fd = -1;
	set_arg(argv, &argc, o->probe_path, NULL);
	if (cg != NULL) {
		w->log_fd = open(log, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC,
				 0644);
		if (w->log_fd < 0)
			return jt_error_set_errno(err, errno, log,
						  "cannot create");
		if (pipe(lp) < 0) {
			e = errno;
			close(w->log_fd);
			return jt_error_set_errno(err, e, NULL,
						  "cannot make a pipe");
		}
		set_arg(argv, &argc, "--log-fd", "3");
	} else {
		set_arg(argv, &argc, "--log", log);
	}
	set_arg(argv, &argc, "--quiet", NULL);
	if (o->rate_bytes_per_s > 0) {
		snprintf(rate, sizeof(rate), "%" PRId64, o->rate_bytes_per_s);
		set_arg(argv, &argc, "--rate", rate);
	}
	if (o->step_bytes > 0) {
		snprintf(step, sizeof(step), "%" PRId64, o->step_bytes);
		set_arg(argv, &argc, "--step", step);
	}
	if (o->ramp_to_pct > 0)
		snprintf(ramp, sizeof(ramp), "%d%%", o->ramp_to_pct);
	else
		snprintf(ramp, sizeof(ramp), "%" PRId64, o->ramp_to_bytes);
	if (o->ramp_to_pct > 0 || o->ramp_to_bytes >= 0)
		set_arg(argv, &argc, "--ramp-to", ramp);
	if (o->fill != NULL)
		set_arg(argv, &argc, "--fill", o->fill);
	if (o->fsync_each)
		set_arg(argv, &argc, "--fsync", NULL);
	argv[argc] = NULL;
	snprintf(limit, sizeof(limit), "%" PRId64, o->limit_bytes);

	if (pipe(sync) < 0) {
		e = errno;
		goto fail;
	}
	w->start_ms = now_ms(CLOCK_MONOTONIC);
	w->pid = fork();
	if (w->pid < 0) {
		e = errno;
		close(sync[0]);
		close(sync[1]);
		goto fail;
	}
	if (w->pid == 0) {
		close(sync[1]);
		/* Wait until the parent has put us in the cgroup. */
		if (read(sync[0], &byte, 1) != 1 || byte != 'g')
			_exit(126);
		close(sync[0]);
		if (lp[1] >= 0) {
			close(lp[0]);
			if (lp[1] != 3) {
				if (dup2(lp[1], 3) < 0)
					_exit(126);
				close(lp[1]);
			}
		}
		if (o->enforcer == JT_ENFORCE_SUPERVISOR)
			setenv(LIMIT_ENV, limit, 1);
		else
			unsetenv(LIMIT_ENV);
		execv(o->probe_path, argv);
		_exit(127);
	}
	close(sync[0]);
	if (lp[1] >= 0) {
		close(lp[1]);
		w->log_pipe = lp[0];
		fcntl(w->log_pipe, F_SETFL,
		      fcntl(w->log_pipe, F_GETFL) | O_NONBLOCK);
		fcntl(w->log_pipe, F_SETFD, FD_CLOEXEC);
	}
	if (cg != NULL && cgroup_add(cg, w->pid) < 0) {
		e = errno;
		close(sync[1]);
		kill(w->pid, SIGKILL);
		waitpid(w->pid, NULL, 0);
		pump_close(w);
		return jt_error_set_in(
			err, JT_EUNSUPPORTED, cg->dir,
			"cannot move the probe into the cgroup: %s",
			strerror(e));
	}
	byte = 'g';
	if (write(sync[1], &byte, 1) != 1) {
		e = errno;
		close(sync[1]);
		kill(w->pid, SIGKILL);
		waitpid(w->pid, NULL, 0);
		pump_close(w);
		return jt_error_set_errno(err, e, NULL,
					  "cannot start the probe");
	}
	close(sync[1]);
	return 0;
fail:
	if (lp[0] >= 0) {
		close(lp[0]);
		close(lp[1]);
		close(w->log_fd);
		w->log_fd = -1;
	}
	return jt_error_set_errno(err, e, NULL, "cannot start the probe");
}

static int
file_nonempty(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && st.st_size > 0;
}

/* watch - poll the probe until it dies; kill it at the limit if we must. */
static void
watch_probe(const struct jt_run_opts *o, const char *log, struct watch *w)
{
	int hz = o->poll_hz > 0 ? o->poll_hz : 200;
	int64_t period_ns = 1000000000LL / hz, deadline = mono_ns();
	int64_t ram =
		o->device_ram_bytes > 0 ? o->device_ram_bytes : host_ram();
	int64_t warn_at = jt_run_warn_threshold(o->limit_bytes, ram);
	int64_t timeout = o->timeout_ms;
	int64_t last_report_ms = 0, rate_t_ms = -1, rate_fp = 0, rate = -1;
	char path[64], buf[4096];
	int fd, started = 0;

	if (timeout <= 0) {
		int64_t r = o->rate_bytes_per_s > 0 ? o->rate_bytes_per_s
						    : 20 * MIB;

		timeout = o->limit_bytes / r * 2000 + 30000;
	}
	snprintf(path, sizeof(path), "/proc/%ld/status", (long)w->pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	w->last_fp = w->max_fp = w->kill_fp = -1;
	for (;;) {
		struct timespec ts;
		pid_t r = wait4(w->pid, &w->status, WNOHANG, &w->ru);
		int64_t t = now_ms(CLOCK_MONOTONIC) - w->start_ms;
		ssize_t n;

		pump(w);
		if (r == w->pid)
			break;
		if (r < 0 && errno != EINTR) {
			w->status = 0; /* lost the child: nothing to report */
			break;
		}
		n = fd >= 0 ? pread(fd, buf, sizeof(buf) - 1, 0) : -1;
		if (n > 0) {
			int64_t fp;

			buf[n] = '\0';
			fp = jt_procstatus_footprint(buf);
			if (fp >= 0) {
				w->last_fp = fp;
				if (fp > w->max_fp)
					w->max_fp = fp;
			}
		}
		/* Judge the probe only once it runs: before exec, the
		 * forked child still carries this process's footprint. */
		if (!started)
			started = file_nonempty(log);
		if (started && o->enforcer == JT_ENFORCE_SUPERVISOR &&
		    !w->killed_by_us && w->last_fp > o->limit_bytes) {
			kill(w->pid, SIGKILL);
			w->killed_by_us = 1;
			w->kill_fp = w->last_fp;
		}
		/* The warning too: the probe sets up its handler before it
		 * writes its header. */
		if (started && !w->warned && !w->killed_by_us &&
		    w->last_fp >= warn_at) {
			kill(w->pid, SIGUSR1);
			w->warned = 1;
		}
		if (!w->timed_out && !w->killed_by_us && t > timeout) {
			kill(w->pid, SIGKILL);
			w->timed_out = 1;
		}
		if (o->progress != NULL && t - last_report_ms >= 250 &&
		    w->last_fp >= 0) {
			struct jt_run_progress p;

			if (rate_t_ms >= 0 && t - rate_t_ms >= 1000) {
				rate = (w->last_fp - rate_fp) * 1000 /
					(t - rate_t_ms);
				rate_t_ms = -1;
			}
			if (rate_t_ms < 0) {
				rate_t_ms = t;
				rate_fp = w->last_fp;
			}
			p.footprint_bytes = w->last_fp;
			p.limit_bytes = o->limit_bytes;
			p.rate_bytes_per_s = rate;
			p.eta_ms = rate > 0 && w->last_fp < o->limit_bytes
				? (o->limit_bytes - w->last_fp) * 1000 / rate
				: -1;
			p.elapsed_ms = t;
			o->progress(o->progress_ctx, &p);
			last_report_ms = t;
		}
		deadline += period_ns;
		ts.tv_sec = (time_t)(deadline / 1000000000LL);
		ts.tv_nsec = (long)(deadline % 1000000000LL);
		while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts,
				       NULL) == EINTR)
			;
	}
	w->end_ms = now_ms(CLOCK_MONOTONIC);
	pump_close(w);
	if (fd >= 0)
		close(fd);
}

/* ---- the report -------------------------------------------------------- */

/*
 * device_pages - memoryStatus.memoryPages for the simulated device: its
 * RAM, as a phone accounts for about 95 % of it, with the processes in the
 * report active and anonymous, 15 % wired, 5 % inactive and the rest free.
 * Taken from the device, not this host, so that the page counts agree
 * with the model's RAM the way a real report's do (parsers check that).
 */
static void
device_pages(struct jt_jetsam_pages *pg, int64_t ram_bytes, int64_t page_size,
	     int64_t used_pages)
{
	int64_t total = ram_bytes / page_size / 20 * 19;

	memset(pg, 0, sizeof(*pg));
	pg->wired = total / 100 * 15;
	pg->inactive = total / 20;
	pg->file_backed = pg->inactive;
	pg->active = used_pages;
	if (pg->active > total - pg->wired - pg->inactive)
		pg->active = total - pg->wired - pg->inactive;
	pg->anonymous = pg->active;
	pg->free = total - pg->wired - pg->inactive - pg->active;
}

/* hex_id - n hex digits from a mix of the seed and the clock. */
static void
hex_id(char *buf, size_t n, uint64_t seed, int upper)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	uint64_t x = seed ^ (uint64_t)mono_ns() ^ 0x9e3779b97f4a7c15ULL;
	size_t i;

	for (i = 0; i < n; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		buf[i] = digits[x & 15];
	}
	buf[n] = '\0';
}

static void
make_uuid(char *buf, uint64_t seed, int upper)
{
	char h[33];

	hex_id(h, 32, seed, upper);
	snprintf(buf, 37, "%.8s-%.4s-%.4s-%.4s-%.12s", h, h + 8, h + 12, h + 16,
		 h + 20);
}

static int64_t
pages_of(int64_t bytes, int64_t page_size)
{
	return bytes < 0 ? 0 : (bytes + page_size / 2) / page_size;
}

static int
write_report(const struct jt_run_opts *o, const char *run_dir,
	     const struct watch *w, int64_t kill_fp, int64_t page_size,
	     int64_t unix_ms, char *name, size_t namelen, int64_t *rpages,
	     struct jt_error *err)
{
	static const char *const frontmost[] = {"frontmost", NULL};
	static const char *const daemon[] = {"daemon", NULL};
	struct jt_jetsam_proc procs[2];
	struct jt_jetsam_event ev;
	struct utsname u;
	char kernel[400], incident[40], key[41], uuid[2][40], path[1200];
	char selfstatus[4096];
	int64_t age = (w->end_ms - w->start_ms) * TICKS_PER_MS;
	int64_t self_fp = -1;

	if (uname(&u) < 0)
		memset(&u, 0, sizeof(u));
	snprintf(kernel, sizeof(kernel),
		 "Linux Kernel Version %.64s: %.100s; jetsamkit local run "
		 "(%s enforcer)",
		 u.release, u.version,
		 o->enforcer == JT_ENFORCE_CGROUP ? "cgroup" : "supervisor");
	make_uuid(incident, (uint64_t)w->pid, 1);
	hex_id(key, 40, (uint64_t)w->pid * 31, 0);
	make_uuid(uuid[0], 1, 0);
	make_uuid(uuid[1], 2, 0);
	if (read_small("/proc/self/status", selfstatus, sizeof(selfstatus)) > 0)
		self_fp = jt_procstatus_footprint(selfstatus);

	memset(procs, 0, sizeof(procs));
	/* The supervisor: a daemon, in the lower band, listed first. */
	procs[0].name = "jetsam";
	procs[0].uuid = uuid[0];
	procs[0].states = daemon;
	procs[0].pid = (int64_t)getpid();
	procs[0].rpages = pages_of(self_fp, page_size);
	procs[0].lifetime_max_pages = procs[0].rpages;
	procs[0].priority = 3;
	procs[0].fds = 25;
	procs[0].coalition = (int64_t)getpid();
	procs[0].age_ticks = age;
	/* The probe: the frontmost app, killed over its limit. */
	procs[1].name = "jetsam-probe";
	procs[1].uuid = uuid[1];
	procs[1].states = frontmost;
	procs[1].pid = (int64_t)w->pid;
	procs[1].rpages = pages_of(kill_fp, page_size);
	procs[1].lifetime_max_pages = pages_of(w->max_fp, page_size);
	if (procs[1].lifetime_max_pages < procs[1].rpages)
		procs[1].lifetime_max_pages = procs[1].rpages;
	procs[1].priority = 10;
	procs[1].fds = 4;
	procs[1].coalition = (int64_t)w->pid;
	procs[1].age_ticks = age;
	procs[1].kill_delta_ticks = 0;
	procs[1].cpu_time_s = (double)w->ru.ru_utime.tv_sec +
		(double)w->ru.ru_utime.tv_usec / 1e6 +
		(double)w->ru.ru_stime.tv_sec +
		(double)w->ru.ru_stime.tv_usec / 1e6;
	procs[1].reason = "per-process-limit";

	memset(&ev, 0, sizeof(ev));
	ev.product = o->model;
	ev.os_version = o->os_version;
	ev.os_build = o->os_build != NULL ? o->os_build : "local";
	ev.kernel = kernel;
	ev.incident = incident;
	ev.crash_reporter_key = key;
	ev.unix_ms = unix_ms;
	ev.time_delta_ms = 5;
	ev.page_size_bytes = page_size;
	device_pages(&ev.pages,
		     o->device_ram_bytes > 0 ? o->device_ram_bytes : host_ram(),
		     page_size, procs[0].rpages + procs[1].rpages);
	ev.largest_process =
		procs[1].rpages >= procs[0].rpages ? "jetsam-probe" : "jetsam";
	ev.procs = procs;
	ev.nprocs = 2;
	jt_jetsam_file_name(unix_ms, name, namelen);
	snprintf(path, sizeof(path), "%.1024s/%.128s", run_dir, name);
	*rpages = procs[1].rpages;
	return jt_jetsam_save(path, &ev, err);
}

/* ---- the run ----------------------------------------------------------- */

static const char *
rec_path_of(const char *run_dir, char *buf, size_t len)
{
	snprintf(buf, len, "%s/run.json", run_dir);
	return buf;
}

int
jt_run_local(const struct jt_run_opts *o, const char *dir,
	     struct jt_runrec *rec, struct jt_error *err)
{
	struct cgroup cg;
	struct watch w;
	struct jt_probelog *log;
	struct jt_probe_summary sum;
	char run_id[256], run_dir[1024], log_path[1200], rec_path[1200];
	char report[128] = "";
	int64_t page_size = o->page_size_bytes > 0 ? o->page_size_bytes
						   : sysconf(_SC_PAGESIZE);
	int64_t oom_before = 0, oom_after = 0, rpages = -1, kill_unix_ms;
	int use_cg = o->enforcer == JT_ENFORCE_CGROUP, killed, rc = 0;

	jt_runrec_init(rec);
	if (jt_run_opts_check(o, err) < 0)
		return -1;
	if (o->probe_path == NULL || access(o->probe_path, X_OK) < 0)
		return jt_error_set_in(err, JT_EUSAGE, o->probe_path,
				       "no runnable jetsam-probe");
	if (use_cg) {
		if (cgroup_make(&cg, o->cgroup_parent, o->limit_bytes, err) < 0)
			return -1;
		oom_before = cgroup_oom_kills(&cg);
	}
	if (jt_runrec_mkdir(dir, o->model, o->os_version, run_id,
			    sizeof(run_id), run_dir, sizeof(run_dir),
			    err) < 0) {
		if (use_cg)
			cgroup_remove(&cg);
		return -1;
	}
	snprintf(log_path, sizeof(log_path), "%s/%s", run_dir, PROBE_LOG);
	memset(&w, 0, sizeof(w));
	if (spawn(o, log_path, use_cg ? &cg : NULL, &w, err) < 0) {
		if (use_cg)
			cgroup_remove(&cg);
		return -1;
	}
	watch_probe(o, log_path, &w);
	kill_unix_ms = now_ms(CLOCK_REALTIME);
	if (use_cg) {
		oom_after = cgroup_oom_kills(&cg);
		cgroup_remove(&cg);
	}

	killed = WIFSIGNALED(w.status) && WTERMSIG(w.status) == SIGKILL &&
		!w.timed_out &&
		(use_cg ? oom_after > oom_before : w.killed_by_us);

	rec->run_id = jt_text_dup(run_id, NULL);
	rec->kind = jt_text_dup("local", NULL);
	rec->enforcer = jt_text_dup(use_cg ? "cgroup" : "supervisor", NULL);
	rec->model = jt_text_dup(o->model, NULL);
	rec->os_version = jt_text_dup(o->os_version, NULL);
	rec->profile = jt_text_dup("app", NULL);
	rec->probe_log = jt_text_dup(PROBE_LOG, NULL);
	rec->truth_limit_bytes = o->limit_bytes;
	rec->step_bytes = o->step_bytes > 0 ? o->step_bytes : MIB;
	rec->rate_bytes_per_s =
		o->rate_bytes_per_s > 0 ? o->rate_bytes_per_s : 20 * MIB;
	rec->ramp_to_bytes = o->ramp_to_bytes;
	rec->duration_ms = w.end_ms - w.start_ms;
	rec->exit_signal = WIFSIGNALED(w.status) ? WTERMSIG(w.status) : 0;
	rec->exit_status = WIFEXITED(w.status) ? WEXITSTATUS(w.status) : 0;
	if (killed)
		rec->kill_reason = jt_text_dup(
			use_cg ? "oom-kill" : "per-process-limit", NULL);
	else if (w.timed_out)
		rec->kill_reason = jt_text_dup("timeout", NULL);
	if (rec->run_id == NULL || rec->kind == NULL || rec->model == NULL ||
	    rec->os_version == NULL || rec->probe_log == NULL)
		return jt_error_oom(err, NULL);

	if (WIFEXITED(w.status) && WEXITSTATUS(w.status) == 127) {
		(void)jt_runrec_save(
			rec, rec_path_of(run_dir, rec_path, sizeof(rec_path)),
			NULL);
		return jt_error_set_in(err, JT_EIO, o->probe_path,
				       "cannot run the probe");
	}
	log = jt_probelog_load(log_path, 0, err);
	if (log != NULL &&
	    jt_probelog_summarize(log, o->limit_bytes, &sum, err) == 0) {
		jt_runrec_set_probe_evidence(rec, log, &sum);
		/* The enforcer knows better: the time from the spawn to the
		 * kill, and (below) the footprint it saw at the kill. */
		rec->duration_ms = w.end_ms - w.start_ms;
		rec->overshoot_bytes = -1;
	} else {
		rc = -1;
	}
	jt_probelog_free(log);

	if (killed && rc == 0) {
		/* What the enforcer saw at the kill: the supervisor's
		 * crossing reading; under the cgroup, the highest polled
		 * value, since the OOM reaper frees memory before the
		 * process is gone and a late poll would read low. */
		int64_t kill_fp = w.kill_fp >= 0 ? w.kill_fp : w.max_fp;

		if (write_report(o, run_dir, &w, kill_fp, page_size,
				 kill_unix_ms, report, sizeof(report), &rpages,
				 err) < 0)
			rc = -1;
		else {
			rec->report = jt_text_dup(report, NULL);
			rec->report_bytes =
				jt_pages_to_bytes(rpages, page_size);
			rec->overshoot_bytes = kill_fp > o->limit_bytes
				? kill_fp - o->limit_bytes
				: 0;
		}
	}
	if (jt_runrec_save(rec,
			   rec_path_of(run_dir, rec_path, sizeof(rec_path)),
			   rc == 0 ? err : NULL) < 0)
		rc = -1;
	if (rc == 0 && !killed) {
		if (w.timed_out)
			return jt_error_set_in(
				err, JT_EINVAL, run_dir,
				"the probe was not killed within "
				"%" PRId64 " ms",
				rec->duration_ms);
		if (use_cg && WIFSIGNALED(w.status))
			return jt_error_set_in(
				err, JT_EINVAL, run_dir,
				"the probe died of signal %d but "
				"the cgroup counted no OOM kill",
				WTERMSIG(w.status));
		return jt_error_set_in(err, JT_EINVAL, run_dir,
				       "the probe ended without being killed "
				       "(exit status %d)",
				       rec->exit_status);
	}
	return rc;
}
