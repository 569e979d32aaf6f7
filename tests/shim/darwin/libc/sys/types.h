/*
 * shim: sys/types.h - with xnu's guard (bsd/sys/types.h): the BSD names
 * u_char, u_short, u_int exist only without _POSIX_C_SOURCE, or with
 * _DARWIN_C_SOURCE as well.  <sys/sysctl.h> needs u_int, so a build that
 * defines _POSIX_C_SOURCE alone fails here as it does on a Mac.
 */
#ifndef SHIM_SYS_TYPES_H
#define SHIM_SYS_TYPES_H
#include <stddef.h>
#include <stdint.h>
typedef int pid_t;
typedef long ssize_t;
#if !defined(_POSIX_C_SOURCE) || defined(_DARWIN_C_SOURCE)
typedef unsigned char u_char;
typedef unsigned short u_short;
typedef unsigned int u_int;
typedef unsigned long u_long;
#endif
#endif
