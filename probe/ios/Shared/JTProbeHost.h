/*
 * JTProbeHost.h - run the probe (probe.c) inside an app or an extension
 *
 * The glue every target shares: the profile from the bundle's Info.plist
 * (JTProbeProfile, set per target by the JT_PROBE_PROFILE build setting),
 * the run's options from the host (launch arguments, the JETSAM_PROBE_*
 * environment, or a push payload), a log file whose name cannot collide,
 * and the probe on a thread with its own autorelease pool.
 */
#import <Foundation/Foundation.h>

NS_ASSUME_NONNULL_BEGIN

@interface JTProbeHost : NSObject

/* The profile this bundle runs as ("app" when Info.plist has none). */
+ (NSString *)profile;

/*
 * The probe options among launch arguments: everything but the program
 * name and Apple's "-Key value" pairs (NSUserDefaults' argument domain,
 * which Xcode and devicectl may add).
 */
+ (NSArray<NSString *> *)probeArgumentsFrom:(NSArray<NSString *> *)launch;

/*
 * A new log path in dir: probe-<profile>-<UTC time>-<pid>[-<run id>].jsonl,
 * the time formatted in the en_US_POSIX locale, so two launches in one
 * second (different pids) never share a name.
 */
+ (NSString *)logPathInDirectory:(NSString *)dir runID:(nullable NSString *)runID;

/*
 * Run the probe with args (options only) into a new log in dir and the
 * system log.  Blocks until the probe ends, and returns its exit status;
 * the caller picks the thread.  Usage errors go to the system log.
 */
+ (int)runWithArguments:(NSArray<NSString *> *)args inDirectory:(NSString *)dir;

/* The same on a new thread; done (may be nil) runs there at the end. */
+ (void)startWithArguments:(NSArray<NSString *> *)args
	       inDirectory:(NSString *)dir
		      done:(nullable void (^)(int status))done;

/*
 * Where an extension's log goes: the App Group container named by the
 * bundle's JTProbeAppGroup key when it is provisioned, else the temporary
 * directory (then only the system log carries the records off).
 */
+ (NSString *)sharedLogDirectory;

/* Queue an event for the probe's log (jt_probe_post), from any thread. */
+ (void)postKind:(NSString *)kind detail:(nullable NSString *)detail;

@end

NS_ASSUME_NONNULL_END
