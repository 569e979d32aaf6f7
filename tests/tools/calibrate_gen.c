/*
 * calibrate_gen.c - write N synthetic page-growth rows for the benchmark
 *
 * usage: calibrate_gen [--jsonl] [--sessions] ROWS [MODELS [PAGES [SEED]]]
 *        > FILE
 *
 * Rows are "model,os_version,page,growth_bytes" with quoted product types
 * (they hold a comma, as real ones do); with --jsonl the same rows are
 * JSON Lines objects with those keys, the form a warehouse export takes.  Each
 * (model, page) has its own typical growth, log-uniform between 256 KiB and 64
 * MiB, and each row is that times a log-uniform factor in [1/4, 4): a page's
 * pushes vary, but around what the page holds.  With --sessions the rows
 * are session peaks instead, "model,os_version,peak_footprint_bytes,oom":
 * a peak log-uniform between 64 MiB and 4 GiB, one session in 16 ended by
 * an OOM (PAGES is then unused).  A fixed xorshift generator
 * makes the same arguments give the same file.  Written with one buffered
 * stream; a million rows take a fraction of a second.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t state = 88172645463325252ull;

static uint64_t
next(void)
{
	state ^= state << 13;
	state ^= state >> 7;
	state ^= state << 17;
	return state;
}

int
main(int argc, char **argv)
{
	static const char *const pages[] = {
		"feed",     "profile", "search",  "settings", "video",
		"camera",   "chat",    "map",     "story",    "reels",
		"checkout", "cart",    "detail",  "gallery",  "login",
		"onboard",  "player",  "browser", "editor",   "inbox"};
	long long rows, i;
	int nmodels = 100, npages = 20, m, jsonl = 0, sessions = 0;
	char(*models)[32];
	static char buf[1 << 20];

	for (; argc > 1 && strncmp(argv[1], "--", 2) == 0; argc--, argv++) {
		if (strcmp(argv[1], "--jsonl") == 0)
			jsonl = 1;
		else if (strcmp(argv[1], "--sessions") == 0)
			sessions = 1;
		else
			break;
	}
	if (argc < 2) {
		fputs("usage: calibrate_gen [--jsonl] [--sessions] ROWS "
		      "[MODELS [PAGES [SEED]]]\n",
		      stderr);
		return 2;
	}
	rows = atoll(argv[1]);
	if (argc > 2)
		nmodels = atoi(argv[2]);
	if (argc > 3)
		npages = atoi(argv[3]);
	if (argc > 4)
		state ^= strtoull(argv[4], NULL, 10) * 0x9e3779b97f4a7c15ull;
	if (nmodels < 1 || npages < 1 || npages > 20 || rows < 0)
		return 2;
	models = calloc((size_t)nmodels, sizeof(*models));
	if (models == NULL)
		return 1;
	for (m = 0; m < nmodels; m++)
		snprintf(models[m], sizeof(models[m]), "iPhone%d,%d",
			 10 + m / 4, 1 + m % 4);
	setvbuf(stdout, buf, _IOFBF, sizeof(buf));
	if (!jsonl)
		fputs(sessions ? "model,os_version,peak_footprint_bytes,oom\n"
			       : "model,os_version,page,growth_bytes\n",
		      stdout);
	for (i = 0; sessions && i < rows; i++) {
		uint64_t r = next();
		int mi = (int)(r % (uint64_t)nmodels);
		int shift = 26 + (int)((r >> 20) % 6);
		uint64_t peak = ((uint64_t)1 << shift) +
			((r >> 8) & (((uint64_t)1 << shift) - 1));
		int oom = (r >> 60) == 0;

		printf(jsonl ? "{\"model\":\"%s\",\"os_version\":\"%d.%d\","
			       "\"peak_footprint_bytes\":%llu,\"oom\":%d}\n"
			     : "\"%s\",%d.%d,%llu,%d\n",
		       models[mi], 14 + (int)((r >> 40) % 5),
		       (int)((r >> 44) % 3), (unsigned long long)peak, oom);
	}
	for (i = 0; !sessions && i < rows; i++) {
		uint64_t r = next();
		int mi = (int)(r % (uint64_t)nmodels);
		int pi = (int)((r >> 20) % (uint64_t)npages);
		/* Typical growth of the key: 2^(18 + h % 9), h fixed per key.
		 */
		uint64_t h = (uint64_t)(mi * 31 + pi) * 0x9e3779b97f4a7c15ull;
		int base = 18 + (int)((h >> 40) % 9);
		int shift = base - 2 + (int)((r >> 32) % 4);
		uint64_t g = ((uint64_t)1 << shift) +
			((r >> 8) & (((uint64_t)1 << shift) - 1));

		printf(jsonl ? "{\"model\":\"%s\",\"os_version\":\"%d.%d\","
			       "\"page\":\"%s\",\"growth_bytes\":%llu}\n"
			     : "\"%s\",%d.%d,%s,%llu\n",
		       models[mi], 14 + (int)((r >> 40) % 5),
		       (int)((r >> 44) % 3), pages[pi], (unsigned long long)g);
	}
	free(models);
	return fflush(stdout) == 0 ? 0 : 1;
}
