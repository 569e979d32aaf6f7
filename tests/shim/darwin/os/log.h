/* shim: os/log.h - the shape of os_log(); Apple's macro needs a builtin */
#ifndef SHIM_OS_LOG_H
#define SHIM_OS_LOG_H
typedef struct os_log_s *os_log_t;
os_log_t os_log_create(const char *, const char *);
void shim_os_log(os_log_t, const char *, ...);
#define os_log(log, ...) shim_os_log((log), __VA_ARGS__)
#endif
