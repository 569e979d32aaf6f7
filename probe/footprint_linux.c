/*
 * footprint_linux.c - the probe's OS part on Linux and Android
 *
 * Footprint: Darwin's phys_footprint counts a task's private dirty memory
 * wherever it lives (resident, compressed or swapped) plus the page tables
 * that map it, and not clean file-backed pages.  The closest Linux figure is
 * RssAnon + VmSwap + VmPTE from /proc/self/status: private anonymous
 * resident memory, the part of it swapped out, and page tables.  Pss or
 * VmRSS would count shared libraries' clean text; smaps_rollup has the same
 * anonymous figures but costs a walk of every mapping per read, while
 * status is O(1) and is what the supervisor reads from outside too.
 *
 * Headroom: a limit handed over by a supervisor (JETSAM_PROBE_LIMIT_BYTES,
 * the way iOS 13+ hands an app limit - footprint), else the probe's own
 * memory cgroup: v2 memory.max - memory.current, v1 memory.limit_in_bytes -
 * memory.usage_in_bytes.  A cgroup counts page cache and kernel memory too,
 * so footprint + remaining reads a little below the cgroup's limit.
 *
 * Pressure: cgroup v1 offers memory.pressure_level notifications through
 * an eventfd; they are subscribed to when the probe's cgroup has a limit.
 */
#include "procstatus.h"
#include "probe.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#define UNLIMITED ((int64_t)1 << 60)

static struct {
	int status_fd;
	int usage_fd;        /* cgroup usage file, -1 if none */
	int64_t limit_bytes; /* handed over or from the cgroup, -1 */
	int from_env;        /* limit came from the supervisor */
	int efd[2];          /* pressure eventfds: medium, critical */
} os = {-1, -1, -1, 0, {-1, -1}};

void
jt_probe_os_info(struct jt_probe_os_info *info)
{
	struct utsname u;
	long pages = sysconf(_SC_PHYS_PAGES), psz = sysconf(_SC_PAGESIZE);

	memset(info, 0, sizeof(*info));
	snprintf(info->platform, sizeof(info->platform), "linux");
	snprintf(info->model, sizeof(info->model), "linux");
	if (uname(&u) == 0)
		snprintf(info->os_version, sizeof(info->os_version), "%.63s",
			 u.release);
	info->page_size_bytes = psz > 0 ? psz : 4096;
	info->ram_bytes =
		pages > 0 ? (int64_t)pages * info->page_size_bytes : -1;
}

int
jt_probe_os_datasync(int fd)
{
	return fdatasync(fd);
}

int64_t
jt_probe_os_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

void
jt_probe_os_sleep_until(int64_t mono_ns)
{
	struct timespec ts;

	ts.tv_sec = (time_t)(mono_ns / 1000000000LL);
	ts.tv_nsec = (long)(mono_ns % 1000000000LL);
	(void)clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL);
}

/* read_at0 - read a small /proc or cgroup file from offset 0. */
static ssize_t
read_at0(int fd, char *buf, size_t len)
{
	ssize_t n = pread(fd, buf, len - 1, 0);

	if (n < 0)
		return -1;
	buf[n] = '\0';
	return n;
}

static int64_t
read_int_file(const char *path)
{
	char buf[64];
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = read_at0(fd, buf, sizeof(buf));
	close(fd);
	if (n <= 0)
		return -1;
	if (strncmp(buf, "max", 3) == 0)
		return UNLIMITED;
	return strtoll(buf, NULL, 10);
}

/*
 * cgroup_dir - the directory of this process's memory cgroup, v1 or v2,
 * into dir.  Returns 1 for v1, 2 for v2, 0 if none is found.
 */
static int
cgroup_dir(char *dir, size_t len)
{
	static const char *const v2_roots[] = {"/sys/fs/cgroup",
					       "/sys/fs/cgroup/unified"};
	char line[512], v2path[256] = "";
	FILE *fp = fopen("/proc/self/cgroup", "re");
	int found = 0;
	size_t i;

	if (fp == NULL)
		return 0;
	while (!found && fgets(line, sizeof(line), fp) != NULL) {
		char *c1 = strchr(line, ':'), *c2, *nl;

		if (c1 == NULL || (c2 = strchr(c1 + 1, ':')) == NULL)
			continue;
		if ((nl = strchr(c2, '\n')) != NULL)
			*nl = '\0';
		*c2 = '\0';
		if (strcmp(c1 + 1, "memory") == 0 ||
		    strstr(c1 + 1, "memory,") != NULL ||
		    strstr(c1 + 1, ",memory") != NULL) {
			snprintf(dir, len, "/sys/fs/cgroup/memory%s", c2 + 1);
			found = 1;
		} else if (c1 == line + 1 && line[0] == '0' && c1[1] == '\0') {
			snprintf(v2path, sizeof(v2path), "%s", c2 + 1);
		}
	}
	fclose(fp);
	if (found)
		return 1;
	for (i = 0; v2path[0] != '\0' && i < 2; i++) {
		char probe[600];

		snprintf(dir, len, "%s%s", v2_roots[i], v2path);
		snprintf(probe, sizeof(probe), "%s/memory.max", dir);
		if (access(probe, R_OK) == 0)
			return 2;
	}
	return 0;
}

/* subscribe - a v1 memory.pressure_level notification at level. */
static int
subscribe(const char *dir, const char *level)
{
	char path[600], msg[64];
	int efd, pfd, cfd;

	snprintf(path, sizeof(path), "%s/memory.pressure_level", dir);
	if ((pfd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return -1;
	snprintf(path, sizeof(path), "%s/cgroup.event_control", dir);
	efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	cfd = open(path, O_WRONLY | O_CLOEXEC);
	if (efd >= 0 && cfd >= 0) {
		int n = snprintf(msg, sizeof(msg), "%d %d %s", efd, pfd, level);

		if (write(cfd, msg, (size_t)n) == n) {
			close(cfd);
			close(pfd);
			return efd;
		}
	}
	if (efd >= 0)
		close(efd);
	if (cfd >= 0)
		close(cfd);
	close(pfd);
	return -1;
}

int
jt_probe_os_open(void)
{
	const char *env = getenv(JT_PROBE_LIMIT_ENV);
	char dir[512], path[600];
	int v;

	os.status_fd = open("/proc/self/status", O_RDONLY | O_CLOEXEC);
	if (os.status_fd < 0)
		return -1;
	if (env != NULL && *env != '\0' &&
	    jt_probe_size_parse(env, &os.limit_bytes) == 0) {
		os.from_env = 1;
		return 0;
	}
	os.limit_bytes = -1;
	v = cgroup_dir(dir, sizeof(dir));
	if (v == 0)
		return 0;
	snprintf(path, sizeof(path), "%s/%s", dir,
		 v == 1 ? "memory.limit_in_bytes" : "memory.max");
	os.limit_bytes = read_int_file(path);
	if (os.limit_bytes <= 0 || os.limit_bytes >= UNLIMITED) {
		os.limit_bytes = -1;
		return 0;
	}
	snprintf(path, sizeof(path), "%s/%s", dir,
		 v == 1 ? "memory.usage_in_bytes" : "memory.current");
	os.usage_fd = open(path, O_RDONLY | O_CLOEXEC);
	if (os.usage_fd < 0) {
		os.limit_bytes = -1;
		return 0;
	}
	if (v == 1) {
		os.efd[0] = subscribe(dir, "medium");
		os.efd[1] = subscribe(dir, "critical");
	}
	return 0;
}

void
jt_probe_os_close(void)
{
	int *fds[] = {&os.status_fd, &os.usage_fd, &os.efd[0], &os.efd[1]};
	size_t i;

	for (i = 0; i < sizeof(fds) / sizeof(fds[0]); i++) {
		if (*fds[i] >= 0)
			close(*fds[i]);
		*fds[i] = -1;
	}
	os.limit_bytes = -1;
	os.from_env = 0;
}

int
jt_probe_os_footprint(struct jt_probe_footprint *fp)
{
	char buf[4096];

	fp->footprint_bytes = fp->remaining_bytes = fp->peak_bytes = -1;
	fp->limit_bytes = os.limit_bytes;
	if (os.status_fd < 0 || read_at0(os.status_fd, buf, sizeof(buf)) <= 0)
		return -1;
	fp->footprint_bytes = jt_procstatus_footprint(buf);
	if (fp->footprint_bytes < 0)
		return -1;
	if (os.from_env) {
		fp->remaining_bytes = os.limit_bytes - fp->footprint_bytes;
	} else if (os.usage_fd >= 0) {
		char ubuf[64];

		if (read_at0(os.usage_fd, ubuf, sizeof(ubuf)) <= 0)
			return 0; /* usage unreadable: headroom unknown */
		fp->remaining_bytes = os.limit_bytes - strtoll(ubuf, NULL, 10);
	}
	if (fp->remaining_bytes < 0 && fp->limit_bytes >= 0)
		fp->remaining_bytes = 0; /* over the limit, as iOS says */
	return 0;
}

int
jt_probe_os_pressure(const char **level)
{
	static const char *const names[] = {"warn", "critical"};
	uint64_t count;
	int i;

	for (i = 1; i >= 0; i--) {
		if (os.efd[i] >= 0 &&
		    read(os.efd[i], &count, sizeof(count)) == sizeof(count)) {
			*level = names[i];
			return 1;
		}
	}
	return 0;
}

int
jt_probe_os_syslog(const char *marker, const char *line, size_t len)
{
	(void)marker;
	(void)line;
	(void)len;
	errno = ENOSYS;
	return -1;
}
