/*
 * JTProbeWidget.m - the probe in a WidgetKit extension
 *
 * The timeline provider runs in the extension's process under the
 * widget's memory limit, so the probe runs there, on the provider's
 * thread, before the timeline is handed back.  Compile-checked on Linux
 * against tests/shim/darwin (make check-darwin); not run from this tree.
 */
#import "JTProbeHost.h"
#import "JTProbeWidget.h"

int
JTProbeWidgetRun(void)
{
	@autoreleasepool {
		return [JTProbeHost runWithArguments:@[]
					 inDirectory:JTProbeHost.sharedLogDirectory];
	}
}
