/* shim: sys/sysctl.h */
#ifndef SHIM_SYS_SYSCTL_H
#define SHIM_SYS_SYSCTL_H
#include <stddef.h>
int sysctlbyname(const char *, void *, size_t *, void *, size_t);
#endif
