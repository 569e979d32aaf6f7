/*
 * Foundation.h - a stand-in declaring the part of Foundation that
 * data/sdk-example uses, with Apple's signatures (tests/shim/sdk/README.md).
 */
#ifndef JT_SHIM_FOUNDATION_H
#define JT_SHIM_FOUNDATION_H

#include <stddef.h>
#include <stdint.h>

typedef signed char BOOL;
#define YES ((BOOL)1)
#define NO ((BOOL)0)
#define nil ((id)0)
typedef long NSInteger;
typedef unsigned long NSUInteger;

typedef enum { NSOrderedAscending = -1, NSOrderedSame, NSOrderedDescending }
	NSComparisonResult;
typedef enum { NSNumericSearch = 64 } NSStringCompareOptions;

typedef struct {
	NSInteger majorVersion;
	NSInteger minorVersion;
	NSInteger patchVersion;
} NSOperatingSystemVersion;

typedef struct {
	unsigned long state;
	id __unsafe_unretained *itemsPtr;
	unsigned long *mutationsPtr;
	unsigned long extra[5];
} NSFastEnumerationState;

@protocol NSFastEnumeration
- (NSUInteger)countByEnumeratingWithState:(NSFastEnumerationState *)state
				  objects:(id __unsafe_unretained[])buffer
				    count:(NSUInteger)len;
@end

__attribute__((objc_root_class))
@interface NSObject
+ (instancetype)alloc;
- (instancetype)init;
@end

@interface NSString : NSObject
+ (instancetype)stringWithUTF8String:(const char *)s;
+ (instancetype)stringWithFormat:(NSString *)format, ...;
- (const char *)UTF8String;
- (NSComparisonResult)compare:(NSString *)other
		      options:(NSStringCompareOptions)mask;
@end

@interface NSNumber : NSObject
- (long long)longLongValue;
- (double)doubleValue;
@end

@interface NSArray : NSObject <NSFastEnumeration>
- (id)objectAtIndexedSubscript:(NSUInteger)i;
@end

@interface NSDictionary : NSObject <NSFastEnumeration>
- (id)objectForKeyedSubscript:(id)key;
@end

@interface NSProcessInfo : NSObject
+ (NSProcessInfo *)processInfo;
@property(readonly) NSOperatingSystemVersion operatingSystemVersion;
@end

#endif
