/*
 * footprint_darwin.c - the probe's OS part on iOS (and macOS)
 *
 * Footprint: task_info(TASK_VM_INFO).phys_footprint, the figure Jetsam
 * judges an app by (revision 1, iOS 9).  Headroom: limit_bytes_remaining,
 * trusted only when the kernel filled at least TASK_VM_INFO_REV4_COUNT
 * words (iOS 13+): on older systems the field is beyond what was returned
 * and the headroom is unknown.  The kernel also answers 0 when no limit
 * applies (macOS without a limit, a process that is not an app: xnu
 * memorystatus_available_memory_internal), so 0 means "over the limit"
 * only once a nonzero headroom has been seen; before that it is unknown.
 * Peak: ledger_phys_footprint_peak from revision 3.
 *
 * Warnings: a DISPATCH_SOURCE_TYPE_MEMORYPRESSURE source.  On iOS the
 * kernel warns a process at 80 % of its own limit (osfmk/kern/task.c
 * PHYS_FOOTPRINT_WARNING_LEVEL) with the first of PROC_LIMIT_WARN,
 * PRESSURE_CRITICAL, PRESSURE_WARN its source asked for (bsd/kern/
 * kern_memorystatus_notify.c, memorystatus_warn_process), so a source that
 * asks for WARN|CRITICAL only, as UIKit's does, hears its own limit
 * warning as "critical".  This one also asks for PROC_LIMIT_WARN (0x10,
 * libdispatch's private source_private.h; the public source type accepts
 * it), so "limit-warn" is this process near its limit and "warn" and
 * "critical" are only ever the system's pressure.  The handler, on a
 * dispatch thread, only ORs bits into a word; cancelling waits for the
 * cancel handler, after which libdispatch runs no event handler.
 *
 * Syslog: os_log "%{public}s%{public}s" (marker, record) at default level,
 * so `jetsam capture` can pick the records out of syslog_relay.
 *
 * Compile-checked on Linux against tests/shim/darwin (make check-darwin);
 * not run from this tree.
 */
#include "probe.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <TargetConditionals.h>
#include <dispatch/dispatch.h>
#include <mach/mach.h>
#include <mach/mach_time.h>
#include <os/log.h>
#include <sys/sysctl.h>

/* The per-process warning bit; public headers leave it out. */
#ifndef DISPATCH_MEMORYPRESSURE_PROC_LIMIT_WARN
#define DISPATCH_MEMORYPRESSURE_PROC_LIMIT_WARN 0x10
#endif

static struct {
	mach_timebase_info_data_t timebase;
	dispatch_source_t pressure;
	dispatch_semaphore_t cancelled; /* signalled by the cancel handler */
	int pending;    /* DISPATCH_MEMORYPRESSURE_* bits, set atomically */
	int unlogged;   /* bits taken from pending, not yet reported */
	int limit_seen; /* the kernel has reported a nonzero headroom */
	os_log_t log;
} os;

static void
sysctl_string(const char *name, char *buf, size_t len)
{
	size_t n = len;

	if (sysctlbyname(name, buf, &n, NULL, 0) != 0 || n == 0)
		snprintf(buf, len, "unknown");
	else
		buf[len - 1] = '\0';
}

void
jt_probe_os_info(struct jt_probe_os_info *info)
{
	int64_t mem = 0;
	size_t n = sizeof(mem);
	long psz = sysconf(_SC_PAGESIZE);

	memset(info, 0, sizeof(*info));
	snprintf(info->platform, sizeof(info->platform), "%s",
		 TARGET_OS_IPHONE ? "ios" : "darwin");
	sysctl_string("hw.machine", info->model, sizeof(info->model));
	sysctl_string("kern.osproductversion", info->os_version,
		      sizeof(info->os_version));
	info->ram_bytes =
		sysctlbyname("hw.memsize", &mem, &n, NULL, 0) == 0 ? mem : -1;
	info->page_size_bytes = psz > 0 ? psz : 16384;
}

int
jt_probe_os_datasync(int fd)
{
	return fsync(fd);
}

int64_t
jt_probe_os_now_ns(void)
{
	uint64_t t = mach_absolute_time();

	if (os.timebase.denom == 0)
		mach_timebase_info(&os.timebase);
	return (int64_t)(t / os.timebase.denom * os.timebase.numer +
			 t % os.timebase.denom * os.timebase.numer /
				 os.timebase.denom);
}

void
jt_probe_os_sleep_until(int64_t mono_ns)
{
	uint64_t ns = mono_ns > 0 ? (uint64_t)mono_ns : 0;

	if (os.timebase.denom == 0)
		mach_timebase_info(&os.timebase);
	/* mach_wait_until takes an absolute deadline, like the schedule. */
	mach_wait_until(ns / os.timebase.numer * os.timebase.denom +
			ns % os.timebase.numer * os.timebase.denom /
				os.timebase.numer);
}

/*
 * on_pressure - runs on a dispatch thread: record the level, no more.  The
 * source comes as the context, never from os.pressure, which the probe
 * thread clears on close.
 */
static void
on_pressure(void *ctx)
{
	dispatch_source_t src = ctx;

	__atomic_fetch_or(&os.pending, (int)dispatch_source_get_data(src),
			  __ATOMIC_RELEASE);
}

static void
on_cancelled(void *ctx)
{
	(void)ctx;
	dispatch_semaphore_signal(os.cancelled);
}

int
jt_probe_os_open(void)
{
	struct jt_probe_footprint fp;
	dispatch_source_t src;

	mach_timebase_info(&os.timebase);
	os.limit_seen = 0;
	if (jt_probe_os_footprint(&fp) < 0)
		return -1;
	if (os.log == NULL)
		os.log = os_log_create("com.jetsamkit.probe", "probe");
	os.pending = os.unlogged = 0;
	os.cancelled = dispatch_semaphore_create(0);
	src = dispatch_source_create(
		DISPATCH_SOURCE_TYPE_MEMORYPRESSURE, 0,
		DISPATCH_MEMORYPRESSURE_PROC_LIMIT_WARN |
			DISPATCH_MEMORYPRESSURE_WARN |
			DISPATCH_MEMORYPRESSURE_CRITICAL,
		dispatch_get_global_queue(QOS_CLASS_UTILITY, 0));
	if (src != NULL && os.cancelled != NULL) {
		dispatch_set_context(src, src);
		dispatch_source_set_event_handler_f(src, on_pressure);
		dispatch_source_set_cancel_handler_f(src, on_cancelled);
		dispatch_resume(src);
		os.pressure = src;
	} else if (src != NULL) {
		dispatch_release(src);
	}
	return 0;
}

void
jt_probe_os_close(void)
{
	if (os.pressure != NULL) {
		/* After the cancel handler, no event handler runs again. */
		dispatch_source_cancel(os.pressure);
		dispatch_semaphore_wait(os.cancelled, DISPATCH_TIME_FOREVER);
		dispatch_release(os.pressure);
		os.pressure = NULL;
	}
	if (os.cancelled != NULL) {
		dispatch_release(os.cancelled);
		os.cancelled = NULL;
	}
}

int
jt_probe_os_footprint(struct jt_probe_footprint *fp)
{
	task_vm_info_data_t vm;
	mach_msg_type_number_t count = TASK_VM_INFO_COUNT;

	fp->footprint_bytes = fp->remaining_bytes = -1;
	fp->peak_bytes = fp->limit_bytes = -1;
	memset(&vm, 0, sizeof(vm));
	if (task_info(mach_task_self(), TASK_VM_INFO, (task_info_t)&vm,
		      &count) != KERN_SUCCESS ||
	    count < TASK_VM_INFO_REV1_COUNT)
		return -1;
	fp->footprint_bytes = (int64_t)vm.phys_footprint;
	if (count >= TASK_VM_INFO_REV3_COUNT)
		fp->peak_bytes = vm.ledger_phys_footprint_peak;
	if (count >= TASK_VM_INFO_REV4_COUNT) {
		int64_t rem = (int64_t)vm.limit_bytes_remaining;

		/* 0 before any nonzero answer: no limit applies, unknown.
		 * 0 after one: at or over the limit, which is then unknown. */
		if (rem > 0) {
			os.limit_seen = 1;
			fp->remaining_bytes = rem;
			fp->limit_bytes = fp->footprint_bytes + rem;
		} else if (os.limit_seen) {
			fp->remaining_bytes = 0;
		}
	}
	return 0;
}

int
jt_probe_os_pressure(const char **level)
{
	static const struct {
		int bit;
		const char *name;
	} levels[] = {
		{DISPATCH_MEMORYPRESSURE_PROC_LIMIT_WARN, "limit-warn"},
		{DISPATCH_MEMORYPRESSURE_CRITICAL, "critical"},
		{DISPATCH_MEMORYPRESSURE_WARN, "warn"},
	};
	size_t i;

	/* Several levels may arrive between two polls: one per call. */
	os.unlogged |= __atomic_exchange_n(&os.pending, 0, __ATOMIC_ACQUIRE);
	for (i = 0; i < sizeof(levels) / sizeof(levels[0]); i++) {
		if (os.unlogged & levels[i].bit) {
			os.unlogged &= ~levels[i].bit;
			*level = levels[i].name;
			return 1;
		}
	}
	os.unlogged = 0; /* NORMAL and bits not asked for */
	return 0;
}

int
jt_probe_os_syslog(const char *marker, const char *line, size_t len)
{
	char buf[JT_PROBE_LINE_MAX];

	if (os.log == NULL) {
		errno = EIO;
		return -1;
	}
	if (len >= sizeof(buf))
		len = sizeof(buf) - 1;
	memcpy(buf, line, len);
	buf[len] = '\0';
	os_log(os.log, "%{public}s%{public}s", marker, buf);
	return 0;
}
