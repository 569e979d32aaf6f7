/*
 * footprint_darwin.c - the probe's OS part on iOS (and macOS)
 *
 * Footprint: task_info(TASK_VM_INFO).phys_footprint, the figure Jetsam
 * judges an app by (revision 1, iOS 9).  Headroom: limit_bytes_remaining,
 * trusted only when the kernel filled at least TASK_VM_INFO_REV4_COUNT
 * words (iOS 13+): on older systems the field is beyond what was returned
 * and the headroom is unknown.  Peak: ledger_phys_footprint_peak from
 * revision 3.  Warnings: a DISPATCH_SOURCE_TYPE_MEMORYPRESSURE source
 * (WARN, CRITICAL) whose handler, on a dispatch thread, only sets a flag.
 * Syslog: os_log "%{public}s" at default level behind the fixed marker, so
 * `jetsam capture` can pick the records out of syslog_relay.
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

static struct {
	mach_timebase_info_data_t timebase;
	dispatch_source_t pressure;
	int pending; /* DISPATCH_MEMORYPRESSURE_* bits, set atomically */
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

/* on_pressure - runs on a dispatch thread: record the level, no more. */
static void
on_pressure(void *ctx)
{
	(void)ctx;
	__atomic_fetch_or(&os.pending,
			  (int)dispatch_source_get_data(os.pressure),
			  __ATOMIC_RELEASE);
}

int
jt_probe_os_open(void)
{
	struct jt_probe_footprint fp;

	mach_timebase_info(&os.timebase);
	if (jt_probe_os_footprint(&fp) < 0)
		return -1;
	os.log = os_log_create("com.jetsamkit.probe", "probe");
	os.pressure = dispatch_source_create(
		DISPATCH_SOURCE_TYPE_MEMORYPRESSURE, 0,
		DISPATCH_MEMORYPRESSURE_WARN | DISPATCH_MEMORYPRESSURE_CRITICAL,
		dispatch_get_global_queue(QOS_CLASS_UTILITY, 0));
	if (os.pressure != NULL) {
		dispatch_source_set_event_handler_f(os.pressure, on_pressure);
		dispatch_resume(os.pressure);
	}
	return 0;
}

void
jt_probe_os_close(void)
{
	if (os.pressure != NULL) {
		dispatch_source_cancel(os.pressure);
		dispatch_release(os.pressure);
		os.pressure = NULL;
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
		fp->remaining_bytes = (int64_t)vm.limit_bytes_remaining;
		/* 0 means at or over the limit: the limit is then unknown. */
		if (fp->remaining_bytes > 0)
			fp->limit_bytes =
				fp->footprint_bytes + fp->remaining_bytes;
	}
	return 0;
}

int
jt_probe_os_pressure(const char **level)
{
	int bits = __atomic_exchange_n(&os.pending, 0, __ATOMIC_ACQUIRE);

	if (bits & DISPATCH_MEMORYPRESSURE_CRITICAL) {
		*level = "critical";
		return 1;
	}
	if (bits & DISPATCH_MEMORYPRESSURE_WARN) {
		*level = "warn";
		return 1;
	}
	return 0;
}

int
jt_probe_os_syslog(const char *line, size_t len)
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
	os_log(os.log, JT_PROBE_SYSLOG_MARKER "%{public}s", buf);
	return 0;
}
