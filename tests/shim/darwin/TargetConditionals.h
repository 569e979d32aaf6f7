/* shim: TargetConditionals.h; set TARGET_OS_IPHONE=0 for macOS */
#ifndef SHIM_TARGETCONDITIONALS_H
#define SHIM_TARGETCONDITIONALS_H
#ifndef TARGET_OS_IPHONE
#define TARGET_OS_IPHONE 1
#endif
#endif
