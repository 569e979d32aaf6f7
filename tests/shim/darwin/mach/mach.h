/*
 * shim: mach/mach.h - task_info(TASK_VM_INFO) as in xnu
 * osfmk/mach/task_info.h, #pragma pack(4) included, with the layout the
 * probe relies on pinned by static assertions, so the shim cannot drift:
 * TASK_VM_INFO_REV1/3/4_COUNT are 38/84/86 words, and phys_footprint,
 * ledger_phys_footprint_peak and limit_bytes_remaining sit at byte
 * offsets 144/168/336.
 */
#ifndef SHIM_MACH_MACH_H
#define SHIM_MACH_MACH_H
#include <stddef.h>
#include <stdint.h>

typedef int kern_return_t;
typedef int integer_t;
typedef unsigned int natural_t;
typedef natural_t mach_msg_type_number_t;
typedef natural_t mach_port_t;
typedef mach_port_t task_t;
typedef mach_port_t task_name_t;
typedef natural_t task_flavor_t;
typedef integer_t *task_info_t;
typedef uint64_t mach_vm_size_t;
typedef uint64_t mach_vm_address_t;

#define KERN_SUCCESS 0

extern mach_port_t mach_task_self_;
#define mach_task_self() mach_task_self_

kern_return_t task_info(task_name_t, task_flavor_t, task_info_t,
			mach_msg_type_number_t *);

#pragma pack(push, 4)
#define TASK_VM_INFO 22
struct task_vm_info {
	mach_vm_size_t virtual_size;
	integer_t region_count;
	integer_t page_size;
	mach_vm_size_t resident_size;
	mach_vm_size_t resident_size_peak;
	mach_vm_size_t device;
	mach_vm_size_t device_peak;
	mach_vm_size_t internal;
	mach_vm_size_t internal_peak;
	mach_vm_size_t external;
	mach_vm_size_t external_peak;
	mach_vm_size_t reusable;
	mach_vm_size_t reusable_peak;
	mach_vm_size_t purgeable_volatile_pmap;
	mach_vm_size_t purgeable_volatile_resident;
	mach_vm_size_t purgeable_volatile_virtual;
	mach_vm_size_t compressed;
	mach_vm_size_t compressed_peak;
	mach_vm_size_t compressed_lifetime;
	/* rev1 */
	mach_vm_size_t phys_footprint;
	/* rev2 */
	mach_vm_address_t min_address;
	mach_vm_address_t max_address;
	/* rev3: the lifetime peak, then 20 more ledgers (purgeable and the
	 * network, media, graphics and neural tags), named in xnu */
	int64_t ledger_phys_footprint_peak;
	int64_t ledger_rev3_other[20];
	/* rev4 */
	uint64_t limit_bytes_remaining;
	/* rev5 */
	integer_t decompressions;
	/* rev6 */
	int64_t ledger_swapins;
};
typedef struct task_vm_info task_vm_info_data_t;
#define TASK_VM_INFO_COUNT \
	((mach_msg_type_number_t)(sizeof(task_vm_info_data_t) / sizeof(natural_t)))
#define TASK_VM_INFO_REV6_COUNT TASK_VM_INFO_COUNT
#define TASK_VM_INFO_REV5_COUNT \
	((mach_msg_type_number_t)(TASK_VM_INFO_REV6_COUNT - 2))
#define TASK_VM_INFO_REV4_COUNT \
	((mach_msg_type_number_t)(TASK_VM_INFO_REV5_COUNT - 1))
#define TASK_VM_INFO_REV3_COUNT \
	((mach_msg_type_number_t)(TASK_VM_INFO_REV4_COUNT - 2))
#define TASK_VM_INFO_REV2_COUNT \
	((mach_msg_type_number_t)(TASK_VM_INFO_REV3_COUNT - 42))
#define TASK_VM_INFO_REV1_COUNT \
	((mach_msg_type_number_t)(TASK_VM_INFO_REV2_COUNT - 4))
#pragma pack(pop)

_Static_assert(offsetof(struct task_vm_info, phys_footprint) == 144,
	       "phys_footprint at byte 144");
_Static_assert(offsetof(struct task_vm_info, ledger_phys_footprint_peak) ==
		       168,
	       "ledger_phys_footprint_peak at byte 168");
_Static_assert(offsetof(struct task_vm_info, limit_bytes_remaining) == 336,
	       "limit_bytes_remaining at byte 336");
_Static_assert(TASK_VM_INFO_REV1_COUNT == 38, "revision 1 is 38 words");
_Static_assert(TASK_VM_INFO_REV3_COUNT == 84, "revision 3 is 84 words");
_Static_assert(TASK_VM_INFO_REV4_COUNT == 86, "revision 4 is 86 words");
_Static_assert(TASK_VM_INFO_COUNT == 89, "revision 6 is 89 words");

#endif
