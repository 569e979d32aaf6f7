/*
 * shim: os/log.h - the shape of os_log() and os_log_error(); Apple's
 * macros need a compiler builtin, so the shim keeps only the call's shape
 * and checks the format as printf's (os_log's "%{public}s" is "%s" with a
 * privacy annotation, which -Wformat cannot read: the shim drops it).
 */
#ifndef SHIM_OS_LOG_H
#define SHIM_OS_LOG_H
typedef struct os_log_s *os_log_t;
extern struct os_log_s _os_log_default;
#define OS_LOG_DEFAULT (&_os_log_default)
os_log_t os_log_create(const char *, const char *);
void shim_os_log(os_log_t, const char *, ...);
#define os_log(log, ...) shim_os_log((log), __VA_ARGS__)
#define os_log_error(log, ...) shim_os_log((log), __VA_ARGS__)
#endif
