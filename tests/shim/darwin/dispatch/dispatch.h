/*
 * shim: dispatch/dispatch.h - a memory-pressure source and a semaphore,
 * function style, as C sees them (libdispatch dispatch/object.h: outside
 * Objective-C, dispatch_object_t is a transparent union of the object
 * pointer types, so dispatch_release takes any of them)
 */
#ifndef SHIM_DISPATCH_DISPATCH_H
#define SHIM_DISPATCH_DISPATCH_H
#include <stdint.h>
typedef struct dispatch_object_s *dispatch_object_s_t;
typedef struct dispatch_source_s *dispatch_source_t;
typedef struct dispatch_queue_s *dispatch_queue_t;
typedef struct dispatch_semaphore_s *dispatch_semaphore_t;
typedef union {
	struct dispatch_object_s *_do;
	struct dispatch_source_s *_ds;
	struct dispatch_queue_s *_dq;
	struct dispatch_semaphore_s *_dsema;
} dispatch_object_t __attribute__((__transparent_union__));
typedef const struct dispatch_source_type_s *dispatch_source_type_t;
typedef void (*dispatch_function_t)(void *);
typedef uint64_t dispatch_time_t;
typedef long intptr_t;
#define DISPATCH_TIME_FOREVER (~0ull)
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
void dispatch_source_set_cancel_handler_f(dispatch_source_t,
					  dispatch_function_t);
uintptr_t dispatch_source_get_data(dispatch_source_t);
void dispatch_set_context(dispatch_object_t, void *);
void dispatch_resume(dispatch_object_t);
void dispatch_source_cancel(dispatch_source_t);
void dispatch_release(dispatch_object_t);
dispatch_semaphore_t dispatch_semaphore_create(intptr_t);
intptr_t dispatch_semaphore_signal(dispatch_semaphore_t);
intptr_t dispatch_semaphore_wait(dispatch_semaphore_t, dispatch_time_t);
#endif
