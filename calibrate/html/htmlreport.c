/*
 * htmlreport.c - write the lab report as one HTML page with inline SVG
 *
 * The charts are drawn here rather than by a plotting library: they are
 * simple (a polyline, a few lines and bars), and drawing them ourselves keeps
 * the page free of scripts and fonts from outside and the output stable.
 * Every chart is an <svg class="chart"> whose data series are each one
 * <g class="series">, and it says in data-expected-series how many it drew,
 * so a browser test can check that what it renders is what was meant.
 */
#include "htmlreport.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "calibrate/table/diff.h"

#define CHART_W 720
#define CHART_H 280
#define PAD_L 72
#define PAD_R 24
#define PAD_T 24
#define PAD_B 40
#define MAX_POINTS 1500

static const char *const series_colour[] = {"#1f77b4", "#d62728", "#ff7f0e",
					    "#2ca02c", "#9467bd"};

static void
esc(FILE *out, const char *s)
{
	if (s == NULL)
		return;
	for (; *s != '\0'; s++) {
		switch (*s) {
		case '&':
			fputs("&amp;", out);
			break;
		case '<':
			fputs("&lt;", out);
			break;
		case '>':
			fputs("&gt;", out);
			break;
		case '"':
			fputs("&quot;", out);
			break;
		case '\'':
			fputs("&#39;", out);
			break;
		default:
			fputc(*s, out);
		}
	}
}

/* mib - bytes as "512.0 MiB", or "-" when unknown. */
static const char *
mib(int64_t bytes, char *buf, size_t len)
{
	if (bytes < 0)
		snprintf(buf, len, "-");
	else
		snprintf(buf, len, "%.1f MiB", (double)bytes / 1048576.0);
	return buf;
}

/* mib_signed - bytes as "-12.0 MiB" (may be negative). */
static const char *
mib_signed(int64_t bytes, char *buf, size_t len)
{
	snprintf(buf, len, "%.1f MiB", (double)bytes / 1048576.0);
	return buf;
}

/* err_mib - estimate minus truth as "+0.3 MiB", or "" when unknown. */
static const char *
err_mib(int64_t est, int64_t truth, char *buf, size_t len)
{
	if (est < 0 || truth < 0)
		snprintf(buf, len, "%s", "");
	else
		snprintf(buf, len, " (%+.1f)",
			 (double)(est - truth) / 1048576.0);
	return buf;
}

int
jt_html_run_load(struct jt_html_run *run, const char *path,
		 struct jt_error *err)
{
	struct stat st;
	char *json_path, *dir, *slash, *log_path;
	size_t n;
	int rc;

	memset(run, 0, sizeof(*run));
	jt_runrec_init(&run->rec);
	run->path = path;
	n = strlen(path);
	json_path = malloc(n + sizeof("/run.json"));
	if (json_path == NULL)
		return jt_error_oom(err, path);
	memcpy(json_path, path, n + 1);
	if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
		memcpy(json_path + n, "/run.json", sizeof("/run.json"));
	rc = jt_runrec_load(&run->rec, json_path, err);
	if (rc < 0 || run->rec.probe_log == NULL) {
		free(json_path);
		return rc;
	}
	/* The log is named relative to the directory of run.json. */
	dir = json_path;
	slash = strrchr(dir, '/');
	if (slash != NULL)
		slash[1] = '\0';
	else
		dir[0] = '\0';
	if (run->rec.probe_log[0] == '/')
		dir[0] = '\0';
	log_path = malloc(strlen(dir) + strlen(run->rec.probe_log) + 1);
	if (log_path != NULL) {
		strcpy(log_path, dir);
		strcat(log_path, run->rec.probe_log);
		run->log = jt_probelog_load(log_path, 1, NULL);
	}
	free(log_path);
	free(json_path);
	return 0;
}

void
jt_html_run_release(struct jt_html_run *run)
{
	jt_runrec_release(&run->rec);
	jt_probelog_free(run->log);
	run->log = NULL;
}

/* limit_of - the line drawn as "the limit", and what it is. */
static int64_t
limit_of(const struct jt_runrec *r, const char **what)
{
	if (r->truth_limit_bytes >= 0) {
		*what = "enforced limit";
		return r->truth_limit_bytes;
	}
	if (r->kernel_limit_bytes >= 0) {
		*what = "limit (kernel kill line)";
		return r->kernel_limit_bytes;
	}
	if (r->footprint_remaining_bytes >= 0) {
		*what = "limit (footprint + remaining)";
		return r->footprint_remaining_bytes;
	}
	if (r->report_bytes >= 0) {
		*what = "limit (report rpages x pageSize)";
		return r->report_bytes;
	}
	if (r->crossing_bytes >= 0) {
		*what = "limit (crossing estimate)";
		return r->crossing_bytes;
	}
	*what = NULL;
	return -1;
}

static const struct jt_probe_event *
first_warning(const struct jt_probelog *log)
{
	size_t i;

	for (i = 0; log != NULL && i < log->nevents; i++)
		if (log->events[i].kind != NULL &&
		    strcmp(log->events[i].kind, "warning") == 0)
			return &log->events[i];
	return NULL;
}

static int
was_killed(const struct jt_runrec *r)
{
	return r->exit_signal != 0 || r->kill_reason != NULL;
}

int
jt_html_expected_series(const struct jt_html_run *run)
{
	const char *what;
	int n = 0;

	if (run->log == NULL || run->log->nsamples == 0)
		return 0;
	n++; /* footprint */
	if (limit_of(&run->rec, &what) >= 0)
		n++;
	if (first_warning(run->log) != NULL)
		n++;
	if (was_killed(&run->rec))
		n++;
	return n;
}

struct scale {
	double x0, x1, y0, y1; /* data ranges */
};

static double
sx(const struct scale *s, double x)
{
	double w = CHART_W - PAD_L - PAD_R;

	return PAD_L + (s->x1 > s->x0 ? (x - s->x0) / (s->x1 - s->x0) : 0) * w;
}

static double
sy(const struct scale *s, double y)
{
	double h = CHART_H - PAD_T - PAD_B;

	return PAD_T + h -
		(s->y1 > s->y0 ? (y - s->y0) / (s->y1 - s->y0) : 0) * h;
}

/* nice_step - the smallest of 1, 2 or 5 x 10^k that is at least span/n. */
static double
nice_step(double span, int n)
{
	double raw = span / n, mag = 1;

	if (raw <= 0)
		return 1;
	while (mag * 10 <= raw)
		mag *= 10;
	while (mag > raw)
		mag /= 10;
	if (mag >= raw)
		return mag;
	if (2 * mag >= raw)
		return 2 * mag;
	if (5 * mag >= raw)
		return 5 * mag;
	return 10 * mag;
}

/*
 * axes - draw the frame, y ticks every ystep bytes (labelled in MiB, or
 * as percentages when percent is set) and, when xstep > 0, x ticks every
 * xstep ms (labelled in seconds).
 */
static void
axes(FILE *out, const struct scale *s, double ystep, double xstep,
     const char *xlabel, int percent)
{
	double v;

	fprintf(out,
		"<g class=\"axes\"><line x1=\"%d\" y1=\"%d\" x2=\"%d\" "
		"y2=\"%d\"/><line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>",
		PAD_L, PAD_T, PAD_L, CHART_H - PAD_B, PAD_L, CHART_H - PAD_B,
		CHART_W - PAD_R, CHART_H - PAD_B);
	for (v = s->y0; v <= s->y1 + ystep / 1e6; v += ystep)
		fprintf(out,
			"<line class=\"grid\" x1=\"%d\" y1=\"%.1f\" x2=\"%d\" "
			"y2=\"%.1f\"/><text x=\"%d\" y=\"%.1f\" "
			"text-anchor=\"end\">%g %s</text>",
			PAD_L, sy(s, v), CHART_W - PAD_R, sy(s, v), PAD_L - 6,
			sy(s, v) + 4, percent ? v : v / 1048576.0,
			percent ? "%" : "MiB");
	for (v = s->x0; xstep > 0 && v <= s->x1 + xstep / 1e6; v += xstep)
		fprintf(out,
			"<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">"
			"%g</text>",
			sx(s, v), CHART_H - PAD_B + 16, v / 1000.0);
	fprintf(out,
		"<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">%s</text></g>\n",
		PAD_L + (CHART_W - PAD_L - PAD_R) / 2, CHART_H - 6, xlabel);
}

/* y_axis - a y scale from 0 to a whole number of nice MiB steps over top. */
static double
y_axis(struct scale *s, double top)
{
	double step = nice_step(top / 1048576.0, 4) * 1048576.0;

	s->y0 = 0;
	s->y1 = step;
	while (s->y1 < top)
		s->y1 += step;
	return step;
}

static void
run_chart(FILE *out, const struct jt_html_run *run)
{
	const struct jt_probelog *log = run->log;
	const struct jt_runrec *r = &run->rec;
	const struct jt_probe_event *warn;
	const struct jt_probe_sample *last;
	struct scale s;
	const char *what;
	int64_t limit, ymax = 0;
	size_t i, stride;
	double xstep, ystep;
	char b1[32], b2[32];

	if (log == NULL || log->nsamples == 0) {
		fputs("<p class=\"missing\">No probe log samples for this run."
		      "</p>\n",
		      out);
		return;
	}
	last = &log->samples[log->nsamples - 1];
	limit = limit_of(r, &what);
	warn = first_warning(log);
	for (i = 0; i < log->nsamples; i++)
		if (log->samples[i].footprint_bytes > ymax)
			ymax = log->samples[i].footprint_bytes;
	if (limit > ymax)
		ymax = limit;
	s.x0 = 0;
	xstep = nice_step(last->t_ms > 0 ? (double)last->t_ms : 1.0, 5);
	s.x1 = xstep;
	while (s.x1 < (double)last->t_ms)
		s.x1 += xstep;
	ystep = y_axis(&s, ymax > 0 ? (double)ymax * 1.05 : 1.0);

	fprintf(out,
		"<svg class=\"chart\" role=\"img\" width=\"%d\" height=\"%d\" "
		"viewBox=\"0 0 %d %d\" data-expected-series=\"%d\" "
		"aria-label=\"footprint over time\">\n",
		CHART_W, CHART_H, CHART_W, CHART_H,
		jt_html_expected_series(run));
	axes(out, &s, ystep, xstep, "seconds since probe start", 0);

	/* The footprint, thinned to at most MAX_POINTS points. */
	stride = log->nsamples / MAX_POINTS + 1;
	fprintf(out,
		"<g class=\"series\" data-series=\"footprint\"><polyline "
		"fill=\"none\" stroke=\"%s\" stroke-width=\"1.5\" points=\"",
		series_colour[0]);
	for (i = 0; i < log->nsamples; i += stride)
		fprintf(out, "%s%.1f,%.1f", i ? " " : "",
			sx(&s, (double)log->samples[i].t_ms),
			sy(&s, (double)log->samples[i].footprint_bytes));
	if ((log->nsamples - 1) % stride != 0)
		fprintf(out, " %.1f,%.1f", sx(&s, (double)last->t_ms),
			sy(&s, (double)last->footprint_bytes));
	fputs("\"/><title>phys_footprint</title></g>\n", out);

	if (limit >= 0) {
		fprintf(out,
			"<g class=\"series\" data-series=\"limit\"><line "
			"x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" "
			"stroke=\"%s\" stroke-dasharray=\"6 4\"/><text x=\"%d\" "
			"y=\"%.1f\">",
			PAD_L, sy(&s, (double)limit), CHART_W - PAD_R,
			sy(&s, (double)limit), series_colour[1], PAD_L + 6,
			sy(&s, (double)limit) - 5);
		esc(out, what);
		fprintf(out, " %s</text></g>\n", mib(limit, b1, sizeof(b1)));
	}
	if (warn != NULL) {
		int64_t fp = warn->footprint_bytes >= 0
			? warn->footprint_bytes
			: r->first_warning_bytes;

		fprintf(out,
			"<g class=\"series\" data-series=\"first-warning\">"
			"<circle cx=\"%.1f\" cy=\"%.1f\" r=\"5\" fill=\"%s\"/>"
			"<text x=\"%.1f\" y=\"%.1f\">first warning %s</text>"
			"</g>\n",
			sx(&s, (double)warn->t_ms),
			sy(&s, (double)(fp > 0 ? fp : 0)), series_colour[2],
			sx(&s, (double)warn->t_ms) + 8,
			sy(&s, (double)(fp > 0 ? fp : 0)) + 16,
			mib(fp, b1, sizeof(b1)));
	}
	if (was_killed(r)) {
		double kx = sx(&s, (double)last->t_ms);
		double ky = sy(&s, (double)last->footprint_bytes);

		fprintf(out,
			"<g class=\"series\" data-series=\"kill\"><path d=\"M"
			"%.1f %.1fl-6 -6m6 6l6 6m-6 -6l6 -6m-6 6l-6 6\" "
			"stroke=\"%s\" stroke-width=\"2.5\"/>",
			kx, ky, series_colour[3]);
		if (limit >= 0 && last->footprint_bytes > limit)
			fprintf(out,
				"<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" "
				"y2=\"%.1f\" stroke=\"%s\" stroke-width=\"3\"/>",
				kx, sy(&s, (double)limit), kx, ky,
				series_colour[3]);
		fputs("<text x=\"", out);
		fprintf(out, "%.1f\" y=\"%.1f\" text-anchor=\"end\">killed",
			kx - 10, ky + 18);
		if (r->kill_reason != NULL) {
			fputs(" (", out);
			esc(out, r->kill_reason);
			fputc(')', out);
		}
		if (r->overshoot_bytes >= 0)
			fprintf(out, ", overshoot %s",
				mib(r->overshoot_bytes, b2, sizeof(b2)));
		fputs("</text></g>\n", out);
	}
	fputs("</svg>\n", out);
}

static void
row_cell(FILE *out, const char *text, int num)
{
	fputs(num ? "<td class=\"n\">" : "<td>", out);
	esc(out, text);
	fputs("</td>", out);
}

static void
evidence_table(FILE *out, const struct jt_html_input *in)
{
	static const char *const head[] = {
		"run",       "model",         "OS",
		"enforcer",  "limit (truth)", "footprint + remaining",
		"crossing",  "report",        "first warning",
		"overshoot", "duration",      "samples",
		"kill"};
	size_t i, k;
	char b[64], e[32], t[96];

	fputs("<table class=\"evidence\"><thead><tr>", out);
	for (k = 0; k < sizeof(head) / sizeof(head[0]); k++) {
		fputs("<th>", out);
		esc(out, head[k]);
		fputs("</th>", out);
	}
	fputs("</tr></thead><tbody>\n", out);
	for (i = 0; i < in->nruns; i++) {
		const struct jt_runrec *r = &in->runs[i].rec;
		const int64_t ests[] = {r->footprint_remaining_bytes,
					r->crossing_bytes, r->report_bytes,
					r->first_warning_bytes};

		fputs("<tr>", out);
		row_cell(out, r->run_id != NULL ? r->run_id : in->runs[i].path,
			 0);
		row_cell(out, r->model, 0);
		row_cell(out, r->os_version, 0);
		row_cell(out, r->enforcer, 0);
		row_cell(out, mib(r->truth_limit_bytes, b, sizeof(b)), 1);
		for (k = 0; k < sizeof(ests) / sizeof(ests[0]); k++) {
			snprintf(t, sizeof(t), "%s%s",
				 mib(ests[k], b, sizeof(b)),
				 err_mib(ests[k], r->truth_limit_bytes, e,
					 sizeof(e)));
			row_cell(out, t, 1);
		}
		row_cell(out, mib(r->overshoot_bytes, b, sizeof(b)), 1);
		if (r->duration_ms >= 0)
			snprintf(t, sizeof(t), "%.1f s",
				 (double)r->duration_ms / 1000.0);
		else
			snprintf(t, sizeof(t), "-");
		row_cell(out, t, 1);
		snprintf(t, sizeof(t), "%" PRId64, r->samples);
		row_cell(out, r->samples >= 0 ? t : "-", 1);
		row_cell(out, r->kill_reason != NULL ? r->kill_reason : "-", 0);
		fputs("</tr>\n", out);
	}
	fputs("</tbody></table>\n"
	      "<p class=\"note\">Figures in brackets are each estimate minus "
	      "the enforced limit, in MiB.</p>\n",
	      out);
}

/* The four bars of a model, in series order. */
static int64_t
bar_value(const struct jt_table_entry *e, int series)
{
	switch (series) {
	case 0:
		return e->ceiling_bytes;
	case 1:
		return e->growth_bytes;
	case 2:
		return e->baseline_bytes;
	default:
		return e->threshold_bytes;
	}
}

static void
model_chart(FILE *out, const struct jt_table *t)
{
	static const char *const names[] = {"ceiling", "growth", "baseline",
					    "danger threshold"};
	static const char *const keys[] = {"ceiling", "growth", "baseline",
					   "danger"};
	double ymax = 1, group_w, bar_w, ystep;
	struct scale s;
	size_t i;
	int k;
	char b[32];

	for (i = 0; i < t->nentries; i++)
		for (k = 0; k < 4; k++)
			if ((double)bar_value(&t->entries[i], k) > ymax)
				ymax = (double)bar_value(&t->entries[i], k);
	s.x0 = 0;
	s.x1 = (double)(t->nentries ? t->nentries : 1);
	ystep = y_axis(&s, ymax * 1.05);
	group_w = (CHART_W - PAD_L - PAD_R) / s.x1;
	bar_w = group_w * 0.8 / 4;
	fprintf(out,
		"<svg class=\"chart\" role=\"img\" width=\"%d\" height=\"%d\" "
		"viewBox=\"0 0 %d %d\" data-expected-series=\"4\" "
		"aria-label=\"thresholds per model\">\n",
		CHART_W, CHART_H, CHART_W, CHART_H);
	axes(out, &s, ystep, 0, "", 0);
	for (k = 0; k < 4; k++) {
		fprintf(out, "<g class=\"series\" data-series=\"%s\">",
			keys[k]);
		for (i = 0; i < t->nentries; i++) {
			int64_t v = bar_value(&t->entries[i], k);
			double x = PAD_L + group_w * (double)i + group_w * 0.1 +
				bar_w * k;

			if (v < 0)
				continue;
			fprintf(out,
				"<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
				"height=\"%.1f\" fill=\"%s\"><title>",
				x, sy(&s, (double)v), bar_w,
				sy(&s, 0) - sy(&s, (double)v),
				series_colour[k]);
			esc(out, t->entries[i].model);
			fputc(' ', out);
			esc(out, t->entries[i].os_version);
			fprintf(out, " %s %s</title></rect>", names[k],
				mib(v, b, sizeof(b)));
		}
		fputs("</g>\n", out);
	}
	for (i = 0; i < t->nentries; i++) {
		fprintf(out,
			"<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">",
			PAD_L + group_w * ((double)i + 0.5),
			CHART_H - PAD_B + 30);
		esc(out, t->entries[i].model);
		fputc(' ', out);
		esc(out, t->entries[i].os_version);
		fputs("</text>", out);
	}
	fputs("\n</svg>\n<p class=\"legend\">", out);
	for (k = 0; k < 4; k++)
		fprintf(out, "<span style=\"color:%s\">&#9632; %s</span> ",
			series_colour[k], names[k]);
	fputs("</p>\n", out);
}

static void
threshold_table(FILE *out, const struct jt_table *t)
{
	static const char *const head[] = {
		"model",  "name", "OS",     "profile",  "ceiling",
		"method", "runs", "growth", "baseline", "danger threshold",
		"rule",   "flags"};
	size_t i, k;
	char b[64];

	fputs("<table class=\"thresholds\"><thead><tr>", out);
	for (k = 0; k < sizeof(head) / sizeof(head[0]); k++) {
		fputs("<th>", out);
		esc(out, head[k]);
		fputs("</th>", out);
	}
	fputs("</tr></thead><tbody>\n", out);
	for (i = 0; i < t->nentries; i++) {
		const struct jt_table_entry *e = &t->entries[i];

		fputs("<tr>", out);
		row_cell(out, e->model, 0);
		row_cell(out, e->model_name != NULL ? e->model_name : "unknown",
			 0);
		row_cell(out, e->os_version, 0);
		row_cell(out, e->profile, 0);
		row_cell(out, mib(e->ceiling_bytes, b, sizeof(b)), 1);
		row_cell(out, e->ceiling_method, 0);
		snprintf(b, sizeof(b), "%ld", e->runs);
		row_cell(out, b, 1);
		row_cell(out, mib(e->growth_bytes, b, sizeof(b)), 1);
		row_cell(out, mib(e->baseline_bytes, b, sizeof(b)), 1);
		row_cell(out, mib(e->threshold_bytes, b, sizeof(b)), 1);
		row_cell(out, jt_rule_name(e->rule), 0);
		snprintf(b, sizeof(b), "%s%s%s",
			 e->no_headroom ? "no headroom " : "",
			 e->disagree ? "sources disagree " : "",
			 e->known_model ? "" : "unknown model");
		row_cell(out, b, 0);
		fputs("</tr>\n", out);
	}
	fputs("</tbody></table>\n", out);
}

static void
field_only_table(FILE *out, const struct jt_table *t)
{
	static const char *const head[] = {"model",    "name",    "growth",
					   "page",     "samples", "baseline",
					   "sessions", "flags"};
	size_t i, k;
	char b[64];

	fputs("<h3>Field-only models</h3>\n<p>Field data and no lab "
	      "evidence: on the device, danger = live limit &minus; the "
	      "model's growth, never below its baseline.</p>\n"
	      "<table class=\"field-only\"><thead><tr>",
	      out);
	for (k = 0; k < sizeof(head) / sizeof(head[0]); k++) {
		fputs("<th>", out);
		esc(out, head[k]);
		fputs("</th>", out);
	}
	fputs("</tr></thead><tbody>\n", out);
	for (i = 0; i < t->nfield_only; i++) {
		const struct jt_field_only *f = &t->field_only[i];

		fputs("<tr>", out);
		row_cell(out, f->model, 0);
		row_cell(out, f->model_name != NULL ? f->model_name : "unknown",
			 0);
		row_cell(out, mib(f->growth_bytes, b, sizeof(b)), 1);
		row_cell(out, f->growth_page != NULL ? f->growth_page : "-", 0);
		snprintf(b, sizeof(b), "%ld", f->growth_samples);
		row_cell(out, b, 1);
		row_cell(out, mib(f->baseline_bytes, b, sizeof(b)), 1);
		snprintf(b, sizeof(b), "%ld", f->session_samples);
		row_cell(out, b, 1);
		snprintf(b, sizeof(b), "%s%s",
			 f->growth_bytes < 0 ? "no growth: RAM class " : "",
			 f->known_model ? "" : "unknown model");
		row_cell(out, b, 0);
		fputs("</tr>\n", out);
	}
	fputs("</tbody></table>\n", out);
}

/* pct - part of whole as "12.5 %", or "-" when whole is 0. */
static const char *
pct(long part, long whole, char *buf, size_t len)
{
	if (whole <= 0)
		snprintf(buf, len, "-");
	else
		snprintf(buf, len, "%.1f %%",
			 100.0 * (double)part / (double)whole);
	return buf;
}

/*
 * eval_section - the backtest: per evaluated model, the share of needless
 * degradations and of kills not prevented (a chart of two series), then
 * every model in a table with the headroom.
 */
static void
eval_section(FILE *out, const struct jt_eval *ev)
{
	static const char *const names[] = {"needless degradations",
					    "kills not prevented"};
	static const char *const keys[] = {"needless", "unprevented"};
	static const char *const head[] = {"model",
					   "judged by",
					   "sessions",
					   "needless",
					   "growth samples",
					   "kills not prevented",
					   "headroom min",
					   "p10",
					   "p50",
					   "max",
					   "note"};
	double group_w, bar_w, ystep;
	struct scale s;
	size_t i, n = 0, j;
	int k;
	char b[64];

	fprintf(out,
		"<p>%ld of %ld sessions without an OOM would have degraded "
		"needlessly (peak above the threshold); %ld of %ld page "
		"pushes made at the threshold would have passed the ceiling "
		"(profile ",
		ev->needless, ev->sessions, ev->unprevented,
		ev->growth_samples);
	esc(out, ev->profile);
	fputs(").</p>\n", out);
	for (i = 0; i < ev->nmodels; i++)
		n += ev->models[i].source != NULL;
	s.x0 = 0;
	s.x1 = (double)(n ? n : 1);
	s.y0 = 0;
	s.y1 = 100;
	ystep = 25;
	group_w = (CHART_W - PAD_L - PAD_R) / s.x1;
	bar_w = group_w * 0.8 / 2;
	fprintf(out,
		"<svg class=\"chart\" role=\"img\" width=\"%d\" height=\"%d\" "
		"viewBox=\"0 0 %d %d\" data-expected-series=\"2\" "
		"aria-label=\"backtest per model, percent\">\n",
		CHART_W, CHART_H, CHART_W, CHART_H);
	axes(out, &s, ystep, 0, "", 1);
	for (k = 0; k < 2; k++) {
		fprintf(out, "<g class=\"series\" data-series=\"%s\">",
			keys[k]);
		for (i = 0, j = 0; i < ev->nmodels; i++) {
			const struct jt_eval_model *m = &ev->models[i];
			long part = k == 0 ? m->needless : m->unprevented;
			long whole = k == 0 ? m->sessions : m->growth_samples;
			double v = whole > 0
				? 100.0 * (double)part / (double)whole
				: 0;
			double x;

			if (m->source == NULL)
				continue;
			x = PAD_L + group_w * (double)j++ + group_w * 0.1 +
				bar_w * k;
			fprintf(out,
				"<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
				"height=\"%.1f\" fill=\"%s\"><title>",
				x, sy(&s, v), bar_w, sy(&s, 0) - sy(&s, v),
				series_colour[k == 0 ? 2 : 1]);
			esc(out, m->model);
			fprintf(out, " %s %s</title></rect>", names[k],
				pct(part, whole, b, sizeof(b)));
		}
		fputs("</g>\n", out);
	}
	for (i = 0, j = 0; i < ev->nmodels; i++) {
		if (ev->models[i].source == NULL)
			continue;
		fprintf(out,
			"<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">",
			PAD_L + group_w * ((double)j++ + 0.5),
			CHART_H - PAD_B + 30);
		esc(out, ev->models[i].model);
		fputs("</text>", out);
	}
	fputs("\n</svg>\n<p class=\"legend\">", out);
	for (k = 0; k < 2; k++)
		fprintf(out, "<span style=\"color:%s\">&#9632; %s</span> ",
			series_colour[k == 0 ? 2 : 1], names[k]);
	fputs("</p>\n<table class=\"backtest\"><thead><tr>", out);
	for (k = 0; k < (int)(sizeof(head) / sizeof(head[0])); k++) {
		fputs("<th>", out);
		esc(out, head[k]);
		fputs("</th>", out);
	}
	fputs("</tr></thead><tbody>\n", out);
	for (i = 0; i < ev->nmodels; i++) {
		const struct jt_eval_model *m = &ev->models[i];
		int h = m->growth_samples > 0;

		fputs("<tr>", out);
		row_cell(out, m->model, 0);
		row_cell(out, m->source != NULL ? m->source : "-", 0);
		snprintf(b, sizeof(b), "%ld", m->sessions);
		row_cell(out, b, 1);
		row_cell(out, pct(m->needless, m->sessions, b, sizeof(b)), 1);
		snprintf(b, sizeof(b), "%ld", m->growth_samples);
		row_cell(out, b, 1);
		row_cell(out,
			 pct(m->unprevented, m->growth_samples, b, sizeof(b)),
			 1);
		row_cell(out,
			 h ? mib_signed(m->headroom_min_bytes, b, sizeof(b))
			   : "-",
			 1);
		row_cell(out,
			 h ? mib(m->headroom_p10_bytes, b, sizeof(b)) : "-", 1);
		row_cell(out,
			 h ? mib(m->headroom_p50_bytes, b, sizeof(b)) : "-", 1);
		row_cell(out,
			 h ? mib_signed(m->headroom_max_bytes, b, sizeof(b))
			   : "-",
			 1);
		row_cell(out, m->why != NULL ? m->why : "", 0);
		fputs("</tr>\n", out);
	}
	fputs("</tbody></table>\n<p class=\"note\">Headroom: ceiling "
	      "&minus; threshold &minus; growth of each page-growth sample; "
	      "below zero, the push would have been killed.  p10 and p50 are "
	      "of the headroom floored at 0.</p>\n",
	      out);
}

/* diff_row - a jt_table_diff_walk visitor writing one HTML table row. */
static int
diff_row(void *ctx, const struct jt_diff_change *c, struct jt_error *err)
{
	FILE *out = ctx;
	const struct jt_table_entry *k = c->new_e != NULL ? c->new_e : c->old_e;
	char b1[32], b2[32], pct[32];

	(void)err;
	if (c->has_pct)
		snprintf(pct, sizeof(pct), "%+.2f%%", c->delta_pct);
	else
		snprintf(pct, sizeof(pct), "-");
	fputs("<tr>", out);
	row_cell(out, k->model, 0);
	row_cell(out, k->os_version, 0);
	row_cell(out, k->profile, 0);
	row_cell(out, c->change, 0);
	row_cell(out,
		 c->old_e ? mib(c->old_e->threshold_bytes, b1, sizeof(b1))
			  : "-",
		 1);
	row_cell(out,
		 c->new_e ? mib(c->new_e->threshold_bytes, b2, sizeof(b2))
			  : "-",
		 1);
	row_cell(out, pct, 1);
	row_cell(out, c->old_e ? jt_rule_name(c->old_e->rule) : "-", 0);
	row_cell(out, c->new_e ? jt_rule_name(c->new_e->rule) : "-", 0);
	fputs("</tr>\n", out);
	return 0;
}

static int
diff_section(FILE *out, const struct jt_table *old, const struct jt_table *new,
	     struct jt_error *err)
{
	struct jt_diff_stats st;

	fputs("<table class=\"diff\"><thead><tr><th>model</th><th>OS</th>"
	      "<th>profile</th><th>change</th><th>before</th><th>after</th>"
	      "<th>%</th><th>rule before</th><th>rule after</th></tr>"
	      "</thead><tbody>\n",
	      out);
	if (jt_table_diff_walk(old, new, -1, &st, diff_row, out, err) < 0)
		return -1;
	fputs("</tbody></table>\n", out);
	fprintf(out,
		"<p>%ld added, %ld removed, %ld changed, %ld rule changed, %ld "
		"unchanged.</p>\n",
		st.added, st.removed, st.changed, st.rule_changed,
		st.unchanged);
	return 0;
}

static const char style[] =
	"body{font-family:sans-serif;margin:2em;color:#222;max-width:1100px}"
	"table{border-collapse:collapse;margin:1em 0;font-size:13px}"
	"th,td{border:1px solid #ccc;padding:3px 6px}th{background:#f3f3f3}"
	"td.n{text-align:right;white-space:nowrap;font-variant-numeric:tabular-nums}"
	"svg.chart{display:block;margin:0.5em 0;background:#fff}"
	"svg text{font-size:11px;fill:#333}svg .axes line{stroke:#444}"
	"svg line.grid{stroke:#e5e5e5}p.note,p.legend{font-size:13px}"
	"p.missing{color:#a00}";

int
jt_html_emit(FILE *out, const struct jt_html_input *in, struct jt_error *err)
{
	const char *title =
		in->title != NULL ? in->title : "jetsamkit lab report";
	size_t i;

	fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n"
	      "<meta charset=\"utf-8\">\n<title>",
	      out);
	esc(out, title);
	fprintf(out, "</title>\n<style>%s</style>\n</head>\n<body>\n<h1>",
		style);
	esc(out, title);
	fprintf(out, "</h1>\n<p>%zu run%s", in->nruns,
		in->nruns == 1 ? "" : "s");
	if (in->table != NULL) {
		fprintf(out, ", %zu threshold entr%s", in->table->nentries,
			in->table->nentries == 1 ? "y" : "ies");
		if (in->table->release != NULL) {
			fputs(", release ", out);
			esc(out, in->table->release);
		}
	}
	fputs(".</p>\n", out);

	if (in->table != NULL) {
		fputs("<section id=\"thresholds\">\n<h2>Thresholds per model"
		      "</h2>\n<p>danger = ceiling &minus; the largest page "
		      "growth, never below the field baseline.</p>\n",
		      out);
		model_chart(out, in->table);
		threshold_table(out, in->table);
		if (in->table->nfield_only > 0)
			field_only_table(out, in->table);
		fputs("</section>\n", out);
	}
	if (in->eval != NULL) {
		fputs("<section id=\"backtest\">\n<h2>Backtest on held-out "
		      "field data</h2>\n",
		      out);
		eval_section(out, in->eval);
		fputs("</section>\n", out);
	}
	if (in->previous != NULL && in->table != NULL) {
		fputs("<section id=\"diff\">\n<h2>Changes against the previous "
		      "table</h2>\n",
		      out);
		if (diff_section(out, in->previous, in->table, err) < 0)
			return -1;
		fputs("</section>\n", out);
	}
	if (in->nruns > 0) {
		fputs("<section id=\"runs\">\n<h2>Runs</h2>\n", out);
		for (i = 0; i < in->nruns; i++) {
			const struct jt_runrec *r = &in->runs[i].rec;

			fputs("<h3>", out);
			esc(out,
			    r->run_id != NULL ? r->run_id : in->runs[i].path);
			fputs(" &mdash; ", out);
			esc(out, r->model);
			if (r->os_version != NULL) {
				fputs(" iOS ", out);
				esc(out, r->os_version);
			}
			fputs("</h3>\n", out);
			run_chart(out, &in->runs[i]);
		}
		fputs("</section>\n<section id=\"evidence\">\n<h2>Evidence"
		      "</h2>\n",
		      out);
		evidence_table(out, in);
		fputs("</section>\n", out);
	}
	fputs("</body>\n</html>\n", out);
	if (fflush(out) != 0 || ferror(out))
		return jt_error_set_errno(err, errno, NULL,
					  "cannot write the report");
	return 0;
}
