/*
 * sha256.c - SHA-256 after FIPS 180-4, section 6.2
 *
 * Written from the standard's description (message schedule, 64 rounds,
 * big-endian length padding); the round constants are the first 32 bits of
 * the fractional parts of the cube roots of the first 64 primes.  On x86-64
 * processors with the SHA extensions the rounds run on sha256rnds2 and the
 * schedule on sha256msg1/msg2 (chosen once, at run time, by cpuid): a
 * field file of 300 MB is hashed while it is parsed, and the portable
 * rounds alone would take longer than the parse.  Both paths are tested
 * against the same vectors.
 */
#include "sha256.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define JT_SHA_NI 1
#include <cpuid.h>
#include <immintrin.h>
#endif

static const uint32_t K[64] = {
	0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1,
	0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3,
	0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
	0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
	0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147,
	0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
	0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
	0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
	0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
	0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
	0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2};

#define ROR(x, n) (((x) >> (n)) | ((x) << (32 - (n))))

static void
compress(uint32_t h[8], const unsigned char *p)
{
	uint32_t w[64], a, b, c, d, e, f, g, k, t1, t2;
	int i;

	for (i = 0; i < 16; i++)
		w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 |
			(uint32_t)p[4 * i + 2] << 8 | (uint32_t)p[4 * i + 3];
	for (i = 16; i < 64; i++) {
		uint32_t s0 = ROR(w[i - 15], 7) ^ ROR(w[i - 15], 18) ^
			(w[i - 15] >> 3);
		uint32_t s1 = ROR(w[i - 2], 17) ^ ROR(w[i - 2], 19) ^
			(w[i - 2] >> 10);

		w[i] = w[i - 16] + s0 + w[i - 7] + s1;
	}
	a = h[0];
	b = h[1];
	c = h[2];
	d = h[3];
	e = h[4];
	f = h[5];
	g = h[6];
	k = h[7];
	for (i = 0; i < 64; i++) {
		t1 = k + (ROR(e, 6) ^ ROR(e, 11) ^ ROR(e, 25)) +
			((e & f) ^ (~e & g)) + K[i] + w[i];
		t2 = (ROR(a, 2) ^ ROR(a, 13) ^ ROR(a, 22)) +
			((a & b) ^ (a & c) ^ (b & c));
		k = g;
		g = f;
		f = e;
		e = d + t1;
		d = c;
		c = b;
		b = a;
		a = t1 + t2;
	}
	h[0] += a;
	h[1] += b;
	h[2] += c;
	h[3] += d;
	h[4] += e;
	h[5] += f;
	h[6] += g;
	h[7] += k;
}

#ifdef JT_SHA_NI
/*
 * compress_ni - n blocks with the SHA extensions.  The state lives in two
 * registers as (A,B,E,F) and (C,D,G,H), the order sha256rnds2 works on;
 * each step of 4 rounds adds the round constants to 4 schedule words and
 * runs two double rounds.
 */
__attribute__((target("sha,sse4.1,ssse3"))) static void
compress_ni(uint32_t h[8], const unsigned char *p, size_t n)
{
	const __m128i bswap =
		_mm_set_epi64x(0x0c0d0e0f08090a0bll, 0x0405060700010203ll);
	__m128i t = _mm_loadu_si128((const __m128i *)(const void *)&h[0]);
	__m128i s1 = _mm_loadu_si128((const __m128i *)(const void *)&h[4]);
	__m128i s0;

	t = _mm_shuffle_epi32(t, 0xb1);    /* C D A B -> (B A D C) */
	s1 = _mm_shuffle_epi32(s1, 0x1b);  /* H G F E */
	s0 = _mm_alignr_epi8(t, s1, 8);    /* A B E F */
	s1 = _mm_blend_epi16(s1, t, 0xf0); /* C D G H */
	for (; n > 0; n--, p += 64) {
		__m128i save0 = s0, save1 = s1, w[4], m;
		int i;

		for (i = 0; i < 16; i++) {
			if (i < 4) {
				w[i] = _mm_shuffle_epi8(
					_mm_loadu_si128(
						(const __m128i
							 *)(const void
								    *)(p +
								       16 * i)),
					bswap);
			} else {
				__m128i x = _mm_sha256msg1_epu32(
					w[i & 3], w[(i + 1) & 3]);

				x = _mm_add_epi32(
					x,
					_mm_alignr_epi8(w[(i + 3) & 3],
							w[(i + 2) & 3], 4));
				w[i & 3] =
					_mm_sha256msg2_epu32(x, w[(i + 3) & 3]);
			}
			m = _mm_add_epi32(
				w[i & 3],
				_mm_loadu_si128(
					(const __m128i *)(const void
								  *)&K[4 * i]));
			s1 = _mm_sha256rnds2_epu32(s1, s0, m);
			m = _mm_shuffle_epi32(m, 0x0e);
			s0 = _mm_sha256rnds2_epu32(s0, s1, m);
		}
		s0 = _mm_add_epi32(s0, save0);
		s1 = _mm_add_epi32(s1, save1);
	}
	t = _mm_shuffle_epi32(s0, 0x1b);   /* F E B A */
	s1 = _mm_shuffle_epi32(s1, 0xb1);  /* D C H G */
	s0 = _mm_blend_epi16(t, s1, 0xf0); /* D C B A */
	s1 = _mm_alignr_epi8(s1, t, 8);    /* H G F E */
	_mm_storeu_si128((__m128i *)(void *)&h[0], s0);
	_mm_storeu_si128((__m128i *)(void *)&h[4], s1);
}

static int
have_sha_ni(void)
{
	unsigned a, b, c, d;

	if (!__get_cpuid(1, &a, &b, &c, &d) || !(c & bit_SSE4_1) ||
	    !(c & bit_SSSE3))
		return 0;
	if (__get_cpuid_max(0, NULL) < 7)
		return 0;
	__cpuid_count(7, 0, a, b, c, d);
	return (b >> 29) & 1;
}
#endif

/* -1 until decided, then 0 (portable) or 1 (SHA extensions). */
static int use_ni = -1;

static void
compress_blocks(uint32_t h[8], const unsigned char *p, size_t n)
{
#ifdef JT_SHA_NI
	if (use_ni < 0)
		use_ni = have_sha_ni() && getenv("JT_SHA256_PORTABLE") == NULL;
	if (use_ni) {
		compress_ni(h, p, n);
		return;
	}
#endif
	for (; n > 0; n--, p += 64)
		compress(h, p);
}

int
jt_sha256_accelerated(void)
{
#ifdef JT_SHA_NI
	if (use_ni < 0)
		use_ni = have_sha_ni() && getenv("JT_SHA256_PORTABLE") == NULL;
	return use_ni;
#else
	return 0;
#endif
}

void
jt_sha256_init(struct jt_sha256 *ctx)
{
	static const uint32_t h0[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372,
				       0xa54ff53a, 0x510e527f, 0x9b05688c,
				       0x1f83d9ab, 0x5be0cd19};

	memcpy(ctx->h, h0, sizeof(h0));
	ctx->total = 0;
	ctx->nbuf = 0;
}

void
jt_sha256_update(struct jt_sha256 *ctx, const void *data, size_t len)
{
	const unsigned char *p = data;

	ctx->total += len;
	if (ctx->nbuf > 0) {
		size_t n = 64 - ctx->nbuf;

		if (n > len)
			n = len;
		memcpy(ctx->buf + ctx->nbuf, p, n);
		ctx->nbuf += n;
		p += n;
		len -= n;
		if (ctx->nbuf < 64)
			return;
		compress_blocks(ctx->h, ctx->buf, 1);
		ctx->nbuf = 0;
	}
	if (len >= 64) {
		compress_blocks(ctx->h, p, len / 64);
		p += len / 64 * 64;
		len %= 64;
	}
	if (len > 0) {
		memcpy(ctx->buf, p, len);
		ctx->nbuf = len;
	}
}

void
jt_sha256_final(struct jt_sha256 *ctx, char hex[65])
{
	static const char digits[] = "0123456789abcdef";
	uint64_t bits = ctx->total * 8;
	unsigned char pad[72];
	size_t npad = (ctx->nbuf < 56 ? 56 : 120) - ctx->nbuf;
	int i;

	memset(pad, 0, sizeof(pad));
	pad[0] = 0x80;
	for (i = 0; i < 8; i++)
		pad[npad + (size_t)i] = (unsigned char)(bits >> (56 - 8 * i));
	jt_sha256_update(ctx, pad, npad + 8);
	for (i = 0; i < 32; i++) {
		unsigned char b =
			(unsigned char)(ctx->h[i / 4] >> (24 - 8 * (i % 4)));

		hex[2 * i] = digits[b >> 4];
		hex[2 * i + 1] = digits[b & 15];
	}
	hex[64] = '\0';
}

int
jt_sha256_file(const char *path, char hex[65], int64_t *bytes,
	       struct jt_error *err)
{
	unsigned char block[1 << 16];
	struct jt_sha256 ctx;
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return jt_error_set_errno(err, errno, path, "cannot open");
	jt_sha256_init(&ctx);
	for (;;) {
		n = read(fd, block, sizeof(block));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		jt_sha256_update(&ctx, block, (size_t)n);
	}
	if (n < 0) {
		int e = errno;

		close(fd);
		return jt_error_set_errno(err, e, path, "cannot read");
	}
	close(fd);
	if (bytes != NULL)
		*bytes = (int64_t)ctx.total;
	jt_sha256_final(&ctx, hex);
	return 0;
}
