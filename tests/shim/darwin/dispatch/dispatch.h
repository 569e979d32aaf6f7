/* shim: dispatch/dispatch.h - a memory-pressure source, function style */
#ifndef SHIM_DISPATCH_DISPATCH_H
#define SHIM_DISPATCH_DISPATCH_H
#include <stdint.h>
typedef struct dispatch_source_s *dispatch_source_t;
typedef struct dispatch_queue_s *dispatch_queue_t;
typedef const struct dispatch_source_type_s *dispatch_source_type_t;
typedef void (*dispatch_function_t)(void *);
typedef long intptr_t;
extern const struct dispatch_source_type_s _dispatch_source_type_memorypressure;
#define DISPATCH_SOURCE_TYPE_MEMORYPRESSURE \
	(&_dispatch_source_type_memorypressure)
#define DISPATCH_MEMORYPRESSURE_NORMAL 0x01
#define DISPATCH_MEMORYPRESSURE_WARN 0x02
#define DISPATCH_MEMORYPRESSURE_CRITICAL 0x04
#define QOS_CLASS_UTILITY 0x11
dispatch_queue_t dispatch_get_global_queue(intptr_t, uintptr_t);
dispatch_source_t dispatch_source_create(dispatch_source_type_t, uintptr_t,
					 uintptr_t, dispatch_queue_t);
void dispatch_source_set_event_handler_f(dispatch_source_t,
					 dispatch_function_t);
uintptr_t dispatch_source_get_data(dispatch_source_t);
void dispatch_set_context(void *, void *);
void dispatch_resume(void *);
void dispatch_source_cancel(dispatch_source_t);
void dispatch_release(void *);
#endif
