/*
 * JTProbeHost.m - the probe inside an app or an extension
 *
 * Only glue: options and the log's name in, jt_probe_run out.  Everything
 * measured is probe.c and footprint_darwin.c, the same code as
 * jetsam-probe.  Compile-checked on Linux against tests/shim/darwin (make
 * check-darwin); not run from this tree.
 */
#import "JTProbeHost.h"

#import <os/log.h>

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "probe.h"

@implementation JTProbeHost

+ (NSString *)profile
{
	id p = [NSBundle.mainBundle objectForInfoDictionaryKey:@"JTProbeProfile"];

	return [p isKindOfClass:NSString.class] && [p length] > 0 ? p : @"app";
}

+ (NSArray<NSString *> *)probeArgumentsFrom:(NSArray<NSString *> *)launch
{
	NSMutableArray<NSString *> *out = [NSMutableArray array];
	NSUInteger i;

	for (i = 1; i < launch.count; i++) {
		NSString *a = launch[i];

		if ([a hasPrefix:@"-"] && ![a hasPrefix:@"--"]) {
			i++; /* "-Key value": not ours */
			continue;
		}
		[out addObject:a];
	}
	return out;
}

+ (NSString *)logPathInDirectory:(NSString *)dir runID:(NSString *)runID
{
	NSDateFormatter *f = [NSDateFormatter new];
	NSString *name;

	/* Fixed locale and zone: the name is data, not for a person. */
	f.locale = [NSLocale localeWithLocaleIdentifier:@"en_US_POSIX"];
	f.timeZone = [NSTimeZone timeZoneForSecondsFromGMT:0];
	f.dateFormat = @"yyyyMMdd'T'HHmmss'Z'";
	name = [NSString stringWithFormat:@"probe-%@-%@-%d", self.profile,
					  [f stringFromDate:NSDate.date],
					  (int)getpid()];
	if (runID != nil)
		name = [name stringByAppendingFormat:@"-%@", runID];
	return [dir stringByAppendingPathComponent:
			    [name stringByAppendingString:@".jsonl"]];
}

+ (int)runWithArguments:(NSArray<NSString *> *)args inDirectory:(NSString *)dir
{
	NSMutableArray<NSString *> *all = [NSMutableArray array];
	struct jt_probe_config c;
	char msg[512] = "";
	char **argv;
	NSString *path;
	int argc = 0, rc, i;

	/* The bundle says what it is; the host says the rest.  The system
	 * log is a sink from the start, so parsing needs no path yet. */
	[all addObjectsFromArray:@[ @"jetsam-probe", @"--profile", self.profile ]];
	[all addObjectsFromArray:args];
	[all addObjectsFromArray:@[ @"--syslog", @"--quiet" ]];
	argv = calloc(all.count + 1, sizeof(char *));
	if (argv == NULL)
		return JT_PROBE_EXIT_FAIL;
	for (NSString *a in all)
		argv[argc++] = strdup(a.UTF8String);
	rc = jt_probe_parse_args(&c, argc, argv, msg, sizeof(msg));
	if (rc == 0) {
		path = [self logPathInDirectory:dir
					  runID:c.run_id != NULL
							? @(c.run_id)
							: nil];
		c.log_path = path.fileSystemRepresentation;
		rc = jt_probe_run(&c, msg, sizeof(msg));
	} else {
		rc = JT_PROBE_EXIT_USAGE;
	}
	if (msg[0] != '\0')
		os_log_error(OS_LOG_DEFAULT, "jetsam-probe: status %d: %{public}s",
			     rc, msg);
	for (i = 0; i < argc; i++)
		free(argv[i]);
	free(argv);
	return rc;
}

+ (void)startWithArguments:(NSArray<NSString *> *)args
	       inDirectory:(NSString *)dir
		      done:(void (^)(int status))done
{
	NSArray<NSString *> *copy = [args copy];
	NSString *where = [dir copy];

	[NSThread detachNewThreadWithBlock:^{
		/* The probe thread's own pool: Foundation objects made while
		 * setting up are released when the run ends. */
		@autoreleasepool {
			int rc = [JTProbeHost runWithArguments:copy
						   inDirectory:where];

			if (done != nil)
				done(rc);
		}
	}];
}

+ (NSString *)sharedLogDirectory
{
	id group = [NSBundle.mainBundle objectForInfoDictionaryKey:@"JTProbeAppGroup"];
	NSURL *url = nil;

	if ([group isKindOfClass:NSString.class] && [group length] > 0)
		url = [NSFileManager.defaultManager
			containerURLForSecurityApplicationGroupIdentifier:group];
	return url != nil ? url.path : NSTemporaryDirectory();
}

+ (void)postKind:(NSString *)kind detail:(NSString *)detail
{
	(void)jt_probe_post(kind.UTF8String, detail.UTF8String);
}

@end
