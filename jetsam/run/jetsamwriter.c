/*
 * jetsamwriter.c - JetsamEvent reports in the layout a phone writes
 *
 * Written by hand rather than through jansson because the layout is the
 * point: NSJSONSerialization's " : " separator, its two-space indent that
 * does not re-indent objects directly under the top level, "\/" for "/",
 * 17 significant digits for doubles, and the key order of iOS 14.2, where
 * a killed entry's keys are shuffled (reason between priority and
 * physicalPages, name after pid).  See the real report in
 * tests/fixtures/jetsam/ and reference/jetsam-format.md sections 1-5.
 */
#include "jetsamwriter.h"

#include <errno.h>
#include <inttypes.h>
#include <string.h>
#include <time.h>

#include "jetsam/core/fileio.h"

/* put_str - a JSON string as NSJSONSerialization writes it. */
static void
put_str(FILE *out, const char *s, size_t max)
{
	size_t i;

	fputc('"', out);
	for (i = 0; s != NULL && s[i] != '\0' && i < max; i++) {
		unsigned char ch = (unsigned char)s[i];

		if (ch == '"' || ch == '\\' || ch == '/')
			fprintf(out, "\\%c", ch);
		else if (ch == '\n')
			fputs("\\n", out);
		else if (ch < 0x20)
			fprintf(out, "\\u%04x", ch);
		else
			fputc(ch, out);
	}
	fputc('"', out);
}

static void
kv_str(FILE *out, const char *indent, const char *key, const char *s,
       const char *end)
{
	fprintf(out, "%s\"%s\" : ", indent, key);
	put_str(out, s, (size_t)-1);
	fputs(end, out);
}

static void
kv_int(FILE *out, const char *indent, const char *key, int64_t v,
       const char *end)
{
	fprintf(out, "%s\"%s\" : %" PRId64 "%s", indent, key, v, end);
}

static void
format_date(int64_t unix_ms, char *buf, size_t len)
{
	time_t t = (time_t)(unix_ms / 1000);
	struct tm tm;
	char day[32];

	gmtime_r(&t, &tm);
	strftime(day, sizeof(day), "%Y-%m-%d %H:%M:%S", &tm);
	snprintf(buf, len, "%s.%02d +0000", day, (int)(unix_ms % 1000 / 10));
}

const char *
jt_jetsam_file_name(int64_t unix_ms, char *buf, size_t len)
{
	time_t t = (time_t)(unix_ms / 1000);
	struct tm tm;

	gmtime_r(&t, &tm);
	if (strftime(buf, len, "JetsamEvent-%Y-%m-%d-%H%M%S.ips", &tm) == 0 &&
	    len > 0)
		buf[0] = '\0';
	return buf;
}

static void
put_states(FILE *out, const char *const *states)
{
	size_t i;

	fputs("    \"states\" : [", out);
	for (i = 0; states != NULL && states[i] != NULL; i++) {
		fputs(i ? ",\n      " : "\n      ", out);
		put_str(out, states[i], (size_t)-1);
	}
	fputs(i ? "\n    ],\n" : "\n\n    ],\n", out);
}

static void
put_physical(FILE *out, const struct jt_jetsam_proc *p)
{
	fprintf(out,
		"    \"physicalPages\" : {\n"
		"      \"internal\" : [\n"
		"        %" PRId64 ",\n"
		"        0\n"
		"      ]\n"
		"    },\n",
		p->rpages);
}

static void
put_proc(FILE *out, const struct jt_jetsam_proc *p, int last)
{
	const char *in = "    ";

	fputs("  {\n", out);
	kv_str(out, in, "uuid", p->uuid, ",\n");
	put_states(out, p->states);
	if (p->reason != NULL) {
		/* iOS 14.2's order for a killed entry. */
		kv_int(out, in, "lifetimeMax", p->lifetime_max_pages, ",\n");
		kv_int(out, in, "killDelta", p->kill_delta_ticks, ",\n");
		kv_int(out, in, "age", p->age_ticks, ",\n");
		kv_int(out, in, "purgeable", 0, ",\n");
		kv_int(out, in, "fds", p->fds, ",\n");
		kv_int(out, in, "genCount", 0, ",\n");
		kv_int(out, in, "coalition", p->coalition, ",\n");
		kv_int(out, in, "rpages", p->rpages, ",\n");
		kv_int(out, in, "priority", p->priority, ",\n");
		kv_str(out, in, "reason", p->reason, ",\n");
		put_physical(out, p);
		kv_int(out, in, "pid", p->pid, ",\n");
		kv_int(out, in, "idleDelta", 0, ",\n");
		fprintf(out, "%s\"name\" : ", in);
		put_str(out, p->name, 32);
		fprintf(out, ",\n%s\"cpuTime\" : %.17g\n", in, p->cpu_time_s);
	} else {
		kv_int(out, in, "age", p->age_ticks, ",\n");
		kv_int(out, in, "purgeable", 0, ",\n");
		kv_int(out, in, "fds", p->fds, ",\n");
		kv_int(out, in, "coalition", p->coalition, ",\n");
		kv_int(out, in, "rpages", p->rpages, ",\n");
		kv_int(out, in, "priority", p->priority, ",\n");
		put_physical(out, p);
		kv_int(out, in, "pid", p->pid, ",\n");
		fprintf(out, "%s\"cpuTime\" : %.17g,\n", in, p->cpu_time_s);
		fprintf(out, "%s\"name\" : ", in);
		put_str(out, p->name, 32);
		fputs(",\n", out);
		kv_int(out, in, "lifetimeMax", p->lifetime_max_pages, "\n");
	}
	fputs(last ? "  }\n" : "  },\n", out);
}

int
jt_jetsam_write(FILE *out, const struct jt_jetsam_event *ev,
		struct jt_error *err)
{
	const struct jt_jetsam_pages *pg = &ev->pages;
	char date[64], build[160];
	size_t i;

	if (ev->product == NULL || ev->os_version == NULL ||
	    ev->os_build == NULL || ev->page_size_bytes <= 0 ||
	    ev->nprocs == 0 || ev->procs == NULL)
		return jt_error_set_in(err, JT_EINVAL, NULL,
				       "jetsam report needs a product, an OS "
				       "version and build, a page size and a "
				       "process");
	format_date(ev->unix_ms, date, sizeof(date));
	snprintf(build, sizeof(build), "iPhone OS %s (%s)", ev->os_version,
		 ev->os_build);

	/* The header: compact, one line, bug_type a string. */
	fputs("{\"bug_type\":\"298\",\"timestamp\":", out);
	put_str(out, date, (size_t)-1);
	fputs(",\"os_version\":", out);
	put_str(out, build, (size_t)-1);
	fputs(",\"incident_id\":", out);
	put_str(out, ev->incident, (size_t)-1);
	fputs("}\n{\n", out);

	kv_str(out, "  ", "crashReporterKey", ev->crash_reporter_key, ",\n");
	kv_str(out, "  ", "kernel", ev->kernel, ",\n");
	kv_str(out, "  ", "product", ev->product, ",\n");
	kv_str(out, "  ", "incident", ev->incident, ",\n");
	kv_str(out, "  ", "date", date, ",\n");
	kv_str(out, "  ", "build", build, ",\n");
	kv_int(out, "  ", "timeDelta", ev->time_delta_ms, ",\n");
	fputs("  \"memoryStatus\" : {\n", out);
	kv_int(out, "  ", "compressorSize", ev->compressor_pages, ",\n");
	kv_int(out, "  ", "compressions", 0, ",\n");
	kv_int(out, "  ", "decompressions", 0, ",\n");
	kv_int(out, "  ", "zoneMapCap", 0, ",\n");
	kv_str(out, "  ", "largestZone", "none", ",\n");
	kv_int(out, "  ", "largestZoneSize", 0, ",\n");
	kv_int(out, "  ", "pageSize", ev->page_size_bytes, ",\n");
	kv_int(out, "  ", "uncompressed", 0, ",\n");
	kv_int(out, "  ", "zoneMapSize", 0, ",\n");
	fputs("  \"memoryPages\" : {\n", out);
	kv_int(out, "    ", "active", pg->active, ",\n");
	kv_int(out, "    ", "throttled", pg->throttled, ",\n");
	kv_int(out, "    ", "fileBacked", pg->file_backed, ",\n");
	kv_int(out, "    ", "wired", pg->wired, ",\n");
	kv_int(out, "    ", "anonymous", pg->anonymous, ",\n");
	kv_int(out, "    ", "purgeable", pg->purgeable, ",\n");
	kv_int(out, "    ", "inactive", pg->inactive, ",\n");
	kv_int(out, "    ", "free", pg->free, ",\n");
	kv_int(out, "    ", "speculative", pg->speculative, "\n");
	fputs("  }\n},\n", out);
	kv_str(out, "  ", "largestProcess", ev->largest_process, ",\n");
	kv_int(out, "  ", "genCounter", 0, ",\n");
	fputs("  \"processes\" : [\n", out);
	for (i = 0; i < ev->nprocs; i++)
		put_proc(out, &ev->procs[i], i + 1 == ev->nprocs);
	fputs("]\n}\n", out);
	if (fflush(out) != 0 || ferror(out))
		return jt_error_set_errno(err, errno ? errno : EIO, NULL,
					  "cannot write the jetsam report");
	return 0;
}

int
jt_jetsam_save(const char *path, const struct jt_jetsam_event *ev,
	       struct jt_error *err)
{
	struct jt_atomic a;
	FILE *fp = jt_atomic_open(&a, path, err);

	if (fp == NULL)
		return -1;
	if (jt_jetsam_write(fp, ev, err) < 0) {
		jt_atomic_abort(&a);
		return -1;
	}
	return jt_atomic_commit(&a, 1, err);
}
