/* shim: errno.h */
#ifndef SHIM_ERRNO_H
#define SHIM_ERRNO_H
extern int *__error(void);
#define errno (*__error())
#define EIO 5
#define ENOSYS 78
#endif
