/*
 * NotificationService.m - the probe as a notification service extension
 *
 * iOS starts this extension for a push whose aps has "mutable-content": 1
 * and gives it about 30 s and a small memory limit (tens of MB) to rewrite
 * the notification: the limit an SDK running in such an extension hits.
 * The push decides the run: "jetsam_probe" in the payload is a dictionary
 * of probe options without their dashes ({"rate": "20M", "run-id":
 * "r1"}).  The log goes to the App Group container (JTProbeHost
 * sharedLogDirectory) and to os_log behind the marker.  If the probe ends
 * before the system kills it, or the time runs out, the notification is
 * delivered unchanged.
 *
 * Compile-checked on Linux against tests/shim/darwin (make check-darwin);
 * not run from this tree.
 */
#import <UserNotifications/UserNotifications.h>

#import "JTProbeHost.h"

@interface JTProbeNotificationService : UNNotificationServiceExtension
@property(atomic, copy) void (^deliver)(UNNotificationContent *content);
@property(atomic, strong) UNNotificationContent *content;
@end

/* The options a push may set, as the probe spells them. */
static NSArray<NSString *> *
push_arguments(NSDictionary *userInfo)
{
	static NSString *const keys[] = {
		@"rate", @"step", @"max",    @"ramp-to", @"hold",
		@"hold-time", @"fill", @"marker", @"run-id",
	};
	NSMutableArray<NSString *> *args = [NSMutableArray array];
	id p = userInfo[@"jetsam_probe"];
	size_t i;

	if (![p isKindOfClass:NSDictionary.class])
		return args;
	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		id v = ((NSDictionary *)p)[keys[i]];

		if ([v isKindOfClass:NSString.class]) {
			[args addObject:[@"--" stringByAppendingString:keys[i]]];
			[args addObject:v];
		}
	}
	return args;
}

@implementation JTProbeNotificationService

- (void)didReceiveNotificationRequest:(UNNotificationRequest *)request
		   withContentHandler:
			   (void (^)(UNNotificationContent *))contentHandler
{
	__weak JTProbeNotificationService *weakSelf = self;

	self.deliver = contentHandler;
	self.content = request.content;
	[JTProbeHost startWithArguments:push_arguments(request.content.userInfo)
			    inDirectory:JTProbeHost.sharedLogDirectory
				   done:^(int status) {
					   (void)status;
					   [weakSelf finish];
				   }];
}

- (void)serviceExtensionTimeWillExpire
{
	[JTProbeHost postKind:@"extension" detail:@"time-will-expire"];
	[self finish];
}

/* finish - hand the notification back, once. */
- (void)finish
{
	void (^deliver)(UNNotificationContent *);

	@synchronized(self) {
		deliver = self.deliver;
		self.deliver = nil;
	}
	if (deliver != nil)
		deliver(self.content);
}

@end
