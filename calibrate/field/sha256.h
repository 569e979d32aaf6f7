/*
 * sha256.h - SHA-256 (FIPS 180-4) for the input hashes in threshold tables
 *
 * A table records the SHA-256 of every file it was made from, so a release
 * can prove which lab runs and field data gave its numbers.  No crypto
 * library is a dependency of the toolkit, and the algorithm is short, so it
 * lives here; tests pin it to the FIPS 180-4 / NIST example vectors.
 */
#ifndef JT_SHA256_H
#define JT_SHA256_H

#include <stddef.h>
#include <stdint.h>

#include "jetsam/core/error.h"

struct jt_sha256 {
	uint32_t h[8];
	uint64_t total; /* bytes hashed so far */
	unsigned char buf[64];
	size_t nbuf;
};

/* jt_sha256_init - start a new hash in ctx (caller-owned). */
void jt_sha256_init(struct jt_sha256 *ctx);

/* jt_sha256_update - hash len bytes at data (borrowed; NULL if len is 0). */
void jt_sha256_update(struct jt_sha256 *ctx, const void *data, size_t len);

/*
 * jt_sha256_final - finish: the digest as 64 lower-case hex digits and a
 * NUL into hex.  ctx must be re-initialised before reuse.
 */
void jt_sha256_final(struct jt_sha256 *ctx, char hex[65]);

/*
 * jt_sha256_file - hash the file at path into hex, its size into *bytes
 * (NULL accepted).  Returns 0, or -1 with JT_EIO naming path.
 */
int jt_sha256_file(const char *path, char hex[65], int64_t *bytes,
		   struct jt_error *err);

/*
 * jt_sha256_accelerated - 1 when the x86 SHA extensions are used.  Setting
 * JT_SHA256_PORTABLE in the environment before the first hash forces the
 * portable rounds (tests compare the two).
 */
int jt_sha256_accelerated(void);

#endif
