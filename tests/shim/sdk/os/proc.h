/*
 * proc.h - a stand-in for <os/proc.h> (iOS 13+), for the SDK example
 * only (tests/shim/sdk/README.md).
 */
#ifndef JT_SHIM_SDK_OS_PROC_H
#define JT_SHIM_SDK_OS_PROC_H

#include <stddef.h>

/* The bytes the app may still allocate before its limit; 0 when it is
 * over its limit or is not an app. */
size_t os_proc_available_memory(void);

#endif
