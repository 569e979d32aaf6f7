/*
 * JTProbeWidget.h - what the widget's Swift side calls (its bridging
 * header): WidgetKit widgets can only be declared in Swift, so the Swift
 * file is the declaration and this is the probe.
 */
#ifndef JT_PROBE_WIDGET_H
#define JT_PROBE_WIDGET_H

/*
 * JTProbeWidgetRun - run the probe on the calling thread, with options
 * from the JETSAM_PROBE_* environment (a launch from Xcode or devicectl)
 * or the defaults, into the App Group container and the system log.
 * Returns the probe's exit status when it ends without being killed.
 */
int JTProbeWidgetRun(void);

#endif
