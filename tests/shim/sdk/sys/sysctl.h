/*
 * sysctl.h - a stand-in for <sys/sysctl.h>'s sysctlbyname, for the SDK
 * example only (tests/shim/sdk/README.md).
 */
#ifndef JT_SHIM_SDK_SYS_SYSCTL_H
#define JT_SHIM_SDK_SYS_SYSCTL_H

#include <stddef.h>

int sysctlbyname(const char *name, void *oldp, size_t *oldlenp, void *newp,
		 size_t newlen);

#endif
