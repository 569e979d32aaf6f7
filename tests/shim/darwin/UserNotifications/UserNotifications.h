/*
 * shim: UserNotifications/UserNotifications.h - the notification service
 * extension's base class, as in the iOS SDK (UNNotificationServiceExtension.h,
 * UNNotificationRequest.h, UNNotificationContent.h).
 */
#ifndef SHIM_USERNOTIFICATIONS_H
#define SHIM_USERNOTIFICATIONS_H
#import <Foundation/Foundation.h>

NS_ASSUME_NONNULL_BEGIN

@interface UNNotificationContent : NSObject
@property(readonly, copy) NSDictionary *userInfo;
@end

@interface UNNotificationRequest : NSObject
@property(readonly, copy) NSString *identifier;
@property(readonly, copy) UNNotificationContent *content;
@end

@interface UNNotificationServiceExtension : NSObject
- (void)didReceiveNotificationRequest:(UNNotificationRequest *)request
		   withContentHandler:
			   (void (^)(UNNotificationContent *contentToDeliver))
				   contentHandler;
- (void)serviceExtensionTimeWillExpire;
@end

NS_ASSUME_NONNULL_END

#endif
