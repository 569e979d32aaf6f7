# Makefile - the one, non-recursive build of jetsamkit
#
#   make                  build everything under build/
#   make test             install missing Debian packages (as root), build, test
#   make demo             the whole lab on built-in data (see README)
#   make SAN=1 test       the same under ASan + UBSan (build/san/)
#   make WITH_DEVICE=0    everything but the libimobiledevice layer
#   make coverage         tests with gcov, then a per-file line summary
#   make format-check     clang-format, no changes made
#   make lint             cppcheck
#   make install          PREFIX=/usr/local DESTDIR=
#
# Sources are found by wildcard: a new jetsam/MODULE/foo.c or
# calibrate/MODULE/foo.c joins the library, a new jetsam/cli/cmd_foo.c the
# jetsam binary, a new
# tests/check_foo.c becomes a suite, a new tests/cli/NAME.sh a golden CLI
# case and a new tests/it/NAME.sh an integration test, with no edit here.

.DEFAULT_GOAL := all
.SUFFIXES:
.DELETE_ON_ERROR:

PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
MANDIR ?= $(PREFIX)/share/man
DATADIR ?= $(PREFIX)/share/jetsamkit

WITH_DEVICE ?= 1
SAN ?= 0
WERROR ?= 0
COVERAGE ?= 0

CC ?= cc
PKG_CONFIG ?= pkg-config
CFLAGS ?= -O2 -g

ifeq ($(SAN),1)
BUILD ?= build/san
else ifeq ($(COVERAGE),1)
BUILD ?= build/cov
else ifeq ($(WITH_DEVICE),0)
BUILD ?= build/nodev
else
BUILD ?= build
endif

UNAME_S := $(shell uname -s)
ifeq ($(UNAME_S),Darwin)
PROBE_OS := darwin
else
PROBE_OS := linux
endif

WARN := -Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes \
	-Wmissing-prototypes -Wformat=2 -Wvla
# POSIX names everywhere; on Darwin also _DARWIN_C_SOURCE, without which
# _POSIX_C_SOURCE hides the BSD types <sys/sysctl.h> needs (u_int: xnu
# bsd/sys/types.h), and the probe's Darwin backend does not compile.
POSIX_CPPFLAGS := -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE
DARWIN_CPPFLAGS := $(POSIX_CPPFLAGS) -D_DARWIN_C_SOURCE
ifeq ($(UNAME_S),Darwin)
OS_CPPFLAGS := $(DARWIN_CPPFLAGS)
else
OS_CPPFLAGS := $(POSIX_CPPFLAGS)
endif
ALL_CPPFLAGS := $(OS_CPPFLAGS) -MMD -MP \
	-DJT_DATADIR='"$(DATADIR)"' $(CPPFLAGS)
ALL_CFLAGS := -std=c11 $(WARN) $(CFLAGS)
ALL_LDFLAGS := $(LDFLAGS)
ifeq ($(WERROR),1)
ALL_CFLAGS += -Werror
endif
ifeq ($(SAN),1)
SANFLAGS := -fsanitize=address,undefined -fno-sanitize-recover=all \
	-fno-omit-frame-pointer
ALL_CFLAGS += $(SANFLAGS)
ALL_LDFLAGS += $(SANFLAGS)
endif
ifeq ($(COVERAGE),1)
ALL_CFLAGS += --coverage -O0
ALL_LDFLAGS += --coverage
endif

# pkg-config is asked only when a target needs the libraries, so that
# "make deps" and "make help" work on a machine that has none of them.
CORE_PKGS := jansson libplist-2.0
DEV_PKGS := libimobiledevice-1.0
ifeq ($(WITH_DEVICE),1)
LIB_PKGS := $(CORE_PKGS) $(DEV_PKGS)
else
LIB_PKGS := $(CORE_PKGS)
endif
PKG_CFLAGS = $(shell $(PKG_CONFIG) --cflags $(LIB_PKGS) 2>/dev/null)
PKG_LIBS = $(shell $(PKG_CONFIG) --libs $(LIB_PKGS) 2>/dev/null)
CHECK_CFLAGS = $(shell $(PKG_CONFIG) --cflags check 2>/dev/null)
CHECK_LIBS = $(shell $(PKG_CONFIG) --libs check 2>/dev/null)

# ---- sources -------------------------------------------------------------

PROBE_LIB_SRCS := $(filter-out probe/main.c $(if $(filter linux,$(PROBE_OS)),probe/%_darwin.c,probe/%_linux.c),$(wildcard probe/*.c))
PROBE_DARWIN_SRCS := $(wildcard probe/*_darwin.c)
# The host library: the jetsam/ modules (core, report parser, lab records,
# device layer, local runs, corpus walker) and the calibrate/ engine.  The
# front-ends in jetsam/cli/ sit above both and make the one jetsam binary.
JT_FRONT_SRCS := $(wildcard jetsam/cli/*.c)
DEVICE_IMPL := jetsam/device/device.c jetsam/device/device_none.c
HOST_LIB_SRCS := $(filter-out $(JT_FRONT_SRCS) $(DEVICE_IMPL),\
	$(wildcard jetsam/*/*.c calibrate/*.c calibrate/*/*.c))
ifeq ($(WITH_DEVICE),1)
HOST_LIB_SRCS += jetsam/device/device.c
else
HOST_LIB_SRCS += jetsam/device/device_none.c
endif
CHECK_SRCS := $(wildcard tests/check_*.c)
ifneq ($(WITH_DEVICE),1)
CHECK_SRCS := $(filter-out tests/check_device.c,$(CHECK_SRCS))
endif
TOOL_SRCS := $(wildcard tests/tools/*.c)
# Shared objects the tests preload (tests/preload/NAME.c -> NAME.so).
PRELOAD_SRCS := $(wildcard tests/preload/*.c)

obj = $(patsubst %.c,$(BUILD)/obj/%.o,$(1))

PROBE_LIB := $(BUILD)/libjtprobe.a
HOST_LIB := $(BUILD)/libjetsam.a
MODELS_GEN := $(BUILD)/gen/models_data.c

BINS := $(BUILD)/bin/jetsam $(BUILD)/bin/jetsam-probe
CHECKS := $(patsubst tests/%.c,$(BUILD)/tests/%,$(CHECK_SRCS))
TOOLS := $(patsubst tests/tools/%.c,$(BUILD)/tests/tools/%,$(TOOL_SRCS))
PRELOADS := $(patsubst tests/preload/%.c,$(BUILD)/tests/preload/%.so,\
	$(PRELOAD_SRCS))

ALL_OBJS := $(call obj,$(PROBE_LIB_SRCS) probe/main.c $(HOST_LIB_SRCS) \
	$(JT_FRONT_SRCS) $(CHECK_SRCS) $(TOOL_SRCS)) \
	$(BUILD)/obj/gen/models_data.o

# Objects are kept: "make demo" and "make test" share them.
.SECONDARY: $(ALL_OBJS) $(MODELS_GEN)

# ---- rules ---------------------------------------------------------------

.PHONY: all
all: $(BINS) $(CHECKS) $(TOOLS) $(PRELOADS)

# probe/ is libc only: no pkg-config flags, no project headers.
$(BUILD)/obj/probe/%.o: probe/%.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) -c -o $@ $<

# Host code includes other modules by their path from the root
# ("jetsam/core/error.h"), its own module's headers by bare name.
$(BUILD)/obj/jetsam/%.o: jetsam/%.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) $(PKG_CFLAGS) -I. -c -o $@ $<

$(BUILD)/obj/calibrate/%.o: calibrate/%.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) $(PKG_CFLAGS) -I. -c -o $@ $<

$(BUILD)/obj/tests/%.o: tests/%.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) $(PKG_CFLAGS) $(CHECK_CFLAGS) \
		-I. -Itests -c -o $@ $<

# The built-in device table: data/devices.csv as a C string.
$(MODELS_GEN): data/devices.csv
	@mkdir -p $(@D)
	{ echo '/* generated from data/devices.csv: do not edit */'; \
	  echo '#include <stddef.h>'; \
	  echo 'extern const char jt_models_builtin_csv[];'; \
	  echo 'extern const size_t jt_models_builtin_csv_len;'; \
	  echo 'const char jt_models_builtin_csv[] ='; \
	  sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/^/"/' -e 's/$$/\\n"/' $<; \
	  echo ';'; \
	  echo 'const size_t jt_models_builtin_csv_len = sizeof(jt_models_builtin_csv) - 1;'; \
	} > $@

$(BUILD)/obj/gen/models_data.o: $(MODELS_GEN)
	@mkdir -p $(@D)
	$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) -Wno-overlength-strings -c -o $@ $<

$(PROBE_LIB): $(call obj,$(PROBE_LIB_SRCS))
	@mkdir -p $(@D)
	rm -f $@ && $(AR) rcs $@ $^

$(HOST_LIB): $(call obj,$(HOST_LIB_SRCS)) $(BUILD)/obj/gen/models_data.o
	@mkdir -p $(@D)
	rm -f $@ && $(AR) rcs $@ $^

LIBS_HOST := $(HOST_LIB) $(PROBE_LIB)
LDLIBS_HOST = $(PKG_LIBS) -lpthread -lm

$(BUILD)/bin/jetsam: $(call obj,$(JT_FRONT_SRCS)) $(LIBS_HOST)
	@mkdir -p $(@D)
	$(CC) $(ALL_LDFLAGS) -o $@ $(call obj,$(JT_FRONT_SRCS)) $(LIBS_HOST) \
		$(LDLIBS_HOST)

$(BUILD)/bin/jetsam-probe: $(BUILD)/obj/probe/main.o $(PROBE_LIB)
	@mkdir -p $(@D)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ -lm

$(BUILD)/tests/%: $(BUILD)/obj/tests/%.o $(LIBS_HOST)
	@mkdir -p $(@D)
	$(CC) $(ALL_LDFLAGS) -o $@ $< $(LIBS_HOST) \
		$(LDLIBS_HOST) $(CHECK_LIBS)

$(BUILD)/tests/tools/%: $(BUILD)/obj/tests/tools/%.o $(LIBS_HOST)
	@mkdir -p $(@D)
	$(CC) $(ALL_LDFLAGS) -o $@ $< $(LIBS_HOST) $(LDLIBS_HOST)

# Preloaded into programs, so built without sanitizers: libc only.
$(BUILD)/tests/preload/%.so: tests/preload/%.c
	@mkdir -p $(@D)
	$(CC) -std=c11 $(WARN) $(if $(filter 1,$(WERROR)),-Werror) -O2 \
		-fPIC -shared -o $@ $<

-include $(ALL_OBJS:.o=.d)

# ---- set-up, tests, demo -------------------------------------------------

.PHONY: deps test check-darwin demo
deps:
	@WITH_DEVICE=$(WITH_DEVICE) sh tests/deps.sh

# The Darwin-only files cannot be built here: compile-check them for iOS
# (clang -target arm64-apple-ios13.0) against the header shim in
# tests/shim/darwin, the C backend with this Makefile's Darwin flags and
# with Xcode's (none), the Objective-C glue of every target as Xcode
# compiles it; check that the shim refuses the old POSIX-only flags (the
# defect it must catch); then check the Xcode project and its plists
# (tests/shim/check_ios.py) and that project.py still writes it.  Swift (the
# widget's declaration) is not checked here.
SHIM_CC ?= clang
SHIM_FLAGS := -target arm64-apple-ios13.0 -fsyntax-only -nostdinc \
	-isystem tests/shim/darwin -isystem tests/shim/darwin/libc -Werror
PROBE_IOS_OBJC := $(sort $(wildcard probe/ios/*/*.m))
PROBE_IOS_INC := -Iprobe -Iprobe/ios/Shared -Iprobe/ios/Widget

check-darwin:
	@set -e; for f in $(PROBE_DARWIN_SRCS); do \
	  echo "compile-check $$f (iOS shim, make and Xcode flags)"; \
	  $(SHIM_CC) $(SHIM_FLAGS) -std=c11 $(WARN) $(DARWIN_CPPFLAGS) -Iprobe $$f; \
	  $(SHIM_CC) $(SHIM_FLAGS) -std=gnu11 $(WARN) -Iprobe $$f; \
	  if $(SHIM_CC) $(SHIM_FLAGS) -std=c11 $(POSIX_CPPFLAGS) -Iprobe $$f \
	    2>/dev/null; then \
	    echo "check-darwin: $$f compiles with _POSIX_C_SOURCE alone:" \
	      "the shim lost xnu's sys/types.h guard" >&2; exit 1; \
	  fi; \
	done; \
	for f in $(PROBE_IOS_OBJC); do \
	  echo "compile-check $$f (iOS shim, Objective-C, ARC)"; \
	  $(SHIM_CC) $(SHIM_FLAGS) -x objective-c -fobjc-arc -std=gnu11 \
	    -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
	    -Wformat=2 -Wvla $(PROBE_IOS_INC) $$f; \
	done; \
	echo "check probe/ios project and plists"; \
	python3 tests/shim/check_ios.py probe/ios; \
	python3 probe/ios/project.py --check

# The probe app for a phone: Darwin with Xcode only.  TEAM is the Apple
# developer team id, BUNDLE_PREFIX a reverse-DNS prefix the team owns,
# IOS_TARGET the lowest iOS (13.0 at least: the headroom needs it).
TEAM ?=
BUNDLE_PREFIX ?= com.example.jetsamkit
IOS_TARGET ?= 13.0
IOS_OUT ?= $(BUILD)/ios
.PHONY: ios-probe
ios-probe:
	@TEAM='$(TEAM)' BUNDLE_PREFIX='$(BUNDLE_PREFIX)' \
	  IOS_TARGET='$(IOS_TARGET)' IOS_OUT='$(IOS_OUT)' \
	  sh probe/ios/build.sh

test: deps
	@$(MAKE) --no-print-directory all
	@$(MAKE) --no-print-directory check-darwin
	@BUILD=$(BUILD) WITH_DEVICE=$(WITH_DEVICE) SAN=$(SAN) sh tests/run.sh

demo: deps
	@$(MAKE) --no-print-directory all
	@BUILD=$(BUILD) sh data/demo.sh $(DEMO_OUT)

bench-%: all
	@BUILD=$(BUILD) sh tests/bench/$*.sh

.PHONY: fuzz
fuzz:
	@BUILD=$(BUILD) sh tests/fuzz/run.sh

# ---- quality -------------------------------------------------------------

SOURCES := $(wildcard probe/*.c probe/*.h jetsam/*/*.c jetsam/*/*.h \
	calibrate/*.c calibrate/*.h calibrate/*/*.c calibrate/*/*.h \
	tests/*.c tests/*.h tests/tools/*.c tests/preload/*.c tests/fuzz/*.c)

.PHONY: format format-check lint coverage coverage-report
format:
	clang-format -i $(SOURCES)

format-check:
	clang-format --dry-run --Werror $(SOURCES)

lint:
	cppcheck --quiet --error-exitcode=1 --std=c11 --inline-suppr \
		--enable=warning,portability,performance \
		--suppress=missingIncludeSystem \
		-D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE \
		-I. $(filter %.c,$(SOURCES))

coverage:
	@$(MAKE) --no-print-directory COVERAGE=1 test
	@$(MAKE) --no-print-directory coverage-report

# Line coverage per source file of ours, then the total.
coverage-report:
	@find build/cov/obj -name '*.gcda' | sort | while read -r f; do \
	  gcov -n -o "$${f%/*}" "$$f" 2>/dev/null; done | \
	  awk '/^File/ { f = $$2; gsub("\047", "", f); next } \
	    /^Lines executed/ && f ~ /^(probe|jetsam|calibrate)\// { \
	      split($$2, a, ":"); pct = a[2] + 0; n = $$4; \
	      printf "%-36s %6.1f%% of %d lines\n", f, pct, n; \
	      hit += pct * n / 100; tot += n; f = "" } \
	    END { if (tot) printf "%-36s %6.1f%% of %d lines\n", "total", 100 * hit / tot, tot }'

# ---- install -------------------------------------------------------------

.PHONY: install uninstall clean
install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(DATADIR)
	install -m 755 $(BINS) $(DESTDIR)$(BINDIR)
	install -m 644 $(wildcard jetsam/cli/*.1 probe/*.1) $(DESTDIR)$(MANDIR)/man1
	install -m 644 $(wildcard data/*.csv data/*.json data/*.md) $(DESTDIR)$(DATADIR)

uninstall:
	rm -f $(addprefix $(DESTDIR)$(BINDIR)/,$(notdir $(BINS)))
	rm -f $(addprefix $(DESTDIR)$(MANDIR)/man1/,$(notdir $(wildcard jetsam/cli/*.1 probe/*.1)))
	rm -rf $(DESTDIR)$(DATADIR)

clean:
	rm -rf build demo-out
