/* shim: signal.h */
#ifndef SHIM_SIGNAL_H
#define SHIM_SIGNAL_H
typedef int sig_atomic_t;
#endif
