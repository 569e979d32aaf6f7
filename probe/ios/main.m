/*
 * main.m - the probe's iOS app shell
 *
 * A window-less app that, once launched, runs the same probe code as
 * jetsam-probe on a background thread, with its options taken from the
 * launch arguments (Xcode scheme, or `xcrun devicectl device process
 * launch ... -- --rate 20M --ramp-to 90%`).  The log goes to a new file in
 * the app's Documents (pulled with the container afterwards) and, record
 * by record, to os_log behind "JETSAMKIT: " for `jetsam capture`.  The
 * probe must stay frontmost: Jetsam's per-process limit is only measured
 * for a frontmost app, so the screen is kept awake.
 *
 * Not built in this tree (no Xcode here); see README.md.
 */
#import <UIKit/UIKit.h>

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "probe.h"

@interface JTProbeApp : UIResponder <UIApplicationDelegate>
@property(nonatomic, strong) UIWindow *window;
@end

static void *
run_probe(void *arg)
{
	NSArray<NSString *> *args = (__bridge_transfer NSArray *)arg;
	struct jt_probe_config c;
	char msg[512] = "";
	char **argv = calloc(args.count + 1, sizeof(char *));
	int argc = 0, rc;

	for (NSString *a in args)
		argv[argc++] = strdup(a.UTF8String);
	rc = jt_probe_parse_args(&c, argc, argv, msg, sizeof(msg));
	if (rc == 0)
		rc = jt_probe_run(&c, msg, sizeof(msg));
	NSLog(@"jetsam-probe ended: status %d %s", rc, msg);
	for (int i = 0; i < argc; i++)
		free(argv[i]);
	free(argv);
	return NULL;
}

@implementation JTProbeApp
- (BOOL)application:(UIApplication *)app
	didFinishLaunchingWithOptions:(NSDictionary *)options
{
	NSMutableArray<NSString *> *args = [NSMutableArray array];
	NSArray<NSString *> *launch = NSProcessInfo.processInfo.arguments;
	NSString *docs = NSSearchPathForDirectoriesInDomains(
		NSDocumentDirectory, NSUserDomainMask, YES).firstObject;
	NSDateFormatter *f = [NSDateFormatter new];
	pthread_t t;

	f.dateFormat = @"yyyyMMdd-HHmmss";
	[args addObject:@"jetsam-probe"];
	[args addObjectsFromArray:
		      [launch subarrayWithRange:NSMakeRange(1, launch.count - 1)]];
	[args addObject:@"--log"];
	[args addObject:[docs stringByAppendingFormat:@"/probe-%@.jsonl",
						     [f stringFromDate:NSDate.date]]];
	[args addObject:@"--syslog"];
	[args addObject:@"--quiet"];

	self.window = [[UIWindow alloc] initWithFrame:UIScreen.mainScreen.bounds];
	self.window.rootViewController = [UIViewController new];
	self.window.rootViewController.view.backgroundColor = UIColor.blackColor;
	[self.window makeKeyAndVisible];
	app.idleTimerDisabled = YES;

	pthread_create(&t, NULL, run_probe, (__bridge_retained void *)args);
	pthread_detach(t);
	return YES;
}
@end

int
main(int argc, char *argv[])
{
	@autoreleasepool {
		return UIApplicationMain(argc, argv, nil,
					 NSStringFromClass(JTProbeApp.class));
	}
}
