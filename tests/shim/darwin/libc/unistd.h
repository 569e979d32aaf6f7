/* shim: unistd.h */
#ifndef SHIM_UNISTD_H
#define SHIM_UNISTD_H
#include <sys/types.h>
#define _SC_PAGESIZE 29
long sysconf(int);
int fsync(int);
pid_t getpid(void);
#endif
