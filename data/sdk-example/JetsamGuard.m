/*
 * JetsamGuard.m - an app's memory guard on the generated header and plist
 *
 * Drop jetsam_thresholds.h (jetsam calibrate --header) and
 * jetsam_thresholds.plist (--plist) into the app target.  The guard asks
 * the header once per launch for the danger threshold of this device;
 * -thresholdFromPlist shows the same lookup on the plist instead (for an
 * app that updates its table from a server without a new build).  Call
 * -isInDanger as often as needed (it costs one task_info call): above the
 * threshold, release caches and degrade before pushing another page.
 *
 * A sketch for an SDK, compile-checked on Linux against a minimal
 * Foundation stub (tests/shim/sdk); not run on a device from this tree.
 */
#import <Foundation/Foundation.h>

#include <mach/mach.h>
#include <os/proc.h>
#include <stdint.h>
#include <sys/sysctl.h>

#include "jetsam_thresholds.h"

@interface JetsamGuard : NSObject
@property(nonatomic, readonly) int64_t thresholdBytes; /* -1: unknown */
@property(nonatomic, readonly) enum jetsam_source source;
- (instancetype)initWithProfile:(NSString *)profile;
- (BOOL)isInDanger;
@end

/* The footprint Jetsam judges the app by, or -1. */
static int64_t
JetsamFootprintBytes(void)
{
	task_vm_info_data_t vm;
	mach_msg_type_number_t count = TASK_VM_INFO_COUNT;

	if (task_info(mach_task_self(), TASK_VM_INFO, (task_info_t)&vm,
		      &count) != KERN_SUCCESS)
		return -1;
	return (int64_t)vm.phys_footprint;
}

/* hw.machine, e.g. "iPhone12,1" (not the marketing name). */
static NSString *
JetsamModel(void)
{
	char buf[64];
	size_t n = sizeof(buf);

	if (sysctlbyname("hw.machine", buf, &n, NULL, 0) != 0)
		return @"unknown";
	buf[sizeof(buf) - 1] = '\0';
	return [NSString stringWithUTF8String:buf];
}

/* "17.1" or "17.1.2", as the table writes OS versions. */
static NSString *
JetsamOSVersion(void)
{
	NSOperatingSystemVersion v =
		[[NSProcessInfo processInfo] operatingSystemVersion];

	if (v.patchVersion == 0)
		return [NSString stringWithFormat:@"%ld.%ld",
						  (long)v.majorVersion,
						  (long)v.minorVersion];
	return [NSString stringWithFormat:@"%ld.%ld.%ld",
					  (long)v.majorVersion,
					  (long)v.minorVersion,
					  (long)v.patchVersion];
}

static int64_t
JetsamRAMBytes(void)
{
	uint64_t ram = 0;
	size_t n = sizeof(ram);

	if (sysctlbyname("hw.memsize", &ram, &n, NULL, 0) != 0)
		return -1;
	return (int64_t)ram;
}

/*
 * The live limit: footprint + what the OS says is left.  -1 when
 * os_proc_available_memory() is 0 (at the limit already, or not an app):
 * never the footprint alone.
 */
static int64_t
JetsamLiveLimitBytes(void)
{
	return jetsam_live_limit_bytes(JetsamFootprintBytes(),
				       os_proc_available_memory());
}

@implementation JetsamGuard

- (instancetype)initWithProfile:(NSString *)profile
{
	self = [super init];
	if (self != nil) {
		enum jetsam_source src;

		_thresholdBytes = jetsam_threshold_lookup(
			[JetsamModel() UTF8String],
			[JetsamOSVersion() UTF8String], [profile UTF8String],
			JetsamRAMBytes(), JetsamLiveLimitBytes(), &src);
		_source = src;
	}
	return self;
}

- (BOOL)isInDanger
{
	int64_t fp = JetsamFootprintBytes();

	/* No threshold (the live limit was unknown): os_proc_available_memory
	 * said 0, so the app is at its limit. */
	if (self.thresholdBytes < 0)
		return os_proc_available_memory() == 0;
	return fp >= self.thresholdBytes;
}

/*
 * The same lookup on the plist (data/ship-schema.json): one dictionary
 * look-up per level for a measured threshold; the rest as the header.
 */
+ (int64_t)thresholdFromPlist:(NSDictionary *)table
		      profile:(NSString *)profile
{
	NSString *model = JetsamModel(), *os = JetsamOSVersion();
	NSDictionary *byOS = table[@"thresholds"][model];
	NSDictionary *entry = byOS[os][profile];
	NSDictionary *field = table[@"field_only"][model];
	double fraction = [table[@"fraction"] doubleValue];
	int64_t live = JetsamLiveLimitBytes(), t;

	if (entry != nil)
		return [entry[@"threshold_bytes"] longLongValue];
	if (byOS != nil) {
		NSString *below = nil, *above = nil;

		/* Carried over: the newest OS not newer than ours, else the
		 * oldest newer one. */
		for (NSString *v in byOS) {
			if (byOS[v][profile] == nil)
				continue;
			if ([v compare:os options:NSNumericSearch] !=
			    NSOrderedDescending) {
				if (below == nil ||
				    [v compare:below options:NSNumericSearch] ==
					    NSOrderedDescending)
					below = v;
			} else if (above == nil ||
				   [v compare:above options:NSNumericSearch] ==
					   NSOrderedAscending) {
				above = v;
			}
		}
		if (below != nil || above != nil)
			return [byOS[below != nil ? below : above][profile]
					[@"threshold_bytes"] longLongValue];
	}
	if (live < 0)
		return -1;
	if (field != nil) {
		int64_t growth = [field[@"growth_bytes"] longLongValue];
		NSNumber *baseline = field[@"baseline_bytes"];

		t = live - growth > 0 ? live - growth
				      : (int64_t)((double)live * fraction);
		if (baseline != nil && [baseline longLongValue] > t)
			t = [baseline longLongValue];
		return t > live ? live : (t > 0 ? t : 1);
	}
	/* Neither: the growth of the RAM class nearest to this device's. */
	NSDictionary *cls = nil;
	int64_t ram = JetsamRAMBytes(), best = 0;

	for (NSDictionary *c in table[@"ram_classes"]) {
		int64_t d = [c[@"ram_bytes"] longLongValue] - ram;

		if (d < 0)
			d = -d;
		if (ram > 0 && (cls == nil || d < best)) {
			cls = c;
			best = d;
		}
	}
	if (cls != nil && live - [cls[@"growth_bytes"] longLongValue] > 0)
		return live - [cls[@"growth_bytes"] longLongValue];
	t = (int64_t)((double)live * fraction);
	return t > 0 ? t : 1;
}

@end
