/*
 * main.m - the probe's iOS app: app and app-increased-memory-limit
 *
 * A window-less app that starts the probe as soon as it is launched, with
 * its options from the launch arguments and the JETSAM_PROBE_* environment
 * (Xcode scheme, or `xcrun devicectl device process launch --environment-
 * variables ... BUNDLE_ID --rate 20M`).  The log goes to a new file in the
 * app's Documents (shared with Finder and Files) and, record by record, to
 * os_log behind the marker for `jetsam capture`.
 *
 * Jetsam's per-process limit applies to a frontmost app; in the background
 * a lower one does.  So the screen is kept awake, and every change of app
 * and scene state is logged ("state" and "scene" events): the calibrator
 * sets aside a run whose app went to the background.  UIKit's own memory
 * warning is logged as a "uikit" warning: the warning an app in the field
 * sees.  The same file builds both app targets; the bundle's
 * JTProbeProfile key says which.
 *
 * Compile-checked on Linux against tests/shim/darwin (make check-darwin);
 * not run from this tree.
 */
#import <UIKit/UIKit.h>

#import "JTProbeHost.h"

@interface JTProbeApp : UIResponder <UIApplicationDelegate>
@property(nonatomic, strong) UIWindow *window;
@end

/* What each notification is logged as: kind, detail. */
static void
observe(NSString *name, NSString *kind, NSString *detail)
{
	[NSNotificationCenter.defaultCenter
		addObserverForName:name
			    object:nil
			     queue:nil
			usingBlock:^(NSNotification *note) {
				(void)note;
				[JTProbeHost postKind:kind detail:detail];
			}];
}

static NSString *
state_name(UIApplicationState s)
{
	return s == UIApplicationStateActive	     ? @"active"
		: s == UIApplicationStateInactive ? @"inactive"
						  : @"background";
}

@implementation JTProbeApp
- (BOOL)application:(UIApplication *)app
	didFinishLaunchingWithOptions:(NSDictionary *)options
{
	NSString *docs = NSSearchPathForDirectoriesInDomains(
		NSDocumentDirectory, NSUserDomainMask, YES).firstObject;
	NSArray<NSString *> *args = [JTProbeHost
		probeArgumentsFrom:NSProcessInfo.processInfo.arguments];

	(void)options;
	observe(UIApplicationDidBecomeActiveNotification, @"state", @"active");
	observe(UIApplicationWillResignActiveNotification, @"state",
		@"inactive");
	observe(UIApplicationDidEnterBackgroundNotification, @"state",
		@"background");
	observe(UIApplicationWillEnterForegroundNotification, @"state",
		@"foreground");
	observe(UIApplicationWillTerminateNotification, @"state",
		@"terminate");
	observe(UIApplicationDidReceiveMemoryWarningNotification, @"warning",
		@"uikit");
	/* Posted only where the app has scenes (a scene manifest). */
	observe(UISceneDidActivateNotification, @"scene", @"active");
	observe(UISceneWillDeactivateNotification, @"scene", @"inactive");
	observe(UISceneDidEnterBackgroundNotification, @"scene",
		@"background");
	observe(UISceneWillEnterForegroundNotification, @"scene",
		@"foreground");
	/* The state at launch: "background" for a background launch. */
	[JTProbeHost postKind:@"state" detail:state_name(app.applicationState)];

	self.window = [[UIWindow alloc] initWithFrame:UIScreen.mainScreen.bounds];
	self.window.rootViewController = [UIViewController new];
	self.window.rootViewController.view.backgroundColor = UIColor.blackColor;
	[self.window makeKeyAndVisible];
	app.idleTimerDisabled = YES;

	[JTProbeHost startWithArguments:args inDirectory:docs done:nil];
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
