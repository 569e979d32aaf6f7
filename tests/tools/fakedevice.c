/*
 * fakedevice.c - a fake iPhone behind a fake usbmuxd, for the device tests
 *
 * libusbmuxd reads USBMUXD_SOCKET_ADDRESS on every connect, so pointing it
 * at "UNIX:<socket of this program>" makes the real libimobiledevice 1.3.0
 * client talk to us.  We answer the usbmux protocol (ListDevices, Listen,
 * ReadBUID, ReadPairRecord, SavePairRecord, Connect), lockdownd without TLS
 * (EnableSessionSSL and EnableServiceSSL false, so the client never starts
 * TLS), crashreportmover's "ping", AFC over a real directory, and
 * syslog_relay replaying a file.  Everything that can go wrong on a real
 * phone in the lab is a scenario switch: see tests/fakedevice/README.md.
 * So is a hostile phone: identity values and crash-report names with
 * paths, control characters or 5,000 characters in them (scenario values
 * take escapes), and files whose stated size is absent, negative, wrong
 * or huge (files that exist only in the listing, "file_name").
 *
 * One process per connection (fork), so a test that holds a Listen socket
 * open cannot block anybody.  Shared state lives in the state directory:
 * the reports are files there (a remove is an unlink, seen by the next
 * connection) and an unplugged device leaves a flag file.
 *
 * usage: fakedevice -s SOCKET -c SCENARIO -d STATEDIR [-v]
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include <plist/plist.h>

#include "probe/probe.h"

#define MAXDEV 4
#define MAXLIST 16
#define MAXVFILE 16
#define LOCKDOWN_PORT 62078
#define PORT_MOVER 50001
#define PORT_AFC 50002
#define PORT_SYSLOG 50003
#define PORT_INSTPROXY 50004
#define PORT_MIM 50005
#define PORT_DEBUGSERVER 50006
#define PORT_MEDIA 50007
#define PROBE_BASE_BYTES (3LL << 20) /* the app before it allocates */

enum pairing { PAIR_TRUSTED, PAIR_PENDING, PAIR_LOCKED, PAIR_DENIED };

/*
 * A file of the jail that exists only for the AFC service: any name (a
 * path, control characters, 5,000 bytes), its bytes from a file or a run
 * of zeros, and any stated size.  A remove leaves a flag file
 * ("removed-vfile-N") in the device's state directory.
 */
struct vfile {
	char *name;
	char src[PATH_MAX]; /* the bytes, or "" for zeros */
	long long zeros;    /* how many zero bytes when src is "" */
	char *size;         /* st_size as sent; NULL: the real size;
			       "none": no st_size at all */
};

struct fdev {
	int index; /* 1-based, the DeviceID */
	char *udid;
	char *product_type;
	char *hardware_model;
	char *product_version;
	char *build_version;
	char *device_name;
	struct vfile vfiles[MAXVFILE];
	int nvfiles;
	enum pairing pairing;
	int services_locked;
	char missing[MAXLIST][64];
	int nmissing;
	char vanish[128];
	long unplug_after_bytes;
	char syslog[PATH_MAX];
	int syslog_delay_ms;
	char syslog_end[16];
	char late_src[MAXLIST][PATH_MAX];
	char late_name[MAXLIST][128];
	int nlate;
	int ping;
	int binary_plist; /* lockdownd answers in binary plists */
	/* the probe app, for installation_proxy and debugserver */
	char *app;                   /* its bundle id; NULL: no app services */
	char *app_exe;               /* CFBundleExecutable ("JetsamProbe") */
	char *app_profile;           /* the profile its bundle gives ("app") */
	int app_installed;           /* installed from the start */
	int devimage;                /* a developer disk image is mounted */
	long limit_mb;               /* where the kernel kills the probe */
	int autolaunch_ms;           /* a person opens the app this long after a
					syslog client connects (0: nobody does) */
	char *install_fail;          /* installation_proxy refuses with this */
	char probe_report[PATH_MAX]; /* the report template */
	struct {
		long launch;   /* the Nth launch on this device, from 1 */
		char what[16]; /* see README.md: misbehave */
	} misbehave[MAXLIST];
	int nmisbehave;
};

static struct fdev devs[MAXDEV];
static int ndevs;
static char statedir[PATH_MAX];
static int verbose;
static volatile sig_atomic_t stop;

static const char device_public_key[] =
	"-----BEGIN RSA PUBLIC KEY-----\n"
	"MIIBCgKCAQEAqF4PAlPNjuA41JnZvYTyZHGpyVlulkw03lCz2q8JvFYGf+FZka+E\n"
	"FX+EPogHMDtvR4rG8CiF9/PtMHwamLa/78egs0cMCU8sTDSUP3WJvTh+r0ixunDR\n"
	"/AJM4q8Gv+Ez4bsSpHPtG8oaVjQQ9TjX4O5TYJSt2BO9ogwOSURd3iTJyB5Cg48d\n"
	"QbdibssTMdaPi7Jhe2NTE8I9L4UsTNxz0dGbvaOBSaT91BkYqHtEbNo6jpNh34oh\n"
	"HRTsTebrowNGydqthRhnKaVcC+2+Eb0J+H792Yx+X4L3qvdG0JUlsi2zwTWJA5EA\n"
	"A3j5wu/5e/gwXO6+sEqxs+3qtvWwEwv5HQIDAQAB\n"
	"-----END RSA PUBLIC KEY-----\n";

static void
logf_(const char *fmt, ...)
{
	va_list ap;

	if (!verbose)
		return;
	fprintf(stderr, "fakedevice[%ld]: ", (long)getpid());
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static void
die(const char *fmt, ...)
{
	va_list ap;

	fputs("fakedevice: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(2);
}

/* ---- scenario file ------------------------------------------------------ */

static void
copy_str(char *dst, size_t size, const char *src)
{
	snprintf(dst, size, "%s", src);
}

static void
resolve(char *dst, size_t size, const char *base, const char *rel)
{
	if (rel[0] == '/')
		snprintf(dst, size, "%s", rel);
	else
		snprintf(dst, size, "%s/%s", base, rel);
}

static int
copy_file(const char *src, const char *dst)
{
	char buf[65536];
	FILE *in, *out;
	size_t n;
	int rc = 0;

	in = fopen(src, "rb");
	if (in == NULL)
		return -1;
	out = fopen(dst, "wb");
	if (out == NULL) {
		fclose(in);
		return -1;
	}
	while ((n = fread(buf, 1, sizeof(buf), in)) > 0)
		if (fwrite(buf, 1, n, out) != n)
			rc = -1;
	if (ferror(in))
		rc = -1;
	fclose(in);
	if (fclose(out) != 0)
		rc = -1;
	return rc;
}

/*
 * dev_dir - the device's directory under the state directory: its udid
 * when that is a plain name, else "devN" (a hostile udid holds '/' or
 * control characters, and must not steer the fake's own files).
 */
static const char *
dev_dir(const struct fdev *d)
{
	static char buf[MAXDEV][16];
	size_t i, n = strlen(d->udid);

	for (i = 0; i < n; i++)
		if (!((d->udid[i] >= '0' && d->udid[i] <= '9') ||
		      (d->udid[i] >= 'a' && d->udid[i] <= 'z') ||
		      (d->udid[i] >= 'A' && d->udid[i] <= 'Z') ||
		      d->udid[i] == '-'))
			break;
	if (n > 0 && n <= 64 && i == n)
		return d->udid;
	snprintf(buf[d->index - 1], sizeof(buf[0]), "dev%d", d->index);
	return buf[d->index - 1];
}

static void
dev_path(char *buf, size_t size, const struct fdev *d, const char *name)
{
	snprintf(buf, size, "%s/%s/%s", statedir, dev_dir(d), name);
}

static void
add_report(struct fdev *d, const char *src, const char *name)
{
	char dst[2 * PATH_MAX];

	snprintf(dst, sizeof(dst), "%s/%s/reports/%s", statedir, dev_dir(d),
		 name);
	if (copy_file(src, dst) < 0)
		die("cannot copy '%s' to '%s': %s", src, dst, strerror(errno));
}

static void
make_dirs(const struct fdev *d)
{
	char p[2 * PATH_MAX];

	snprintf(p, sizeof(p), "%s/%s", statedir, dev_dir(d));
	if (mkdir(p, 0755) < 0 && errno != EEXIST)
		die("mkdir '%s': %s", p, strerror(errno));
	snprintf(p, sizeof(p), "%s/%s/reports", statedir, dev_dir(d));
	if (mkdir(p, 0755) < 0 && errno != EEXIST)
		die("mkdir '%s': %s", p, strerror(errno));
	snprintf(p, sizeof(p), "%s/%s/media", statedir, dev_dir(d));
	if (mkdir(p, 0755) < 0 && errno != EEXIST)
		die("mkdir '%s': %s", p, strerror(errno));
}

/*
 * unescape - a new copy of a scenario value with its escapes turned into
 * bytes: \\ \n \r \t \a \e \xNN, and \{N}C for N copies of the
 * character C (a 5,000-character name is "\{5000}A").
 */
static char *
unescape(const char *v, const char *where)
{
	size_t cap = strlen(v) + 1, n = 0;
	char *out = malloc(cap);

	if (out == NULL)
		die("out of memory");
	while (*v != '\0') {
		char c = *v++;
		long count = 1, i;

		if (c == '\\') {
			switch (*v++) {
			case '\\':
				c = '\\';
				break;
			case 'n':
				c = '\n';
				break;
			case 'r':
				c = '\r';
				break;
			case 't':
				c = '\t';
				break;
			case 'a':
				c = '\a';
				break;
			case 'e':
				c = 0x1b;
				break;
			case 'x': {
				char hex[3] = {v[0], v[0] ? v[1] : 0, 0}, *end;

				c = (char)strtol(hex, &end, 16);
				if (end != hex + 2)
					die("%s: bad \\x escape", where);
				v += 2;
				break;
			}
			case '{': {
				char *end;

				count = strtol(v, &end, 10);
				if (end == v || *end != '}' || end[1] == '\0' ||
				    count < 0 || count > 1000000)
					die("%s: bad \\{N}C escape", where);
				c = end[1];
				v = end + 2;
				break;
			}
			default:
				die("%s: unknown escape", where);
			}
		}
		if (n + (size_t)count + 1 > cap) {
			cap = 2 * (n + (size_t)count + 1);
			out = realloc(out, cap);
			if (out == NULL)
				die("out of memory");
		}
		for (i = 0; i < count; i++)
			out[n++] = c;
	}
	out[n] = '\0';
	return out;
}

static void
set_str(char **dst, const char *val, const char *where)
{
	free(*dst);
	*dst = unescape(val, where);
}

static void
load_scenario(const char *path)
{
	char line[2 * PATH_MAX], base[PATH_MAX], where[PATH_MAX + 32], *slash;
	struct fdev *d = NULL;
	FILE *fp;
	long lineno = 0;

	copy_str(base, sizeof(base), path);
	slash = strrchr(base, '/');
	if (slash != NULL)
		*slash = '\0';
	else
		copy_str(base, sizeof(base), ".");
	fp = fopen(path, "r");
	if (fp == NULL)
		die("cannot open scenario '%s': %s", path, strerror(errno));
	while (fgets(line, sizeof(line), fp) != NULL) {
		char *key = line, *val, *end;

		lineno++;
		snprintf(where, sizeof(where), "%s:%ld", path, lineno);
		line[strcspn(line, "\r\n")] = '\0';
		while (*key == ' ' || *key == '\t')
			key++;
		if (*key == '#' || *key == '\0')
			continue;
		if (strcmp(key, "[device]") == 0) {
			if (ndevs == MAXDEV)
				die("%s:%ld: too many devices", path, lineno);
			char id[64];

			d = &devs[ndevs++];
			memset(d, 0, sizeof(*d));
			d->index = ndevs;
			snprintf(id, sizeof(id),
				 "0000feed00000000000000000000000000000a%02d",
				 ndevs);
			set_str(&d->udid, id, where);
			set_str(&d->product_type, "iPhone12,1", where);
			set_str(&d->hardware_model, "N104AP", where);
			set_str(&d->product_version, "14.2", where);
			set_str(&d->build_version, "18B92", where);
			set_str(&d->device_name, "Lab iPhone", where);
			copy_str(d->syslog_end, sizeof(d->syslog_end), "close");
			d->ping = 1;
			d->app_installed = 1;
			d->devimage = 1;
			d->limit_mb = 1360;
			set_str(&d->app_exe, "JetsamProbe", where);
			set_str(&d->app_profile, "app", where);
			continue;
		}
		val = strchr(key, '=');
		if (val == NULL || d == NULL)
			die("%s:%ld: expected [device] or key=value", path,
			    lineno);
		*val++ = '\0';
		end = key + strlen(key);
		while (end > key && (end[-1] == ' ' || end[-1] == '\t'))
			*--end = '\0';
		while (*val == ' ' || *val == '\t')
			val++;
		if (strcmp(key, "udid") == 0)
			set_str(&d->udid, val, where);
		else if (strcmp(key, "product_type") == 0)
			set_str(&d->product_type, val, where);
		else if (strcmp(key, "hardware_model") == 0)
			set_str(&d->hardware_model, val, where);
		else if (strcmp(key, "product_version") == 0)
			set_str(&d->product_version, val, where);
		else if (strcmp(key, "build_version") == 0)
			set_str(&d->build_version, val, where);
		else if (strcmp(key, "device_name") == 0)
			set_str(&d->device_name, val, where);
		else if (strcmp(key, "file_name") == 0) {
			struct vfile *f;

			if (d->nvfiles == MAXVFILE)
				die("%s: too many files", where);
			f = &d->vfiles[d->nvfiles++];
			f->name = unescape(val, where);
		} else if (strcmp(key, "file_data") == 0 ||
			   strcmp(key, "file_size") == 0) {
			struct vfile *f;

			if (d->nvfiles == 0)
				die("%s: %s before file_name", where, key);
			f = &d->vfiles[d->nvfiles - 1];
			if (strcmp(key, "file_size") == 0)
				set_str(&f->size, val, where);
			else if (strncmp(val, "zeros:", 6) == 0)
				f->zeros = atoll(val + 6);
			else
				resolve(f->src, sizeof(f->src), base, val);
		} else if (strcmp(key, "pairing") == 0) {
			if (strcmp(val, "trusted") == 0)
				d->pairing = PAIR_TRUSTED;
			else if (strcmp(val, "pending") == 0)
				d->pairing = PAIR_PENDING;
			else if (strcmp(val, "locked") == 0)
				d->pairing = PAIR_LOCKED;
			else if (strcmp(val, "denied") == 0)
				d->pairing = PAIR_DENIED;
			else
				die("%s:%ld: bad pairing '%s'", path, lineno,
				    val);
		} else if (strcmp(key, "services_locked") == 0)
			d->services_locked = atoi(val);
		else if (strcmp(key, "missing_service") == 0) {
			if (d->nmissing == MAXLIST)
				die("%s:%ld: too many", path, lineno);
			copy_str(d->missing[d->nmissing++], 64, val);
		} else if (strcmp(key, "ping") == 0)
			d->ping = atoi(val);
		else if (strcmp(key, "lockdown_plist") == 0)
			d->binary_plist = strcmp(val, "binary") == 0;
		else if (strcmp(key, "vanish") == 0)
			copy_str(d->vanish, sizeof(d->vanish), val);
		else if (strcmp(key, "unplug_after_bytes") == 0)
			d->unplug_after_bytes = atol(val);
		else if (strcmp(key, "syslog") == 0)
			resolve(d->syslog, sizeof(d->syslog), base, val);
		else if (strcmp(key, "app") == 0) {
			set_str(&d->app, val, where);
			if (d->probe_report[0] == '\0')
				resolve(d->probe_report,
					sizeof(d->probe_report), base,
					"reports/probe-template.ips");
		} else if (strcmp(key, "probe_report") == 0)
			resolve(d->probe_report, sizeof(d->probe_report), base,
				val);
		else if (strcmp(key, "app_executable") == 0)
			set_str(&d->app_exe, val, where);
		else if (strcmp(key, "app_profile") == 0)
			set_str(&d->app_profile, val, where);
		else if (strcmp(key, "app_installed") == 0)
			d->app_installed = atoi(val);
		else if (strcmp(key, "developer_image") == 0)
			d->devimage = strcmp(val, "mounted") == 0;
		else if (strcmp(key, "probe_limit_mb") == 0)
			d->limit_mb = atol(val);
		else if (strcmp(key, "autolaunch_ms") == 0)
			d->autolaunch_ms = atoi(val);
		else if (strcmp(key, "install_fail") == 0)
			set_str(&d->install_fail, val, where);
		else if (strcmp(key, "misbehave") == 0) {
			char *sp;

			if (d->nmisbehave == MAXLIST)
				die("%s: too many", where);
			d->misbehave[d->nmisbehave].launch =
				strtol(val, &sp, 10);
			while (*sp == ' ')
				sp++;
			if (strcmp(sp, "launch-fail") != 0 &&
			    strcmp(sp, "background") != 0 &&
			    strcmp(sp, "no-kill") != 0 &&
			    strcmp(sp, "no-report") != 0 &&
			    strcmp(sp, "slow-launch") != 0)
				die("%s: misbehave N launch-fail|background|"
				    "no-kill|no-report|slow-launch",
				    where);
			copy_str(d->misbehave[d->nmisbehave++].what, 16, sp);
		} else if (strcmp(key, "syslog_delay_ms") == 0)
			d->syslog_delay_ms = atoi(val);
		else if (strcmp(key, "syslog_end") == 0)
			copy_str(d->syslog_end, sizeof(d->syslog_end), val);
		else if (strcmp(key, "report") == 0 ||
			 strcmp(key, "late_report") == 0 ||
			 strcmp(key, "many_reports") == 0) {
			/* report = FILE [NAME]; many_reports = N FILE */
			char src[PATH_MAX], *sp = strchr(val, ' ');
			const char *name;
			long copies = 1, i;

			if (strcmp(key, "many_reports") == 0) {
				copies = strtol(val, &sp, 10);
				while (*sp == ' ')
					sp++;
				val = sp;
				sp = NULL;
			}
			if (sp != NULL) {
				*sp++ = '\0';
				name = sp;
			} else {
				name = strrchr(val, '/');
				name = name != NULL ? name + 1 : val;
			}
			resolve(src, sizeof(src), base, val);
			make_dirs(d);
			if (strcmp(key, "late_report") == 0) {
				if (d->nlate == MAXLIST)
					die("%s:%ld: too many", path, lineno);
				copy_str(d->late_src[d->nlate], PATH_MAX, src);
				copy_str(d->late_name[d->nlate++], 128, name);
			} else if (copies == 1 && strcmp(key, "report") == 0) {
				add_report(d, src, name);
			} else {
				for (i = 0; i < copies; i++) {
					char nm[128];

					snprintf(
						nm, sizeof(nm),
						"JetsamEvent-2020-10-15-17%04ld."
						"ips",
						i);
					add_report(d, src, nm);
				}
			}
		} else
			die("%s:%ld: unknown key '%s'", path, lineno, key);
	}
	fclose(fp);
	if (ndevs == 0)
		die("%s: no [device]", path);
}

static int
unplugged(const struct fdev *d)
{
	char p[2 * PATH_MAX];

	dev_path(p, sizeof(p), d, "unplugged");
	return access(p, F_OK) == 0;
}

static void
unplug(const struct fdev *d)
{
	char p[2 * PATH_MAX];
	int fd;

	dev_path(p, sizeof(p), d, "unplugged");
	fd = open(p, O_WRONLY | O_CREAT, 0644);
	if (fd >= 0)
		close(fd);
	logf_("device %s unplugged", d->udid);
}

/* ---- raw I/O --------------------------------------------------------------
 */

static int
read_full(int fd, void *buf, size_t n)
{
	char *p = buf;

	while (n > 0) {
		ssize_t r = read(fd, p, n);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return -1;
		p += r;
		n -= (size_t)r;
	}
	return 0;
}

static int
write_full(int fd, const void *buf, size_t n)
{
	const char *p = buf;

	while (n > 0) {
		ssize_t w = write(fd, p, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

static void
put_le32(unsigned char *p, uint32_t v)
{
	p[0] = v & 0xff;
	p[1] = (v >> 8) & 0xff;
	p[2] = (v >> 16) & 0xff;
	p[3] = (v >> 24) & 0xff;
}

static uint32_t
get_le32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
		(uint32_t)p[3] << 24;
}

static void
put_le64(unsigned char *p, uint64_t v)
{
	int i;

	for (i = 0; i < 8; i++)
		p[i] = (v >> (8 * i)) & 0xff;
}

static uint64_t
get_le64(const unsigned char *p)
{
	uint64_t v = 0;
	int i;

	for (i = 7; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

/* ---- lockdownd ------------------------------------------------------------
 */

/*
 * lockdown_send - reply as an XML plist, or as a binary one when the
 * scenario says so: the client takes both, and only a binary plist
 * carries every control character unchanged.
 */
static int
lockdown_send(int fd, plist_t reply, int binary)
{
	char *xml = NULL;
	uint32_t len = 0;
	unsigned char hdr[4];
	int rc;

	if (binary)
		plist_to_bin(reply, &xml, &len);
	else
		plist_to_xml(reply, &xml, &len);
	hdr[0] = (len >> 24) & 0xff;
	hdr[1] = (len >> 16) & 0xff;
	hdr[2] = (len >> 8) & 0xff;
	hdr[3] = len & 0xff;
	rc = write_full(fd, hdr, 4) < 0 || write_full(fd, xml, len) < 0 ? -1
									: 0;
	if (binary)
		plist_to_bin_free(xml);
	else
		plist_to_xml_free(xml);
	plist_free(reply);
	return rc;
}

static plist_t
values_dict(const struct fdev *d)
{
	plist_t v = plist_new_dict();

	plist_dict_set_item(v, "ProductType",
			    plist_new_string(d->product_type));
	plist_dict_set_item(v, "HardwareModel",
			    plist_new_string(d->hardware_model));
	plist_dict_set_item(v, "ProductVersion",
			    plist_new_string(d->product_version));
	plist_dict_set_item(v, "BuildVersion",
			    plist_new_string(d->build_version));
	plist_dict_set_item(v, "UniqueDeviceID", plist_new_string(d->udid));
	plist_dict_set_item(v, "DeviceName", plist_new_string(d->device_name));
	plist_dict_set_item(v, "DeviceClass", plist_new_string("iPhone"));
	plist_dict_set_item(v, "CPUArchitecture", plist_new_string("arm64e"));
	plist_dict_set_item(v, "ProductName", plist_new_string("iPhone OS"));
	plist_dict_set_item(v, "DevicePublicKey",
			    plist_new_data(device_public_key,
					   sizeof(device_public_key) - 1));
	return v;
}

static int
is_missing(const struct fdev *d, const char *service)
{
	int i;

	for (i = 0; i < d->nmissing; i++)
		if (strcmp(d->missing[i], service) == 0)
			return 1;
	return 0;
}

/*
 * debugserver_served - whether StartService svc reaches debugserver: only
 * while a developer image is mounted, and below iOS 17 (after that it is
 * CoreDevice's); iOS 14 and later name it DVTSecureSocketProxy, older
 * ones com.apple.debugserver (both without TLS here, as everything).
 */
static int
debugserver_served(const struct fdev *d, const char *svc)
{
	long major = strtol(d->product_version, NULL, 10);

	if (!d->devimage || major >= 17)
		return 0;
	if (major >= 14)
		return strcmp(svc,
			      "com.apple.debugserver."
			      "DVTSecureSocketProxy") == 0;
	return strcmp(svc, "com.apple.debugserver") == 0;
}

static void
serve_lockdown(int fd, const struct fdev *d)
{
	for (;;) {
		unsigned char hdr[4];
		uint32_t len;
		char *buf;
		plist_t req = NULL, reply, n;
		char *request = NULL;

		if (read_full(fd, hdr, 4) < 0)
			return;
		len = (uint32_t)hdr[0] << 24 | (uint32_t)hdr[1] << 16 |
			(uint32_t)hdr[2] << 8 | hdr[3];
		if (len > (1u << 20))
			return;
		buf = malloc(len);
		if (buf == NULL || read_full(fd, buf, len) < 0) {
			free(buf);
			return;
		}
		plist_from_memory(buf, len, &req);
		free(buf);
		if (req == NULL)
			return;
		n = plist_dict_get_item(req, "Request");
		if (n != NULL && plist_get_node_type(n) == PLIST_STRING)
			plist_get_string_val(n, &request);
		if (request == NULL) {
			plist_free(req);
			return;
		}
		logf_("lockdown %s", request);
		reply = plist_new_dict();
		plist_dict_set_item(reply, "Request",
				    plist_new_string(request));
		if (strcmp(request, "QueryType") == 0) {
			plist_dict_set_item(
				reply, "Type",
				plist_new_string("com.apple.mobile.lockdown"));
		} else if (strcmp(request, "GetValue") == 0) {
			plist_t all = values_dict(d), dom, key;
			char *k = NULL;

			dom = plist_dict_get_item(req, "Domain");
			key = plist_dict_get_item(req, "Key");
			if (key != NULL)
				plist_get_string_val(key, &k);
			if (dom != NULL) {
				plist_dict_set_item(
					reply, "Error",
					plist_new_string("MissingValue"));
			} else if (k == NULL) {
				plist_dict_set_item(reply, "Value",
						    plist_copy(all));
			} else if (plist_dict_get_item(all, k) != NULL) {
				plist_dict_set_item(reply, "Key",
						    plist_new_string(k));
				plist_dict_set_item(
					reply, "Value",
					plist_copy(
						plist_dict_get_item(all, k)));
			} else {
				plist_dict_set_item(
					reply, "Error",
					plist_new_string("MissingValue"));
			}
			free(k);
			plist_free(all);
		} else if (strcmp(request, "Pair") == 0 ||
			   strcmp(request, "ValidatePair") == 0) {
			static const char *const errs[] = {
				NULL, "PairingDialogResponsePending",
				"PasswordProtected", "UserDeniedPairing"};

			if (errs[d->pairing] != NULL)
				plist_dict_set_item(
					reply, "Error",
					plist_new_string(errs[d->pairing]));
		} else if (strcmp(request, "StartSession") == 0) {
			plist_dict_set_item(
				reply, "SessionID",
				plist_new_string("FAKE-SESSION-0001"));
			plist_dict_set_item(reply, "EnableSessionSSL",
					    plist_new_bool(0));
		} else if (strcmp(request, "StartService") == 0) {
			char *svc = NULL;
			int port = 0;

			n = plist_dict_get_item(req, "Service");
			if (n != NULL)
				plist_get_string_val(n, &svc);
			if (svc == NULL)
				port = 0;
			else if (strcmp(svc, "com.apple.crashreportmover") == 0)
				port = PORT_MOVER;
			else if (strcmp(svc,
					"com.apple.crashreportcopymobile") == 0)
				port = PORT_AFC;
			else if (strcmp(svc, "com.apple.syslog_relay") == 0)
				port = PORT_SYSLOG;
			else if (strcmp(svc,
					"com.apple.mobile."
					"installation_proxy") == 0)
				port = PORT_INSTPROXY;
			else if (strcmp(svc,
					"com.apple.mobile."
					"mobile_image_mounter") == 0)
				port = PORT_MIM;
			else if (strcmp(svc, "com.apple.afc") == 0)
				port = PORT_MEDIA;
			else if (debugserver_served(d, svc))
				port = PORT_DEBUGSERVER;
			if (svc != NULL && d->services_locked) {
				plist_dict_set_item(
					reply, "Error",
					plist_new_string("PasswordProtected"));
			} else if (port == 0 || is_missing(d, svc)) {
				plist_dict_set_item(
					reply, "Error",
					plist_new_string("InvalidService"));
			} else {
				plist_dict_set_item(reply, "Service",
						    plist_new_string(svc));
				plist_dict_set_item(reply, "Port",
						    plist_new_uint(port));
				plist_dict_set_item(reply, "EnableServiceSSL",
						    plist_new_bool(0));
			}
			free(svc);
		} else if (strcmp(request, "StopSession") == 0 ||
			   strcmp(request, "Goodbye") == 0) {
			/* nothing beyond the echoed Request */
		} else {
			plist_dict_set_item(reply, "Error",
					    plist_new_string("InvalidRequest"));
		}
		plist_free(req);
		if (lockdown_send(fd, reply, d->binary_plist) < 0 ||
		    strcmp(request, "Goodbye") == 0) {
			free(request);
			return;
		}
		free(request);
	}
}

/* ---- crashreportmover and syslog_relay ------------------------------------
 */

static void
wait_for_close(int fd, int timeout_ms)
{
	struct pollfd p = {.fd = fd, .events = POLLIN};
	char buf[256];

	while (poll(&p, 1, timeout_ms) > 0)
		if (read(fd, buf, sizeof(buf)) <= 0)
			return;
}

static void
serve_mover(int fd, const struct fdev *d)
{
	if (d->ping)
		(void)write_full(fd, "ping", 4);
	wait_for_close(fd, 30000);
}

static void
serve_syslog(int fd, const struct fdev *d)
{
	char line[8192];
	FILE *fp;
	int i;

	fp = d->syslog[0] ? fopen(d->syslog, "r") : NULL;
	while (fp != NULL && fgets(line, sizeof(line), fp) != NULL) {
		size_t n = strcspn(line, "\r\n");
		int last;

		line[n] = '\0';
		last = feof(fp) || (ungetc(fgetc(fp), fp) == EOF);
		if (last && strcmp(d->syslog_end, "closemid") == 0) {
			/* the stream dies in the middle of this record */
			(void)write_full(fd, line, n / 2);
			break;
		}
		line[n++] = '\n';
		line[n++] = '\0';
		if (write_full(fd, line, n) < 0)
			break;
		if (d->syslog_delay_ms > 0) {
			struct timespec ts = {
				.tv_sec = d->syslog_delay_ms / 1000,
				.tv_nsec =
					(d->syslog_delay_ms % 1000) * 1000000L};
			nanosleep(&ts, NULL);
		}
	}
	if (fp != NULL)
		fclose(fp);
	/* The crash reporter writes the report once the process is gone. */
	for (i = 0; i < d->nlate; i++)
		add_report((struct fdev *)d, d->late_src[i], d->late_name[i]);
	if (strcmp(d->syslog_end, "unplug") == 0)
		unplug(d);
	else if (strcmp(d->syslog_end, "hang") == 0)
		wait_for_close(fd, 600000);
}

/* ---- AFC ------------------------------------------------------------------
 */

/*
 * The AFC service this connection serves: the crash-report jail
 * ("reports", with the scenario's vfiles and vanishing file) or the media
 * directory of com.apple.afc ("media", writable, where packages are
 * uploaded before installation_proxy installs them).  One connection per
 * process, so a global.
 */
static const char *afc_root = "reports";

static int
in_jail(void)
{
	return strcmp(afc_root, "reports") == 0;
}

enum {
	AFC_OP_STATUS = 1,
	AFC_OP_DATA = 2,
	AFC_OP_READ_DIR = 3,
	AFC_OP_REMOVE_PATH = 8,
	AFC_OP_MAKE_DIR = 9,
	AFC_OP_GET_FILE_INFO = 10,
	AFC_OP_FILE_OPEN = 13,
	AFC_OP_FILE_OPEN_RES = 14,
	AFC_OP_FILE_READ = 15,
	AFC_OP_FILE_WRITE = 16,
	AFC_OP_FILE_CLOSE = 20,
	AFC_OP_REMOVE_PATH_AND_CONTENTS = 34,
	AFC_E_OBJECT_NOT_FOUND = 8,
	AFC_E_OP_NOT_SUPPORTED = 15,
	AFC_HEADER = 40
};

static int
afc_send(int fd, uint64_t packet, uint64_t op, const void *data, size_t n)
{
	unsigned char hdr[AFC_HEADER];

	memcpy(hdr, "CFA6LPAA", 8);
	put_le64(hdr + 8, AFC_HEADER + n);
	/* Like the device, bulk data follows as payload (this_length covers
	 * the header only): libimobiledevice reads the "this" part in one
	 * recv and fails if it comes short, but loops over the payload. */
	put_le64(hdr + 16, op == AFC_OP_DATA ? AFC_HEADER : AFC_HEADER + n);
	put_le64(hdr + 24, packet);
	put_le64(hdr + 32, op);
	if (write_full(fd, hdr, sizeof(hdr)) < 0)
		return -1;
	return n > 0 ? write_full(fd, data, n) : 0;
}

static int
afc_status(int fd, uint64_t packet, uint64_t code)
{
	unsigned char v[8];

	put_le64(v, code);
	return afc_send(fd, packet, AFC_OP_STATUS, v, 8);
}

/* afc_local - the state-directory path for a device path, or NULL. */
static int
afc_local(const struct fdev *d, const char *path, char *out, size_t size)
{
	while (*path == '/')
		path++;
	if (strstr(path, "..") != NULL)
		return -1;
	snprintf(out, size, "%s/%s/%s/%s", statedir, dev_dir(d), afc_root,
		 path);
	return 0;
}

/* vfile_removed - whether vfile k of d was removed (a flag file, so every
 * connection's process sees it). */
static int
vfile_removed(const struct fdev *d, int k)
{
	char flag[32], p[2 * PATH_MAX];

	snprintf(flag, sizeof(flag), "removed-vfile-%d", k);
	dev_path(p, sizeof(p), d, flag);
	return access(p, F_OK) == 0;
}

/* find_vfile - the index of the listed vfile a device path names, or -1. */
static int
find_vfile(const struct fdev *d, const char *path)
{
	int k;

	while (*path == '/')
		path++;
	for (k = 0; k < d->nvfiles && in_jail(); k++)
		if (strcmp(d->vfiles[k].name, path) == 0 &&
		    !vfile_removed(d, k))
			return k;
	return -1;
}

/* vfile_bytes - how many bytes vfile k really has, or -1 (no source). */
static long long
vfile_bytes(const struct fdev *d, int k)
{
	const struct vfile *f = &d->vfiles[k];
	struct stat st;

	if (f->src[0] == '\0')
		return f->zeros;
	return stat(f->src, &st) == 0 ? (long long)st.st_size : -1;
}

static int
is_vanished(const struct fdev *d, const char *path)
{
	while (*path == '/')
		path++;
	return in_jail() && d->vanish[0] != '\0' &&
		strcmp(path, d->vanish) == 0;
}

static int
name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int
afc_read_dir(int fd, uint64_t packet, const struct fdev *d, const char *path)
{
	char local[2 * PATH_MAX], *out = NULL, **names = NULL;
	size_t len = 0, nn = 0, i;
	struct dirent *de;
	DIR *dir;
	int rc;

	if (afc_local(d, path, local, sizeof(local)) < 0 ||
	    (dir = opendir(local)) == NULL)
		return afc_status(fd, packet, AFC_E_OBJECT_NOT_FOUND);
	while ((de = readdir(dir)) != NULL) {
		char **grown = realloc(names, (nn + 2) * sizeof(*names));

		if (grown == NULL)
			die("out of memory");
		names = grown;
		names[nn++] = strdup(de->d_name);
	}
	closedir(dir);
	/* a file the listing shows but that is gone by the time we ask */
	if (in_jail() && d->vanish[0] != '\0' &&
	    (path[0] == '\0' || strcmp(path, "/") == 0))
		names[nn++] = strdup(d->vanish);
	/* and the files that exist only here, whatever their names */
	for (int k = 0; in_jail() && k < d->nvfiles &&
	     (path[0] == '\0' || strcmp(path, "/") == 0);
	     k++) {
		char **grown;

		if (vfile_removed(d, k))
			continue;
		grown = realloc(names, (nn + 2) * sizeof(*names));
		if (grown == NULL)
			die("out of memory");
		names = grown;
		names[nn++] = strdup(d->vfiles[k].name);
	}
	qsort(names, nn, sizeof(*names), name_cmp);
	for (i = 0; i < nn; i++) {
		size_t l = strlen(names[i]) + 1;

		char *grown = realloc(out, len + l);

		if (grown == NULL)
			die("out of memory");
		out = grown;
		memcpy(out + len, names[i], l);
		len += l;
		free(names[i]);
	}
	free(names);
	rc = afc_send(fd, packet, AFC_OP_DATA, out, len);
	free(out);
	return rc;
}

static int
afc_file_info(int fd, uint64_t packet, const struct fdev *d, const char *path)
{
	char local[2 * PATH_MAX], out[1024];
	struct stat st;
	int n, k = find_vfile(d, path);

	if (k >= 0) {
		/* as the scenario states it: absent, negative, wrong, huge */
		const char *size = d->vfiles[k].size;
		char real[32];

		if (size == NULL) {
			snprintf(real, sizeof(real), "%lld", vfile_bytes(d, k));
			size = real;
		}
		if (strcmp(size, "none") == 0)
			n = snprintf(out, sizeof(out),
				     "st_ifmt%cS_IFREG%cst_nlink%c1%c"
				     "st_mtime%c1602782998000000000%c",
				     0, 0, 0, 0, 0, 0);
		else
			n = snprintf(out, sizeof(out),
				     "st_size%c%.64s%cst_ifmt%cS_IFREG%c"
				     "st_nlink%c1%cst_mtime%c"
				     "1602782998000000000%c",
				     0, size, 0, 0, 0, 0, 0, 0, 0);
		return afc_send(fd, packet, AFC_OP_DATA, out, (size_t)n);
	}
	/* A vanishing report still has its stat: it goes between the stat
	 * and the open, as when the system rotates reports. */
	if (is_vanished(d, path)) {
		memset(&st, 0, sizeof(st));
		st.st_size = 1234;
		st.st_mode = S_IFREG;
	} else if (afc_local(d, path, local, sizeof(local)) < 0 ||
		   stat(local, &st) < 0)
		return afc_status(fd, packet, AFC_E_OBJECT_NOT_FOUND);
	n = snprintf(out, sizeof(out),
		     "st_size%c%lld%cst_blocks%c%lld%cst_nlink%c1%c"
		     "st_ifmt%c%s%cst_mtime%c%lld000000000%c"
		     "st_birthtime%c%lld000000000%c",
		     0, (long long)st.st_size, 0, 0,
		     (long long)(st.st_size + 511) / 512, 0, 0, 0, 0,
		     S_ISDIR(st.st_mode) ? "S_IFDIR" : "S_IFREG", 0, 0,
		     (long long)st.st_mtime, 0, 0, (long long)st.st_mtime, 0);
	return afc_send(fd, packet, AFC_OP_DATA, out, (size_t)n);
}

static void
serve_afc(int fd, const struct fdev *d, const char *root)
{
	FILE *files[16] = {0};
	long long left[16]; /* bytes a vfile still gives, -1: to EOF */
	long sent = 0;

	afc_root = root;
	for (;;) {
		unsigned char hdr[AFC_HEADER];
		uint64_t total, packet, op;
		unsigned char *data;
		size_t dlen;
		int rc = 0;

		if (read_full(fd, hdr, sizeof(hdr)) < 0 ||
		    memcmp(hdr, "CFA6LPAA", 8) != 0)
			break;
		total = get_le64(hdr + 8);
		packet = get_le64(hdr + 24);
		op = get_le64(hdr + 32);
		if (total < AFC_HEADER || total > (1u << 20))
			break;
		dlen = (size_t)(total - AFC_HEADER);
		data = calloc(1, dlen + 1);
		if (data == NULL || read_full(fd, data, dlen) < 0) {
			free(data);
			break;
		}
		logf_("afc op %llu", (unsigned long long)op);
		switch (op) {
		case AFC_OP_READ_DIR:
			rc = afc_read_dir(fd, packet, d, (char *)data);
			break;
		case AFC_OP_GET_FILE_INFO:
			rc = afc_file_info(fd, packet, d, (char *)data);
			break;
		case AFC_OP_FILE_OPEN: {
			char local[2 * PATH_MAX];
			const char *path = (char *)data + 8;
			unsigned char h[8];
			FILE *fp = NULL;
			int slot;

			int k = dlen > 8 ? find_vfile(d, path) : -1;

			for (slot = 0; slot < 16 && files[slot]; slot++)
				;
			if (slot < 16)
				left[slot] = -1;
			if (k >= 0 && slot < 16) {
				const struct vfile *f = &d->vfiles[k];

				fp = fopen(f->src[0] ? f->src : "/dev/zero",
					   "rb");
				left[slot] = f->src[0] ? -1 : f->zeros;
			} else if (dlen > 8 && slot < 16 &&
				   !is_vanished(d, path) &&
				   afc_local(d, path, local, sizeof(local)) ==
					   0) {
				/* 1 is AFC_FOPEN_RDONLY; the jail is read-only
				 */
				uint64_t mode = get_le64(data);

				fp = fopen(local,
					   mode == 1 || in_jail() ? "rb"
								  : "wb");
			}
			if (fp == NULL || slot >= 16) {
				if (fp != NULL)
					fclose(fp);
				rc = afc_status(fd, packet,
						AFC_E_OBJECT_NOT_FOUND);
				break;
			}
			files[slot] = fp;
			put_le64(h, (uint64_t)slot + 1);
			rc = afc_send(fd, packet, AFC_OP_FILE_OPEN_RES, h, 8);
			break;
		}
		case AFC_OP_FILE_READ: {
			uint64_t h = dlen >= 16 ? get_le64(data) : 0;
			uint64_t want = dlen >= 16 ? get_le64(data + 8) : 0;
			char buf[65536];
			size_t got;

			if (h < 1 || h > 16 || files[h - 1] == NULL) {
				rc = afc_status(fd, packet, 7);
				break;
			}
			if (want > sizeof(buf))
				want = sizeof(buf);
			if (left[h - 1] >= 0 && (long long)want > left[h - 1])
				want = (uint64_t)left[h - 1];
			got = fread(buf, 1, (size_t)want, files[h - 1]);
			if (left[h - 1] >= 0)
				left[h - 1] -= (long long)got;
			if (d->unplug_after_bytes > 0 &&
			    sent + (long)got > d->unplug_after_bytes) {
				/* the cable comes out in the middle */
				unplug(d);
				free(data);
				goto out;
			}
			sent += (long)got;
			rc = afc_send(fd, packet, AFC_OP_DATA, buf, got);
			break;
		}
		case AFC_OP_FILE_WRITE: {
			uint64_t h = dlen >= 8 ? get_le64(data) : 0;

			if (h < 1 || h > 16 || files[h - 1] == NULL ||
			    fwrite(data + 8, 1, dlen - 8, files[h - 1]) !=
				    dlen - 8)
				rc = afc_status(fd, packet, 7);
			else
				rc = afc_status(fd, packet, 0);
			break;
		}
		case AFC_OP_MAKE_DIR: {
			char local[2 * PATH_MAX];

			if (in_jail() ||
			    afc_local(d, (char *)data, local, sizeof(local)) <
				    0 ||
			    (mkdir(local, 0755) < 0 && errno != EEXIST))
				rc = afc_status(fd, packet, 10);
			else
				rc = afc_status(fd, packet, 0);
			break;
		}
		case AFC_OP_REMOVE_PATH_AND_CONTENTS: {
			char local[2 * PATH_MAX], cmd[2 * PATH_MAX + 16];

			if (in_jail() ||
			    afc_local(d, (char *)data, local, sizeof(local)) <
				    0 ||
			    strchr(local, '\'') != NULL ||
			    access(local, F_OK) != 0) {
				rc = afc_status(fd, packet,
						AFC_E_OBJECT_NOT_FOUND);
				break;
			}
			snprintf(cmd, sizeof(cmd), "rm -rf '%s'", local);
			rc = afc_status(fd, packet, system(cmd) == 0 ? 0 : 7);
			break;
		}
		case AFC_OP_FILE_CLOSE: {
			uint64_t h = dlen >= 8 ? get_le64(data) : 0;

			if (h >= 1 && h <= 16 && files[h - 1] != NULL) {
				fclose(files[h - 1]);
				files[h - 1] = NULL;
			}
			rc = afc_status(fd, packet, 0);
			break;
		}
		case AFC_OP_REMOVE_PATH: {
			char local[2 * PATH_MAX];
			int k = find_vfile(d, (char *)data);

			if (k >= 0) {
				char flag[32];
				int ffd;

				snprintf(flag, sizeof(flag), "removed-vfile-%d",
					 k);
				dev_path(local, sizeof(local), d, flag);
				ffd = open(local, O_WRONLY | O_CREAT, 0644);
				if (ffd >= 0)
					close(ffd);
				rc = afc_status(fd, packet, 0);
			} else if (afc_local(d, (char *)data, local,
					     sizeof(local)) < 0 ||
				   unlink(local) < 0)
				rc = afc_status(fd, packet,
						AFC_E_OBJECT_NOT_FOUND);
			else
				rc = afc_status(fd, packet, 0);
			break;
		}
		default:
			rc = afc_status(fd, packet, AFC_E_OP_NOT_SUPPORTED);
			break;
		}
		free(data);
		if (rc < 0)
			break;
	}
out:
	for (int i = 0; i < 16; i++)
		if (files[i] != NULL)
			fclose(files[i]);
}

/* ---- the probe app: its process, installation_proxy, image mounter ----
 */

#define APP_PATH_DIR                                                           \
	"/private/var/containers/Bundle/Application/"                          \
	"0FAKE000-0000-4000-8000-0000000000A1"
#define APP_CONTAINER                                                          \
	"/private/var/mobile/Containers/Data/Application/"                     \
	"0FAKE000-0000-4000-8000-0000000000D1"

static pid_t main_pid;

static int
main_alive(void)
{
	return kill(main_pid, 0) == 0;
}

static void
sleep_ms(long ms)
{
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};

	nanosleep(&ts, NULL);
}

static int
flag_set(const struct fdev *d, const char *name)
{
	char p[2 * PATH_MAX];

	dev_path(p, sizeof(p), d, name);
	return access(p, F_OK) == 0;
}

static void
flag_write(const struct fdev *d, const char *name, const char *text)
{
	char p[2 * PATH_MAX];
	FILE *fp;

	dev_path(p, sizeof(p), d, name);
	fp = fopen(p, "w");
	if (fp != NULL) {
		fputs(text != NULL ? text : "", fp);
		fclose(fp);
	}
}

/* counter_next - add one to the counter file name, under a lock (every
 * connection is a process of its own); the new value. */
static long
counter_next(const struct fdev *d, const char *name)
{
	char p[2 * PATH_MAX], buf[32] = "";
	long n;
	int fd;

	dev_path(p, sizeof(p), d, name);
	fd = open(p, O_RDWR | O_CREAT, 0644);
	if (fd < 0)
		die("cannot open '%s': %s", p, strerror(errno));
	flock(fd, LOCK_EX);
	if (read(fd, buf, sizeof(buf) - 1) < 0)
		buf[0] = '\0';
	n = atol(buf) + 1;
	snprintf(buf, sizeof(buf), "%ld\n", n);
	if (ftruncate(fd, 0) < 0 || pwrite(fd, buf, strlen(buf), 0) < 0)
		die("cannot write '%s'", p);
	flock(fd, LOCK_UN);
	close(fd);
	return n;
}

static int
misbehaves(const struct fdev *d, long launch, const char *what)
{
	int i;

	for (i = 0; i < d->nmisbehave; i++)
		if (d->misbehave[i].launch == launch &&
		    strcmp(d->misbehave[i].what, what) == 0)
			return 1;
	return 0;
}

/* device_log - append one syslog record to the device's live log, which
 * every syslog_relay client of this device tails. */
static void
device_log(const struct fdev *d, const char *proc, long pid, const char *msg)
{
	char p[2 * PATH_MAX], *line;
	int fd, n;

	dev_path(p, sizeof(p), d, "syslog.live");
	n = snprintf(NULL, 0,
		     "Oct 16 09:00:00 Lab-iPhone %s[%ld] <Notice>: %s\n", proc,
		     pid, msg);
	line = malloc((size_t)n + 1);
	if (line == NULL)
		die("out of memory");
	snprintf(line, (size_t)n + 1,
		 "Oct 16 09:00:00 Lab-iPhone %s[%ld] <Notice>: %s\n", proc, pid,
		 msg);
	fd = open(p, O_WRONLY | O_APPEND | O_CREAT, 0644);
	if (fd >= 0) {
		/* one write per record: O_APPEND keeps records whole */
		(void)write_full(fd, line, (size_t)n);
		close(fd);
	}
	free(line);
}

/* probe_record - one probe record behind the marker, as os_log sends it */
static void
probe_record(const struct fdev *d, const char *marker, long pid,
	     const char *fmt, ...)
{
	char json[1024], msg[1200], proc[160];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(json, sizeof(json), fmt, ap);
	va_end(ap);
	snprintf(msg, sizeof(msg), "%s%s", marker, json);
	snprintf(proc, sizeof(proc), "%s(libsystem_trace.dylib)", d->app_exe);
	device_log(d, proc, pid, msg);
}

/* hang - a process that went quiet: alive (so debugserver can attach to
 * it and kill it) until killed, or the fake ends. */
static void
hang(void)
{
	int i;

	for (i = 0; i < 6000 && main_alive(); i++)
		sleep_ms(50);
	_exit(0);
}

/*
 * write_report - the crash reporter's JetsamEvent report of launch n,
 * from the scenario's template with the run's pid, pages and identity,
 * written aside and renamed into the jail, as a whole file.
 */
static void
write_report(const struct fdev *d, long n, long pid, long long pages)
{
	char tmp[2 * PATH_MAX], dst[2 * PATH_MAX], name[64], *buf = NULL;
	size_t len = 0;
	FILE *in, *out;
	char line[4096];

	in = fopen(d->probe_report, "r");
	if (in == NULL)
		die("cannot open '%s': %s", d->probe_report, strerror(errno));
	out = open_memstream(&buf, &len);
	while (out != NULL && fgets(line, sizeof(line), in) != NULL) {
		char *at;

		while ((at = strchr(line, '@')) != NULL) {
			char *end = strchr(at + 1, '@'), key[32];

			if (end == NULL || end - at > 30)
				break;
			fwrite(line, 1, (size_t)(at - line), out);
			snprintf(key, sizeof(key), "%.*s", (int)(end - at - 1),
				 at + 1);
			if (strcmp(key, "PID") == 0)
				fprintf(out, "%ld", pid);
			else if (strcmp(key, "RPAGES") == 0)
				fprintf(out, "%lld", pages);
			else if (strcmp(key, "NAME") == 0)
				fputs(d->app_exe, out);
			else if (strcmp(key, "PRODUCT") == 0)
				fputs(d->product_type, out);
			else if (strcmp(key, "OS") == 0)
				fputs(d->product_version, out);
			else if (strcmp(key, "BUILD") == 0)
				fputs(d->build_version, out);
			else if (strcmp(key, "N") == 0)
				fprintf(out, "%012ld", n);
			memmove(line, end + 1, strlen(end + 1) + 1);
		}
		fputs(line, out);
	}
	fclose(in);
	if (out == NULL || fclose(out) != 0)
		die("cannot make the report");
	snprintf(name, sizeof(name), "JetsamEvent-2020-10-16-%06ld.ips", n);
	dev_path(tmp, sizeof(tmp), d, "report.tmp");
	snprintf(dst, sizeof(dst), "%s/%s/reports/%s", statedir, dev_dir(d),
		 name);
	out = fopen(tmp, "w");
	if (out == NULL || fwrite(buf, 1, len, out) != len ||
	    fclose(out) != 0 || rename(tmp, dst) < 0)
		die("cannot write '%s'", dst);
	free(buf);
}

static const char *
fill_name(enum jt_probe_fill f)
{
	return f == JT_PROBE_FILL_CONSTANT  ? "constant"
		: f == JT_PROBE_FILL_RANDOM ? "random"
					    : "touch";
}

/*
 * play_probe - the probe app's life after launch n, in a process of its
 * own: it reads its options as the real one does (probe/probe.h, from the
 * environment and arguments it was launched with, its bundle's profile
 * last), logs its header and samples at its rate and step until the
 * footprint reaches the scenario's limit, and is killed there: the
 * kernel's two lines, then (unless told otherwise) the crash reporter's
 * report.  Misbehaviour on demand: it goes to the background, or goes
 * quiet, after sample 3 and stays alive; or no report is written.
 */
static void
play_probe(const struct fdev *d, long n, char **env, char **args)
{
	char *argv[80], msg[256], pidtext[32], kern[512], ramp[32];
	long long limit = (long long)d->limit_mb << 20, fp, pages;
	long pid = 4000 + n, k, pace_ms;
	struct jt_probe_config c;
	const char *marker;
	int argc = 0, i, warned = 0;

	snprintf(pidtext, sizeof(pidtext), "%ld", (long)getpid());
	flag_write(d, "probe.pid", pidtext);
	clearenv();
	for (i = 0; env != NULL && env[i] != NULL; i++)
		putenv(env[i]);
	argv[argc++] = d->app_exe;
	for (i = 0; args != NULL && args[i] != NULL && argc < 70; i++)
		argv[argc++] = args[i];
	argv[argc++] = "--syslog";
	argv[argc++] = "--profile";
	argv[argc++] = d->app_profile;
	argv[argc] = NULL;
	if (jt_probe_parse_args(&c, argc, argv, msg, sizeof(msg)) != 0) {
		device_log(d, d->app_exe, pid, msg);
		_exit(2);
	}
	marker = c.marker;
	if (c.ramp_to_bytes >= 0)
		snprintf(ramp, sizeof(ramp), "%lld",
			 (long long)c.ramp_to_bytes);
	else if (c.ramp_to_pct > 0)
		snprintf(ramp, sizeof(ramp), "%lld",
			 limit / 100 * c.ramp_to_pct +
				 limit % 100 * c.ramp_to_pct / 100);
	else
		snprintf(ramp, sizeof(ramp), "null");
	pace_ms = (long)(c.step_bytes * 1000 / c.rate_bytes_per_s);
	if (pace_ms > 1000)
		pace_ms = 1000;
	probe_record(
		d, marker, pid,
		"{\"type\":\"header\",\"probe_version\":\"0.1.0\","
		"\"platform\":\"ios\",\"model\":\"%s\",\"os_version\":"
		"\"%s\",\"ram_bytes\":4294967296,\"page_size_bytes\":16384,"
		"\"rate_bytes_per_s\":%lld,\"step_bytes\":%lld,\"fill\":"
		"\"%s\",\"start_unix_ms\":1602838800000,\"pid\":%ld,"
		"\"limit_bytes\":null,\"ramp_to_bytes\":%s,\"profile\":"
		"\"%s\",\"run_id\":%s%s%s}",
		d->product_type, d->product_version,
		(long long)c.rate_bytes_per_s, (long long)c.step_bytes,
		fill_name(c.fill), pid, ramp, c.profile,
		c.run_id != NULL ? "\"" : "null",
		c.run_id != NULL ? c.run_id : "", c.run_id != NULL ? "\"" : "");
	for (k = 0;; k++) {
		fp = PROBE_BASE_BYTES + k * (long long)c.step_bytes;
		if (fp >= limit)
			break;
		probe_record(
			d, marker, pid,
			"{\"type\":\"sample\",\"seq\":%ld,\"t_ms\":%ld,"
			"\"allocated_bytes\":%lld,\"footprint_bytes\":%lld,"
			"\"remaining_bytes\":%lld,\"peak_bytes\":%lld}",
			k, k * pace_ms, k * (long long)c.step_bytes, fp,
			limit - fp, fp);
		if (k == 0)
			probe_record(d, marker, pid,
				     "{\"type\":\"event\",\"t_ms\":0,\"kind\":"
				     "\"state\",\"detail\":\"active\","
				     "\"footprint_bytes\":null}");
		if (!warned && fp >= limit / 10 * 8) {
			warned = 1;
			probe_record(
				d, marker, pid,
				"{\"type\":\"event\",\"t_ms\":%ld,\"kind\":"
				"\"warning\",\"detail\":\"limit-warn\","
				"\"footprint_bytes\":%lld}",
				k * pace_ms, fp);
		}
		if (k == 3 && misbehaves(d, n, "background")) {
			probe_record(
				d, marker, pid,
				"{\"type\":\"event\",\"t_ms\":%ld,\"kind\":"
				"\"state\",\"detail\":\"background\","
				"\"footprint_bytes\":%lld}",
				k * pace_ms, fp);
			hang();
		}
		if (k == 3 && misbehaves(d, n, "no-kill"))
			hang();
		if (!main_alive())
			_exit(0);
		sleep_ms(pace_ms);
	}
	/* killed as it crossed the limit: the kernel says so twice */
	pages = limit / 16384;
	snprintf(kern, sizeof(kern),
		 "memorystatus: %s [%ld] exceeded mem limit: ActiveHard %ld MB "
		 "(fatal)",
		 d->app_exe, pid, d->limit_mb);
	device_log(d, "kernel", 0, kern);
	snprintf(
		kern, sizeof(kern),
		"memorystatus: killing_specific_process pid %ld [%s] "
		"(per-process-limit 10) %lldKB - memorystatus_available_pages: "
		"5142",
		pid, d->app_exe, limit / 1024);
	device_log(d, "kernel", 0, kern);
	{
		char p[2 * PATH_MAX];

		dev_path(p, sizeof(p), d, "probe.pid");
		unlink(p);
	}
	if (!misbehaves(d, n, "no-report")) {
		sleep_ms(200);
		write_report(d, n, pid, pages);
	}
	_exit(0);
}

static pid_t running_probe(const struct fdev *d);

/* start_probe - launch n, in a process of its own (its pid); a copy
 * still running is ended first, as a launch of a running app does. */
static pid_t
start_probe(const struct fdev *d, long n, char **env, char **args)
{
	pid_t pid = running_probe(d);

	if (pid > 0)
		kill(pid, SIGKILL);
	pid = fork();

	if (pid == 0)
		play_probe(d, n, env, args);
	logf_("launch %ld: probe process %ld", n, (long)pid);
	return pid;
}

/* running_probe - the pid of a probe process still alive, or -1. */
static pid_t
running_probe(const struct fdev *d)
{
	char p[2 * PATH_MAX], buf[32] = "";
	FILE *fp;
	pid_t pid;

	dev_path(p, sizeof(p), d, "probe.pid");
	fp = fopen(p, "r");
	if (fp == NULL)
		return -1;
	if (fgets(buf, sizeof(buf), fp) == NULL)
		buf[0] = '\0';
	fclose(fp);
	pid = (pid_t)atol(buf);
	return pid > 0 && kill(pid, 0) == 0 ? pid : -1;
}

/* serve_live_syslog - syslog_relay for a device with the app: the
 * device's live log from now on (as the relay sends only new records),
 * each record "line\n\0"; and, with autolaunch_ms, a person who opens the
 * app that long after the client connects. */
static int
live_syslog_open(const struct fdev *d)
{
	char p[2 * PATH_MAX];
	int lf;

	dev_path(p, sizeof(p), d, "syslog.live");
	lf = open(p, O_RDONLY | O_CREAT, 0644);
	if (lf >= 0)
		lseek(lf, 0, SEEK_END);
	return lf;
}

/* lf: the live log, opened at its end before the client heard that the
 * connection is up, so nothing logged after that is missed. */
static void
serve_live_syslog(int fd, const struct fdev *d, int lf)
{
	char pend[16384];
	size_t np = 0;
	long waited = 0;
	int launched = 0;

	if (lf < 0)
		return;
	while (main_alive() && !unplugged(d)) {
		struct pollfd pf = {.fd = fd, .events = POLLIN};
		ssize_t r;
		size_t i, start = 0;

		if (poll(&pf, 1, 20) > 0) {
			char b[256];

			if (read(fd, b, sizeof(b)) <= 0)
				break;
		}
		waited += 20;
		if (d->autolaunch_ms > 0 && !launched &&
		    waited >= d->autolaunch_ms) {
			launched = 1;
			start_probe(d, counter_next(d, "launches"), NULL, NULL);
		}
		r = read(lf, pend + np, sizeof(pend) - np);
		if (r <= 0)
			continue;
		np += (size_t)r;
		for (i = 0; i < np; i++) {
			if (pend[i] != '\n')
				continue;
			pend[i] = '\0';
			/* the record and its NUL, as the relay sends them */
			if (write_full(fd, pend + start, i - start) < 0 ||
			    write_full(fd, "\n", 2) < 0) {
				close(lf);
				return;
			}
			start = i + 1;
		}
		memmove(pend, pend + start, np - start);
		np -= start;
		if (np == sizeof(pend))
			np = 0; /* a record longer than any the fake writes */
	}
	close(lf);
}

/* read_plist - one length-prefixed plist from a plist service, or NULL. */
static plist_t
read_plist(int fd)
{
	unsigned char hdr[4];
	plist_t out = NULL;
	uint32_t len;
	char *buf;

	if (read_full(fd, hdr, 4) < 0)
		return NULL;
	len = (uint32_t)hdr[0] << 24 | (uint32_t)hdr[1] << 16 |
		(uint32_t)hdr[2] << 8 | hdr[3];
	if (len > (1u << 20))
		return NULL;
	buf = malloc(len);
	if (buf == NULL || read_full(fd, buf, len) < 0) {
		free(buf);
		return NULL;
	}
	plist_from_memory(buf, len, &out);
	free(buf);
	return out;
}

static char *
dict_string(plist_t dict, const char *key)
{
	plist_t n = dict != NULL ? plist_dict_get_item(dict, key) : NULL;
	char *v = NULL;

	if (n != NULL && plist_get_node_type(n) == PLIST_STRING)
		plist_get_string_val(n, &v);
	return v;
}

static plist_t
app_attrs(const struct fdev *d)
{
	plist_t a = plist_new_dict();
	char path[512];

	snprintf(path, sizeof(path), "%s/%s.app", APP_PATH_DIR, d->app_exe);
	plist_dict_set_item(a, "ApplicationType", plist_new_string("User"));
	plist_dict_set_item(a, "CFBundleDisplayName",
			    plist_new_string("Jetsam probe"));
	plist_dict_set_item(a, "CFBundleExecutable",
			    plist_new_string(d->app_exe));
	plist_dict_set_item(a, "CFBundleIdentifier", plist_new_string(d->app));
	plist_dict_set_item(a, "CFBundleShortVersionString",
			    plist_new_string("0.1.0"));
	plist_dict_set_item(a, "CFBundleVersion", plist_new_string("1"));
	plist_dict_set_item(a, "Container", plist_new_string(APP_CONTAINER));
	plist_dict_set_item(a, "Path", plist_new_string(path));
	return a;
}

/*
 * install - what installation_proxy makes of PackagePath: a package that
 * looks like one (an .ipa is a zip, an .app a directory with Info.plist)
 * installs the app; else an error name.  Writes the installed flag and
 * what was installed ("installed" holds the package path and its size).
 */
static const char *
install(const struct fdev *d, const char *pkg)
{
	char local[2 * PATH_MAX], info[2 * PATH_MAX + 16], text[2 * PATH_MAX];
	unsigned char magic[4] = {0};
	struct stat st;
	FILE *fp;

	if (strstr(pkg, "..") != NULL)
		return "PackageInspectionFailed";
	snprintf(local, sizeof(local), "%s/%s/media/%s", statedir, dev_dir(d),
		 pkg);
	if (stat(local, &st) < 0)
		return "PackageInspectionFailed";
	if (S_ISDIR(st.st_mode)) {
		snprintf(info, sizeof(info), "%s/Info.plist", local);
		if (access(info, F_OK) != 0)
			return "PackageInspectionFailed";
	} else {
		fp = fopen(local, "rb");
		if (fp == NULL || fread(magic, 1, 4, fp) != 4 ||
		    memcmp(magic, "PK\3\4", 4) != 0) {
			if (fp != NULL)
				fclose(fp);
			return "PackageInspectionFailed";
		}
		fclose(fp);
	}
	snprintf(text, sizeof(text), "%s %lld\n", pkg,
		 S_ISDIR(st.st_mode) ? -1LL : (long long)st.st_size);
	flag_write(d, "installed", text);
	return NULL;
}

static void
serve_instproxy(int fd, const struct fdev *d)
{
	plist_t req;

	while ((req = read_plist(fd)) != NULL) {
		char *cmd = dict_string(req, "Command");
		int installed = d->app != NULL && flag_set(d, "installed");
		plist_t reply = plist_new_dict();

		logf_("installation_proxy %s", cmd != NULL ? cmd : "?");
		if (cmd != NULL && strcmp(cmd, "Lookup") == 0) {
			plist_t res = plist_new_dict(), opts, ids;
			uint32_t i;

			opts = plist_dict_get_item(req, "ClientOptions");
			ids = opts != NULL
				? plist_dict_get_item(opts, "BundleIDs")
				: NULL;
			for (i = 0; installed && ids != NULL &&
			     plist_get_node_type(ids) == PLIST_ARRAY &&
			     i < plist_array_get_size(ids);
			     i++) {
				char *id = NULL;

				plist_get_string_val(
					plist_array_get_item(ids, i), &id);
				if (id != NULL && strcmp(id, d->app) == 0)
					plist_dict_set_item(res, id,
							    app_attrs(d));
				free(id);
			}
			plist_dict_set_item(reply, "LookupResult", res);
			plist_dict_set_item(reply, "Status",
					    plist_new_string("Complete"));
		} else if (cmd != NULL && strcmp(cmd, "Browse") == 0) {
			plist_t list = plist_new_array(), more;

			if (installed)
				plist_array_append_item(list, app_attrs(d));
			more = plist_new_dict();
			plist_dict_set_item(more, "CurrentAmount",
					    plist_new_uint(installed ? 1 : 0));
			plist_dict_set_item(more, "CurrentIndex",
					    plist_new_uint(0));
			plist_dict_set_item(more, "CurrentList", list);
			plist_dict_set_item(
				more, "Status",
				plist_new_string("BrowsingApplications"));
			plist_dict_set_item(more, "Total",
					    plist_new_uint(installed ? 1 : 0));
			if (lockdown_send(fd, more, 0) < 0) {
				free(cmd);
				plist_free(req);
				plist_free(reply);
				return;
			}
			plist_dict_set_item(reply, "Status",
					    plist_new_string("Complete"));
		} else if (cmd != NULL &&
			   (strcmp(cmd, "Install") == 0 ||
			    strcmp(cmd, "Upgrade") == 0)) {
			char *pkg = dict_string(req, "PackagePath");
			const char *bad = d->app == NULL  ? "APIInternalError"
				: d->install_fail != NULL ? "APIInternalError"
				: pkg == NULL ? "PackageInspectionFailed"
					      : install(d, pkg);
			plist_t step = plist_new_dict();

			plist_dict_set_item(step, "PercentComplete",
					    plist_new_uint(40));
			plist_dict_set_item(
				step, "Status",
				plist_new_string("VerifyingApplication"));
			(void)lockdown_send(fd, step, 0);
			if (bad != NULL) {
				plist_dict_set_item(reply, "Error",
						    plist_new_string(bad));
				plist_dict_set_item(
					reply, "ErrorDescription",
					plist_new_string(
						d->install_fail != NULL
							? d->install_fail
							: "the package is not "
							  "one"));
			} else {
				plist_dict_set_item(
					reply, "Status",
					plist_new_string("Complete"));
			}
			free(pkg);
		} else {
			plist_dict_set_item(reply, "Error",
					    plist_new_string("UnknownCommand"));
		}
		free(cmd);
		plist_free(req);
		if (lockdown_send(fd, reply, 0) < 0)
			return;
	}
}

static void
serve_mim(int fd, const struct fdev *d)
{
	plist_t req;

	while ((req = read_plist(fd)) != NULL) {
		char *cmd = dict_string(req, "Command");
		plist_t reply = plist_new_dict();
		int hangup = cmd != NULL && strcmp(cmd, "Hangup") == 0;

		logf_("mobile_image_mounter %s", cmd != NULL ? cmd : "?");
		if (cmd != NULL && strcmp(cmd, "LookupImage") == 0) {
			plist_t sigs = plist_new_array();

			if (d->devimage)
				plist_array_append_item(
					sigs,
					plist_new_data("FAKESIGNATURE", 13));
			plist_dict_set_item(reply, "ImageSignature", sigs);
			plist_dict_set_item(reply, "Status",
					    plist_new_string("Complete"));
		} else if (hangup) {
			plist_dict_set_item(reply, "Success",
					    plist_new_bool(1));
		} else {
			plist_dict_set_item(reply, "Error",
					    plist_new_string("UnknownCommand"));
		}
		free(cmd);
		plist_free(req);
		if (lockdown_send(fd, reply, 0) < 0 || hangup)
			return;
	}
}

/* ---- debugserver: the GDB remote protocol --------------------------------
 */

/* gdb_send - "$payload#cs", preceded by the ack of the packet it answers
 * unless acks are off. */
static int
gdb_send(int fd, const char *payload, int ack)
{
	char buf[1100];
	unsigned sum = 0;
	size_t i;
	int n;

	for (i = 0; payload[i] != '\0'; i++)
		sum += (unsigned char)payload[i];
	n = snprintf(buf, sizeof(buf), "%s$%s#%02x", ack ? "+" : "", payload,
		     sum & 0xff);
	return write_full(fd, buf, (size_t)n);
}

/*
 * gdb_read - the next packet's payload into buf: 1, 0 after timeout_ms
 * with none (timeout_ms < 0: wait), -1 when the client is gone.  '+',
 * '-' and ^C between packets are passed over; a packet with a wrong
 * checksum is answered '-' and forgotten.
 */
static int
gdb_read(int fd, char *buf, size_t size, int timeout_ms)
{
	size_t n = 0;
	int state = 0; /* 0 between, 1 payload, 2 and 3 checksum */
	unsigned sum = 0, want = 0;

	for (;;) {
		struct pollfd p = {.fd = fd, .events = POLLIN};
		char c;

		if (state == 0 && poll(&p, 1, timeout_ms) == 0)
			return 0;
		if (read(fd, &c, 1) != 1)
			return -1;
		if (c == '$') {
			state = 1;
			n = 0;
			sum = 0;
			continue;
		}
		if (state == 1) {
			if (c == '#') {
				state = 2;
				continue;
			}
			sum += (unsigned char)c;
			if (n + 1 < size)
				buf[n++] = c;
		} else if (state >= 2) {
			int v = isxdigit((unsigned char)c)
				? (isdigit((unsigned char)c)
					   ? c - '0'
					   : tolower((unsigned char)c) - 'a' +
						   10)
				: 0;

			want = want << 4 | (unsigned)v;
			if (state++ == 3) {
				buf[n] = '\0';
				if ((want & 0xff) == (sum & 0xff))
					return 1;
				logf_("debugserver: bad checksum");
				(void)write_full(fd, "-", 1);
				state = 0;
				want = 0;
			}
		}
	}
}

/* unhex - decode a hex string (its bytes, NUL-terminated) in place. */
static char *
unhex(char *s)
{
	size_t i, n = strlen(s) / 2;

	for (i = 0; i < n; i++) {
		char b[3] = {s[2 * i], s[2 * i + 1], 0};

		s[i] = (char)strtol(b, NULL, 16);
	}
	s[n] = '\0';
	return s;
}

/*
 * serve_debugserver - enough of debugserver to launch the app as the
 * 1.3.0 client, idevicedebug and jetsam do: setup packets, 'A' (argv),
 * qLaunchSuccess, then 'D' (detach: it runs on its own) or 'c' (it runs
 * under us, its end reported as "X09"), 'k', and vAttachName to reach a
 * running copy.  What each launch got is written to launch-N.txt.
 */
static void
serve_debugserver(int fd, const struct fdev *d)
{
	char pkt[8192], *env[64], *args[64], *wd = NULL, exe[600];
	int nenv = 0, nargs = 0, ack = 1, launched = 0, failed = 0;
	pid_t probe = -1;
	long n = 0;

	memset(args, 0, sizeof(args));
	memset(env, 0, sizeof(env));
	snprintf(exe, sizeof(exe), "%s/%s.app/%s", APP_PATH_DIR, d->app_exe,
		 d->app_exe);
	for (;;) {
		const char *reply = "";
		char buf[600];
		int r = gdb_read(fd, pkt, sizeof(pkt), probe > 0 ? 50 : -1);

		if (r < 0)
			break;
		if (r == 0) {
			/* running under us ('c'): report its end */
			if (kill(probe, 0) != 0) {
				probe = -1;
				if (gdb_send(fd, "X09", 0) < 0)
					break;
			}
			continue;
		}
		if (ack)
			(void)write_full(fd, "+", 1);
		logf_("debugserver %.60s", pkt);
		if (strcmp(pkt, "QStartNoAckMode") == 0) {
			reply = "OK";
		} else if (strncmp(pkt, "QSetMaxPacketSize:", 18) == 0 ||
			   strncmp(pkt, "QSetLogging:", 12) == 0 ||
			   strncmp(pkt, "Hc", 2) == 0 ||
			   strncmp(pkt, "Hg", 2) == 0) {
			reply = "OK";
		} else if (strncmp(pkt, "QSetWorkingDir:", 15) == 0) {
			free(wd);
			wd = strdup(unhex(pkt + 15));
			reply = "OK";
		} else if (strncmp(pkt, "QEnvironmentHexEncoded:", 23) == 0 ||
			   strncmp(pkt, "QEnvironment:", 13) == 0) {
			char *v = pkt[12] == ':' ? pkt + 13 : unhex(pkt + 23);

			if (nenv < 63)
				env[nenv++] = strdup(v);
			reply = "OK";
		} else if (pkt[0] == 'A') {
			/* A<hexlen>,<i>,<hex>,... */
			char *q = pkt + 1;
			int bad = 0;

			while (*q != '\0' && nargs < 63) {
				long len = strtol(q, &q, 10), idx;

				if (*q++ != ',')
					bad = 1;
				idx = strtol(q, &q, 10);
				if (*q++ != ',' || idx != nargs || len < 0 ||
				    (long)strlen(q) < len)
					bad = 1;
				if (bad)
					break;
				args[nargs] = strndup(q, (size_t)len);
				unhex(args[nargs++]);
				q += len;
				if (*q == ',')
					q++;
			}
			n = counter_next(d, "launches");
			if (misbehaves(d, n, "slow-launch"))
				sleep_ms(1500);
			if (bad || nargs < 1)
				reply = "E01";
			else if (d->app == NULL || !flag_set(d, "installed") ||
				 strcmp(args[0], exe) != 0)
				reply = "E08";
			else {
				launched = 1;
				failed = misbehaves(d, n, "launch-fail");
				reply = "OK";
			}
			{
				FILE *fp;
				char p[2 * PATH_MAX], name[32];
				int i;

				snprintf(name, sizeof(name), "launch-%ld.txt",
					 n);
				dev_path(p, sizeof(p), d, name);
				fp = fopen(p, "w");
				for (i = 0; fp != NULL && i < nenv; i++)
					fprintf(fp, "env %s\n", env[i]);
				for (i = 0; fp != NULL && i < nargs; i++)
					fprintf(fp, "arg %s\n", args[i]);
				if (fp != NULL) {
					fprintf(fp, "dir %s\nreply %s\n",
						wd != NULL ? wd : "", reply);
					fclose(fp);
				}
			}
		} else if (strcmp(pkt, "qLaunchSuccess") == 0) {
			reply = !launched ? "Eno process was launched"
				: failed  ? "Efailed to launch the app: the "
					    "fake phone was told to refuse"
					  : "OK";
		} else if (strcmp(pkt, "D") == 0 || strcmp(pkt, "c") == 0) {
			if (launched && !failed) {
				probe = start_probe(d, n, env, args + 1);
				launched = 0;
			}
			if (pkt[0] == 'D') {
				probe = -1;
				reply = "OK";
			} else {
				continue; /* the reply is the process's end */
			}
		} else if (strncmp(pkt, "vAttachName;", 12) == 0) {
			pid_t pid = running_probe(d);

			reply = pid > 0 &&
					strcmp(unhex(pkt + 12), d->app_exe) == 0
				? "T13thread:1;"
				: "E01";
			if (reply[0] == 'T')
				probe = pid;
		} else if (strcmp(pkt, "k") == 0) {
			pid_t pid = probe > 0 ? probe : running_probe(d);

			if (pid > 0 && kill(pid, SIGKILL) == 0) {
				char p[2 * PATH_MAX];

				dev_path(p, sizeof(p), d, "probe.pid");
				unlink(p);
				counter_next(d, "debugger-kills");
			}
			(void)gdb_send(fd, "X09", 0);
			break;
		}
		snprintf(buf, sizeof(buf), "%s", reply);
		if (gdb_send(fd, buf, 0) < 0)
			break;
		if (strcmp(pkt, "QStartNoAckMode") == 0)
			ack = 0;
	}
	while (nenv > 0)
		free(env[--nenv]);
	while (nargs > 0)
		free(args[--nargs]);
	free(wd);
}

/* ---- usbmux ---------------------------------------------------------------
 */

static int
mux_send(int fd, uint32_t tag, plist_t msg)
{
	unsigned char hdr[16];
	char *xml = NULL;
	uint32_t len = 0;
	int rc;

	plist_to_xml(msg, &xml, &len);
	put_le32(hdr, 16 + len);
	put_le32(hdr + 4, 1);
	put_le32(hdr + 8, 8);
	put_le32(hdr + 12, tag);
	rc = write_full(fd, hdr, 16) < 0 || write_full(fd, xml, len) < 0 ? -1
									 : 0;
	plist_to_xml_free(xml);
	plist_free(msg);
	return rc;
}

static int
mux_result(int fd, uint32_t tag, uint64_t number)
{
	plist_t r = plist_new_dict();

	plist_dict_set_item(r, "MessageType", plist_new_string("Result"));
	plist_dict_set_item(r, "Number", plist_new_uint(number));
	return mux_send(fd, tag, r);
}

static plist_t
attached(int i)
{
	plist_t a = plist_new_dict(), p = plist_new_dict();

	plist_dict_set_item(p, "ConnectionSpeed", plist_new_uint(480000000));
	plist_dict_set_item(p, "ConnectionType", plist_new_string("USB"));
	plist_dict_set_item(p, "DeviceID", plist_new_uint((uint64_t)i + 1));
	plist_dict_set_item(p, "LocationID", plist_new_uint(0));
	plist_dict_set_item(p, "ProductID", plist_new_uint(0x12a8));
	plist_dict_set_item(p, "SerialNumber", plist_new_string(devs[i].udid));
	plist_dict_set_item(a, "DeviceID", plist_new_uint((uint64_t)i + 1));
	plist_dict_set_item(a, "MessageType", plist_new_string("Attached"));
	plist_dict_set_item(a, "Properties", p);
	return a;
}

static struct fdev *
find_udid(const char *udid)
{
	int i;

	for (i = 0; udid != NULL && i < ndevs; i++)
		if (strcmp(devs[i].udid, udid) == 0)
			return &devs[i];
	return NULL;
}

static void
serve_mux(int fd)
{
	for (;;) {
		unsigned char hdr[16];
		uint32_t len, tag;
		char *buf, *type = NULL;
		plist_t msg = NULL, n;
		int i;

		if (read_full(fd, hdr, 16) < 0)
			return;
		len = get_le32(hdr);
		tag = get_le32(hdr + 12);
		if (len < 16 || len > (1u << 20))
			return;
		buf = malloc(len - 16);
		if (buf == NULL || read_full(fd, buf, len - 16) < 0) {
			free(buf);
			return;
		}
		plist_from_memory(buf, len - 16, &msg);
		free(buf);
		if (msg == NULL)
			return;
		n = plist_dict_get_item(msg, "MessageType");
		if (n != NULL)
			plist_get_string_val(n, &type);
		logf_("usbmux %s", type != NULL ? type : "?");
		if (type == NULL) {
			mux_result(fd, tag, 1);
		} else if (strcmp(type, "ListDevices") == 0) {
			plist_t r = plist_new_dict(), a = plist_new_array();

			for (i = 0; i < ndevs; i++)
				if (!unplugged(&devs[i]))
					plist_array_append_item(a, attached(i));
			plist_dict_set_item(r, "DeviceList", a);
			mux_send(fd, tag, r);
		} else if (strcmp(type, "Listen") == 0) {
			mux_result(fd, tag, 0);
			for (i = 0; i < ndevs; i++)
				if (!unplugged(&devs[i]))
					mux_send(fd, 0, attached(i));
			wait_for_close(fd, 600000);
			free(type);
			plist_free(msg);
			return;
		} else if (strcmp(type, "ReadBUID") == 0) {
			plist_t r = plist_new_dict();

			plist_dict_set_item(
				r, "BUID",
				plist_new_string(
					"FAKEBUID-0000-0000-0000-000000000001"));
			mux_send(fd, tag, r);
		} else if (strcmp(type, "ReadPairRecord") == 0 ||
			   strcmp(type, "SavePairRecord") == 0 ||
			   strcmp(type, "DeletePairRecord") == 0) {
			char *id = NULL;
			struct fdev *d;

			n = plist_dict_get_item(msg, "PairRecordID");
			if (n != NULL)
				plist_get_string_val(n, &id);
			d = find_udid(id);
			free(id);
			if (strcmp(type, "ReadPairRecord") != 0) {
				mux_result(fd, tag, 0);
			} else if (d == NULL || d->pairing != PAIR_TRUSTED) {
				mux_result(fd, tag, 2);
			} else {
				plist_t rec = plist_new_dict(),
					r = plist_new_dict();
				char *xml = NULL;
				uint32_t xl = 0;

				plist_dict_set_item(
					rec, "HostID",
					plist_new_string("FAKEHOST-0000-0000-"
							 "0000-000000000001"));
				plist_dict_set_item(
					rec, "SystemBUID",
					plist_new_string("FAKEBUID-0000-0000-"
							 "0000-000000000001"));
				plist_to_xml(rec, &xml, &xl);
				plist_dict_set_item(r, "PairRecordData",
						    plist_new_data(xml, xl));
				plist_to_xml_free(xml);
				plist_free(rec);
				mux_send(fd, tag, r);
			}
		} else if (strcmp(type, "Connect") == 0) {
			uint64_t id = 0, port = 0;

			n = plist_dict_get_item(msg, "DeviceID");
			if (n != NULL)
				plist_get_uint_val(n, &id);
			n = plist_dict_get_item(msg, "PortNumber");
			if (n != NULL)
				plist_get_uint_val(n, &port);
			port = ((port & 0xff) << 8) | ((port >> 8) & 0xff);
			if (id < 1 || id > (uint64_t)ndevs ||
			    unplugged(&devs[id - 1])) {
				mux_result(fd, tag, 2);
			} else if (port != LOCKDOWN_PORT &&
				   (port < PORT_MOVER || port > PORT_MEDIA)) {
				mux_result(fd, tag, 3);
			} else {
				struct fdev *d = &devs[id - 1];

				int lf = port == PORT_SYSLOG &&
						d->app != NULL &&
						d->syslog[0] == '\0'
					? live_syslog_open(d)
					: -1;

				logf_("connect %s port %llu", d->udid,
				      (unsigned long long)port);
				mux_result(fd, tag, 0);
				free(type);
				plist_free(msg);
				if (port == LOCKDOWN_PORT)
					serve_lockdown(fd, d);
				else if (port == PORT_MOVER)
					serve_mover(fd, d);
				else if (port == PORT_AFC)
					serve_afc(fd, d, "reports");
				else if (port == PORT_MEDIA)
					serve_afc(fd, d, "media");
				else if (port == PORT_INSTPROXY)
					serve_instproxy(fd, d);
				else if (port == PORT_MIM)
					serve_mim(fd, d);
				else if (port == PORT_DEBUGSERVER)
					serve_debugserver(fd, d);
				else if (lf >= 0)
					serve_live_syslog(fd, d, lf);
				else
					serve_syslog(fd, d);
				return;
			}
		} else {
			mux_result(fd, tag, 1);
		}
		free(type);
		plist_free(msg);
	}
}

/* ---- main -----------------------------------------------------------------
 */

static void
on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

int
main(int argc, char **argv)
{
	const char *sock = NULL, *scenario = NULL;
	char tmp[sizeof(((struct sockaddr_un *)0)->sun_path)];
	struct sockaddr_un sa;
	struct sigaction act;
	pid_t parent = getpid();
	int c, lfd, i;

	while ((c = getopt(argc, argv, "s:c:d:v")) != -1) {
		switch (c) {
		case 's':
			sock = optarg;
			break;
		case 'c':
			scenario = optarg;
			break;
		case 'd':
			copy_str(statedir, sizeof(statedir), optarg);
			break;
		case 'v':
			verbose = 1;
			break;
		default:
			die("usage: fakedevice -s SOCKET -c SCENARIO -d "
			    "STATEDIR [-v]");
		}
	}
	if (sock == NULL || scenario == NULL || statedir[0] == '\0')
		die("usage: fakedevice -s SOCKET -c SCENARIO -d STATEDIR [-v]");
	if (strlen(sock) + 5 >= sizeof(sa.sun_path))
		die("socket path too long: %s", sock);
	if (mkdir(statedir, 0755) < 0 && errno != EEXIST)
		die("mkdir '%s': %s", statedir, strerror(errno));
	main_pid = getpid();
	load_scenario(scenario);
	for (i = 0; i < ndevs; i++) {
		make_dirs(&devs[i]);
		if (devs[i].app != NULL && devs[i].app_installed &&
		    !flag_set(&devs[i], "installed"))
			flag_write(&devs[i], "installed", "preinstalled\n");
	}

	memset(&act, 0, sizeof(act));
	act.sa_handler = on_signal;
	sigaction(SIGTERM, &act, NULL);
	sigaction(SIGINT, &act, NULL);
	act.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &act, NULL);
	act.sa_handler = SIG_DFL;
	act.sa_flags = SA_NOCLDWAIT;
	sigaction(SIGCHLD, &act, NULL);

	/* Bind under a temporary name and rename: the socket appears only
	 * once it accepts, so a test may poll for the file. */
	snprintf(tmp, sizeof(tmp), "%s.tmp", sock);
	unlink(tmp);
	lfd = socket(AF_UNIX, SOCK_STREAM, 0);
	memset(&sa, 0, sizeof(sa));
	sa.sun_family = AF_UNIX;
	copy_str(sa.sun_path, sizeof(sa.sun_path), tmp);
	if (lfd < 0 || bind(lfd, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
	    listen(lfd, 64) < 0 || rename(tmp, sock) < 0)
		die("cannot listen on '%s': %s", sock, strerror(errno));
	logf_("listening on %s with %d device(s)", sock, ndevs);

	while (!stop) {
		int cfd = accept(lfd, NULL, NULL);
		pid_t pid;

		if (cfd < 0)
			continue;
		pid = fork();
		if (pid == 0) {
			prctl(PR_SET_PDEATHSIG, SIGKILL);
			if (getppid() != parent)
				_exit(0);
			close(lfd);
			signal(SIGTERM, SIG_DFL);
			signal(SIGINT, SIG_DFL);
			serve_mux(cfd);
			close(cfd);
			_exit(0);
		}
		close(cfd);
	}
	close(lfd);
	unlink(sock);
	return 0;
}
