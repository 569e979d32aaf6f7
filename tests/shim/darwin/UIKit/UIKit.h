/*
 * shim: UIKit/UIKit.h - the app delegate, window and life-cycle names the
 * probe app uses, as in the iOS SDK's UIKit headers (UIApplication.h,
 * UIScene.h, UIWindow.h).
 */
#ifndef SHIM_UIKIT_H
#define SHIM_UIKIT_H
#import <Foundation/Foundation.h>

NS_ASSUME_NONNULL_BEGIN

typedef double CGFloat;
typedef struct {
	struct {
		CGFloat x, y;
	} origin;
	struct {
		CGFloat width, height;
	} size;
} CGRect;

typedef enum {
	UIApplicationStateActive,
	UIApplicationStateInactive,
	UIApplicationStateBackground
} UIApplicationState;

@interface UIResponder : NSObject
@end

@interface UIColor : NSObject
@property(class, readonly, strong) UIColor *blackColor;
@end

@interface UIView : UIResponder
@property(nullable, copy) UIColor *backgroundColor;
@end

@interface UIViewController : UIResponder
@property(null_resettable, strong) UIView *view;
@end

@interface UIScreen : NSObject
@property(class, readonly, strong) UIScreen *mainScreen;
@property(readonly) CGRect bounds;
@end

@interface UIWindow : UIView
@property(nullable, strong) UIViewController *rootViewController;
- (instancetype)initWithFrame:(CGRect)frame;
- (void)makeKeyAndVisible;
@end

@interface UIApplication : UIResponder
@property(readonly) UIApplicationState applicationState;
@property(getter=isIdleTimerDisabled) BOOL idleTimerDisabled;
@end

@protocol UIApplicationDelegate <NSObject>
@optional
- (BOOL)application:(UIApplication *)application
	didFinishLaunchingWithOptions:(nullable NSDictionary *)launchOptions;
@property(nullable, nonatomic, strong) UIWindow *window;
@end

extern NSNotificationName const UIApplicationDidBecomeActiveNotification;
extern NSNotificationName const UIApplicationWillResignActiveNotification;
extern NSNotificationName const UIApplicationDidEnterBackgroundNotification;
extern NSNotificationName const UIApplicationWillEnterForegroundNotification;
extern NSNotificationName const UIApplicationWillTerminateNotification;
extern NSNotificationName const
	UIApplicationDidReceiveMemoryWarningNotification;
extern NSNotificationName const UISceneDidActivateNotification;
extern NSNotificationName const UISceneWillDeactivateNotification;
extern NSNotificationName const UISceneDidEnterBackgroundNotification;
extern NSNotificationName const UISceneWillEnterForegroundNotification;

int UIApplicationMain(int argc, char *_Nullable argv[_Nonnull],
		      NSString *_Nullable principalClassName,
		      NSString *_Nullable delegateClassName);

NS_ASSUME_NONNULL_END

#endif
