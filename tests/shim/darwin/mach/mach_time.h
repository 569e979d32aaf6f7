/* shim: mach/mach_time.h */
#ifndef SHIM_MACH_MACH_TIME_H
#define SHIM_MACH_MACH_TIME_H
#include <stdint.h>
#include <mach/mach.h>
struct mach_timebase_info {
	uint32_t numer;
	uint32_t denom;
};
typedef struct mach_timebase_info mach_timebase_info_data_t;
kern_return_t mach_timebase_info(struct mach_timebase_info *);
uint64_t mach_absolute_time(void);
kern_return_t mach_wait_until(uint64_t);
#endif
