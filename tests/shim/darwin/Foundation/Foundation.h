/*
 * shim: Foundation/Foundation.h - the classes and functions the probe's
 * Objective-C glue uses, with Apple's selectors and types (Foundation's
 * headers in the iOS SDK), so a misspelt selector or a wrong type fails
 * `make check-darwin`.  Nothing else of Foundation is here.
 */
#ifndef SHIM_FOUNDATION_H
#define SHIM_FOUNDATION_H
#include <stddef.h>
#include <stdint.h>

typedef long NSInteger;
typedef unsigned long NSUInteger;
typedef double NSTimeInterval;
/* objc/objc.h: BOOL is bool on arm64 */
typedef _Bool BOOL;
#define YES __objc_yes
#define NO __objc_no
#define nil ((void *)0)
typedef struct objc_class *Class;
typedef struct objc_selector *SEL;

#define NS_ASSUME_NONNULL_BEGIN _Pragma("clang assume_nonnull begin")
#define NS_ASSUME_NONNULL_END _Pragma("clang assume_nonnull end")

NS_ASSUME_NONNULL_BEGIN

@protocol NSObject
- (BOOL)isKindOfClass:(Class)aClass;
@end

__attribute__((objc_root_class))
@interface NSObject <NSObject> {
	Class isa;
}
+ (instancetype)new;
+ (instancetype)alloc;
- (instancetype)init;
+ (Class)class;
- (BOOL)isKindOfClass:(Class)aClass;
- (id)copy;
- (id)mutableCopy;
@end

typedef struct {
	unsigned long state;
	id __unsafe_unretained _Nullable *_Nullable itemsPtr;
	unsigned long *_Nullable mutationsPtr;
	unsigned long extra[5];
} NSFastEnumerationState;

@protocol NSFastEnumeration
- (NSUInteger)countByEnumeratingWithState:(NSFastEnumerationState *)state
				  objects:(id __unsafe_unretained _Nullable[_Nonnull])buffer
				    count:(NSUInteger)len;
@end

@interface NSString : NSObject
@property(readonly) NSUInteger length;
@property(nullable, readonly) const char *UTF8String __attribute__((objc_returns_inner_pointer));
@property(readonly) const char *fileSystemRepresentation __attribute__((objc_returns_inner_pointer));
@property(readonly, copy) NSString *path;
+ (instancetype)stringWithFormat:(NSString *)format, ... __attribute__((format(__NSString__, 1, 2)));
+ (nullable instancetype)stringWithUTF8String:(const char *)s;
- (BOOL)hasPrefix:(NSString *)str;
- (NSString *)stringByAppendingString:(NSString *)aString;
- (NSString *)stringByAppendingFormat:(NSString *)format, ... __attribute__((format(__NSString__, 1, 2)));
- (NSString *)stringByAppendingPathComponent:(NSString *)str;
@end

@interface NSArray<__covariant ObjectType> : NSObject <NSFastEnumeration>
@property(readonly) NSUInteger count;
@property(nullable, readonly) ObjectType firstObject;
+ (instancetype)arrayWithObjects:(const ObjectType _Nonnull[_Nonnull])objects
			   count:(NSUInteger)cnt;
- (ObjectType)objectAtIndexedSubscript:(NSUInteger)idx;
@end

@interface NSMutableArray<ObjectType> : NSArray <ObjectType>
+ (instancetype)array;
- (void)addObject:(ObjectType)anObject;
- (void)addObjectsFromArray:(NSArray<ObjectType> *)otherArray;
@end

@interface NSDictionary<__covariant KeyType, __covariant ObjectType> : NSObject
- (nullable ObjectType)objectForKeyedSubscript:(KeyType)key;
@end

@interface NSDate : NSObject
@property(class, readonly, copy) NSDate *date;
@end

@interface NSLocale : NSObject
+ (instancetype)localeWithLocaleIdentifier:(NSString *)ident;
@end

@interface NSTimeZone : NSObject
+ (nullable instancetype)timeZoneForSecondsFromGMT:(NSInteger)seconds;
@end

@interface NSDateFormatter : NSObject
@property(null_resettable, copy) NSLocale *locale;
@property(null_resettable, copy) NSTimeZone *timeZone;
@property(null_resettable, copy) NSString *dateFormat;
- (NSString *)stringFromDate:(NSDate *)date;
@end

@interface NSURL : NSObject
@property(nullable, readonly, copy) NSString *path;
@end

@interface NSFileManager : NSObject
@property(class, readonly, strong) NSFileManager *defaultManager;
- (nullable NSURL *)containerURLForSecurityApplicationGroupIdentifier:
	(NSString *)groupIdentifier;
@end

@interface NSBundle : NSObject
@property(class, readonly, strong) NSBundle *mainBundle;
- (nullable id)objectForInfoDictionaryKey:(NSString *)key;
@end

@interface NSProcessInfo : NSObject
@property(class, readonly, strong) NSProcessInfo *processInfo;
@property(readonly, copy) NSArray<NSString *> *arguments;
@end

@interface NSThread : NSObject
+ (void)detachNewThreadWithBlock:(void (^)(void))block;
@end

typedef NSString *NSNotificationName;

@interface NSNotification : NSObject
@property(readonly, copy) NSNotificationName name;
@end

@interface NSOperationQueue : NSObject
@end

@interface NSNotificationCenter : NSObject
@property(class, readonly, strong) NSNotificationCenter *defaultCenter;
- (id<NSObject>)addObserverForName:(nullable NSNotificationName)name
			    object:(nullable id)obj
			     queue:(nullable NSOperationQueue *)queue
			usingBlock:(void (^)(NSNotification *note))block;
@end

typedef enum {
	NSDocumentDirectory = 9
} NSSearchPathDirectory;
typedef enum {
	NSUserDomainMask = 1
} NSSearchPathDomainMask;

NSArray<NSString *> *NSSearchPathForDirectoriesInDomains(
	NSSearchPathDirectory directory, NSSearchPathDomainMask domainMask,
	BOOL expandTilde);
NSString *NSTemporaryDirectory(void);
NSString *NSStringFromClass(Class aClass);

NS_ASSUME_NONNULL_END

#endif
