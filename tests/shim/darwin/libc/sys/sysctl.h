/*
 * shim: sys/sysctl.h - the prototypes, with the u_int of Apple's.  The
 * parameters are named so a missing u_int is "unknown type name" for
 * every compiler, as Xcode's clang (implicit int is an error since clang
 * 16) reports Apple's unnamed one.
 */
#ifndef SHIM_SYS_SYSCTL_H
#define SHIM_SYS_SYSCTL_H
#include <sys/types.h>
int sysctl(int *name, u_int namelen, void *oldp, size_t *oldlenp, void *newp,
	   size_t newlen);
int sysctlbyname(const char *name, void *oldp, size_t *oldlenp, void *newp,
		 size_t newlen);
#endif
