/*
 * mach.h - a stand-in declaring task_info(TASK_VM_INFO) as Apple's SDK
 * does, for the SDK example only (tests/shim/sdk/README.md).
 */
#ifndef JT_SHIM_SDK_MACH_H
#define JT_SHIM_SDK_MACH_H

#include <stdint.h>

typedef int kern_return_t;
typedef unsigned int mach_port_t;
typedef mach_port_t task_t;
typedef unsigned int natural_t;
typedef natural_t mach_msg_type_number_t;
typedef natural_t task_flavor_t;
typedef int *task_info_t;

#define KERN_SUCCESS 0
#define TASK_VM_INFO 22

typedef struct {
	uint64_t virtual_size;
	int32_t region_count;
	int32_t page_size;
	uint64_t resident_size;
	uint64_t resident_size_peak;
	uint64_t device;
	uint64_t device_peak;
	uint64_t internal;
	uint64_t internal_peak;
	uint64_t external;
	uint64_t external_peak;
	uint64_t reusable;
	uint64_t reusable_peak;
	uint64_t purgeable_volatile_pmap;
	uint64_t purgeable_volatile_resident;
	uint64_t purgeable_volatile_virtual;
	uint64_t compressed;
	uint64_t compressed_peak;
	uint64_t compressed_lifetime;
	uint64_t phys_footprint;
	uint64_t min_address;
	uint64_t max_address;
	int64_t ledger_phys_footprint_peak;
	int64_t ledger_purgeable_nonvolatile;
	int64_t ledger_purgeable_novolatile_compressed;
	int64_t ledger_purgeable_volatile;
	int64_t ledger_purgeable_volatile_compressed;
	int64_t ledger_tag_network_nonvolatile;
	int64_t ledger_tag_network_nonvolatile_compressed;
	int64_t ledger_tag_network_volatile;
	int64_t ledger_tag_network_volatile_compressed;
	int64_t ledger_tag_media_footprint;
	int64_t ledger_tag_media_footprint_compressed;
	int64_t ledger_tag_media_nofootprint;
	int64_t ledger_tag_media_nofootprint_compressed;
	int64_t ledger_tag_graphics_footprint;
	int64_t ledger_tag_graphics_footprint_compressed;
	int64_t ledger_tag_graphics_nofootprint;
	int64_t ledger_tag_graphics_nofootprint_compressed;
	int64_t ledger_tag_neural_footprint;
	int64_t ledger_tag_neural_footprint_compressed;
	int64_t ledger_tag_neural_nofootprint;
	int64_t ledger_tag_neural_nofootprint_compressed;
	uint64_t limit_bytes_remaining;
	int32_t decompressions;
} task_vm_info_data_t;

#define TASK_VM_INFO_COUNT                                                     \
	((mach_msg_type_number_t)(sizeof(task_vm_info_data_t) /                \
				  sizeof(natural_t)))

task_t mach_task_self(void);
kern_return_t task_info(task_t task, task_flavor_t flavor,
			task_info_t task_info_out,
			mach_msg_type_number_t *task_info_count);

#endif
