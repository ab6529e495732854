# mta-preflight: one non-recursive GNU Makefile.
#   make [BUILD=debug|asan|release] [WERROR=1]   build into build/$(BUILD)/
#   make check | asan-check | valgrind-check | lint | bench | demo | clean
#   make unit-check    the tests that need neither root nor the network
#   make install | uninstall [PREFIX=/usr/local] [DESTDIR=]
#   make build-check   the hardened release build, install and uninstall
#   make deb-check     build the Debian package, lintian, install, purge
#   make fuzz [FUZZ_SECONDS=30]   libFuzzer runs of the parsers (not part of check)
#
# Which build 'make install' installs: BUILD when it is given on the command
# line or in the environment; else the type that 'make' or 'make all' built
# last (recorded in build/last-build); else release. So
# 'make BUILD=release && make install' installs the release build, and
# 'make install' in a fresh tree builds and installs release. 'make uninstall'
# removes exactly the files install put there (same PREFIX and DESTDIR).
#
# Flags: the project's own flags live in MP_CPPFLAGS, MP_CFLAGS and
# MP_LDFLAGS; CPPFLAGS, CFLAGS and LDFLAGS from the command line or the
# environment come after them, so they extend them and win where they
# conflict (what dpkg-buildflags expects:
# 'eval "$(dpkg-buildflags --export=sh)"; make BUILD=release').
# The release build is hardened: _FORTIFY_SOURCE=2, -fstack-protector-strong,
# PIE, full RELRO and BIND_NOW.

# The version: defined here only. debian/changelog's newest entry and the
# manual page's .TH line must say the same (tests/version_check.sh, run by
# build-check and deb-check, fails otherwise).
VERSION   := 0.1.0
# BUILD_ROOT holds every build type's directory and the record of the last
# build; tests/build_check.sh points it elsewhere to leave build/ alone.
BUILD_ROOT ?= build
BUILD_TYPES := debug asan release

ifneq ($(filter command line environment environment override,$(origin BUILD)),)
# given by the user: used as it is
else ifneq ($(filter install uninstall,$(MAKECMDGOALS)),)
BUILD := $(or $(strip $(shell cat $(BUILD_ROOT)/last-build 2>/dev/null)),release)
else
BUILD := debug
endif
ifeq ($(filter $(BUILD_TYPES),$(BUILD)),)
$(error BUILD must be debug, asan or release, not '$(BUILD)')
endif

BUILD_DIR ?= $(BUILD_ROOT)/$(BUILD)
PREFIX    ?= /usr/local
DESTDIR   ?=

CC        ?= cc
PKGS      := libcares libpcre2-8 json-c libmnl
WARN      := -Wall -Wextra -Wformat=2 -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
             -Wold-style-definition -Wcast-qual -Wpointer-arith -Wwrite-strings -Wvla \
             -Wundef -Wimplicit-fallthrough -Werror=implicit-function-declaration
ifeq ($(WERROR),1)
WARN      += -Werror
endif

MODE_CFLAGS_debug   := -O0 -g
MODE_CFLAGS_asan    := -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=undefined
MODE_CFLAGS_release := -O2 -g -fstack-protector-strong -fPIE
MODE_LDFLAGS_asan   := -fsanitize=address,undefined
MODE_LDFLAGS_release := -pie -Wl,-z,relro -Wl,-z,now
# A _FORTIFY_SOURCE of the user's (dpkg-buildflags sets one) replaces ours
# instead of redefining it, which -Werror would refuse.
MODE_CPPFLAGS_release = -DNDEBUG $(if $(findstring _FORTIFY_SOURCE,$(CPPFLAGS)),,-D_FORTIFY_SOURCE=2)

# pkg-config is asked lazily so that 'make deps' works before the libraries exist.
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   = $(shell pkg-config --libs $(PKGS) 2>/dev/null)
CHECK_CFLAGS = $(shell pkg-config --cflags check 2>/dev/null)
CHECK_LIBS   = $(shell pkg-config --libs check 2>/dev/null)

# The project's flags; the user's CPPFLAGS, CFLAGS and LDFLAGS are appended.
MP_BASE_CPPFLAGS := -I. -D_DEFAULT_SOURCE -DMP_VERSION='"$(VERSION)"'
MP_CPPFLAGS = $(MP_BASE_CPPFLAGS) $(MODE_CPPFLAGS_$(BUILD))
MP_CFLAGS   = -std=c11 $(WARN) $(MODE_CFLAGS_$(BUILD)) $(PKG_CFLAGS)
MP_LDFLAGS  = $(MODE_LDFLAGS_$(BUILD))
ALL_CPPFLAGS = $(MP_CPPFLAGS) $(CPPFLAGS)
ALL_CFLAGS   = $(MP_CFLAGS) $(CFLAGS)
ALL_LDFLAGS  = $(MP_LDFLAGS) $(LDFLAGS)

# The program's objects go into a static library that the test runner links too.
MAIN_SRC  := auditor/main.c
LIB_SRCS  := $(filter-out $(MAIN_SRC),$(sort $(wildcard auditor/*.c auditor/foundation/*.c parsers/*.c probes/*.c)))
TEST_SRCS := $(sort $(wildcard tests/test_*.c))
SUPPORT_SRCS := $(sort $(wildcard tests/support/*.c))
TOOL_SRCS := $(sort $(wildcard tests/tools/*.c))

LIB_OBJS  := $(LIB_SRCS:%.c=$(BUILD_DIR)/%.o)
TEST_OBJS := $(TEST_SRCS:%.c=$(BUILD_DIR)/%.o) $(SUPPORT_SRCS:%.c=$(BUILD_DIR)/%.o) $(BUILD_DIR)/tests/runner.o
LIB       := $(BUILD_DIR)/libmtapreflight.a
BIN       := $(BUILD_DIR)/mta-preflight
RUNNER    := $(BUILD_DIR)/tests/runner
TOOLS     := $(TOOL_SRCS:tests/tools/%.c=$(BUILD_DIR)/tools/%)
SUITES    := $(BUILD_DIR)/tests/suites.inc

.PHONY: all check unit-check asan-check valgrind-check lint bench demo install uninstall build-check deb-check \
        clean deps fuzz
.DEFAULT_GOAL := all

# Only a build the user asked for ('make', 'make all', in the default place)
# is what 'make install' takes later; the builds that check, bench and demo
# run in a sub-make (MP_SUBMAKE=1) are not.
RECORD_BUILD :=
ifeq ($(MP_SUBMAKE)$(origin BUILD_DIR),file)
ifneq ($(if $(MAKECMDGOALS),$(filter all,$(MAKECMDGOALS)),all),)
RECORD_BUILD := 1
endif
endif

all: $(BIN) $(TOOLS)
ifeq ($(RECORD_BUILD),1)
	@mkdir -p $(BUILD_ROOT)
	@[ "$$(cat $(BUILD_ROOT)/last-build 2>/dev/null)" = $(BUILD) ] || echo $(BUILD) > $(BUILD_ROOT)/last-build
endif

$(BUILD_DIR)/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) -MMD -MP -c -o $@ $<

$(LIB): $(LIB_OBJS)
	@rm -f $@
	$(AR) rcs $@ $^

$(BIN): $(BUILD_DIR)/$(MAIN_SRC:.c=.o) $(LIB)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(PKG_LIBS)

$(BUILD_DIR)/tools/%: tests/tools/%.c $(LIB)
	@mkdir -p $(@D)
	$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) -o $@ $< $(LIB) $(PKG_LIBS) $(ALL_LDFLAGS)

# Every tests/test_*.c defines one or more 'Suite *NAME_suite(void)'; the runner
# finds them through this generated list, so adding a test file needs no other edit.
$(SUITES): $(TEST_SRCS)
	@mkdir -p $(@D)
	@sed -n 's/^Suite \*\([a-z0-9_]*_suite\)(void).*/MP_SUITE(\1)/p' $(TEST_SRCS) > $@.tmp
	@cmp -s $@.tmp $@ 2>/dev/null && rm -f $@.tmp || mv $@.tmp $@

$(BUILD_DIR)/tests/%.o: tests/%.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CPPFLAGS) -I$(BUILD_DIR)/tests $(ALL_CFLAGS) $(CHECK_CFLAGS) -MMD -MP -c -o $@ $<

$(TEST_OBJS): | $(SUITES)
$(BUILD_DIR)/tests/runner.o: $(SUITES)

$(RUNNER): $(TEST_OBJS) $(LIB)
	$(CC) $(ALL_LDFLAGS) -o $@ $(TEST_OBJS) $(LIB) $(PKG_LIBS) $(CHECK_LIBS)

deps:
	@sh tests/install-deps.sh --ensure

# Tests run from the top directory; MP_BIN and MP_TOOLS tell them where the
# built program and helper tools are.
check: deps
	@$(MAKE) --no-print-directory MP_SUBMAKE=1 all $(RUNNER)
	MP_BIN=$(abspath $(BIN)) MP_TOOLS=$(abspath $(BUILD_DIR)/tools) MP_BUILD_DIR=$(abspath $(BUILD_DIR)) $(RUNNER)

asan-check:
	@$(MAKE) --no-print-directory MP_SUBMAKE=1 BUILD=asan check

# unit-check: the suites, or single test cases (SUITE/CASE), that need
# neither root nor the network (not even loopback) nor any program beyond the
# build dependencies (no Postfix, Exim or nsd): the parsers, checks, fixes,
# reports, drift state, the command line and the golden samples. They pass
# the same as root and as any other user, with or without Postfix installed,
# so Debian's package build runs them (debian/rules). No 'deps': it installs
# nothing. MP_REQUIRE_ALL is cleared: skips are expected here (a test that
# needs root, or postconf when it is absent, says so and is counted). The
# printed postconf fixes run as an administrator would type them, so
# /usr/sbin is added to the PATH of users who lack it.
UNIT_SUITES := audit_basics audit_check audit_closed_loop audit_fix audit_lookup_plan audit_ptr_generic \
               audit_report audit_verdict cli cli_run core exim_debian exim_identity exim_inbound/unit \
               identities_report \
               exim_inbound/golden exim_reader/lines exim_samples/golden exim_unreadable model_origin pf_expand \
               pf_identity/golden pf_inbound/unit pf_inbound/golden pf_parse pf_unreadable probe_dns/pure \
               probe_names state width
unit-check:
	@$(MAKE) --no-print-directory MP_SUBMAKE=1 all $(RUNNER)
	@failed=; for s in $(UNIT_SUITES); do \
	    case $$s in */*) c=$${s#*/} ;; *) c= ;; esac; \
	    env -u MP_REQUIRE_ALL -u CK_RUN_CASE PATH="$$PATH:/usr/sbin:/sbin" CK_RUN_SUITE=$${s%%/*} $${c:+CK_RUN_CASE=$$c} \
	        MP_BIN=$(abspath $(BIN)) MP_TOOLS=$(abspath $(BUILD_DIR)/tools) MP_BUILD_DIR=$(abspath $(BUILD_DIR)) \
	        $(RUNNER) || failed="$$failed $$s"; \
	done; \
	if [ -n "$$failed" ]; then echo "unit-check: failed:$$failed" >&2; exit 1; fi; \
	echo "unit-check: $(words $(UNIT_SUITES)) suites and cases passed"

valgrind-check: deps
	@$(MAKE) --no-print-directory MP_SUBMAKE=1 all $(RUNNER)
	MP_BIN=$(abspath $(BIN)) MP_TOOLS=$(abspath $(BUILD_DIR)/tools) MP_BUILD_DIR=$(abspath $(BUILD_DIR)) \
	MP_VALGRIND=1 CK_TIMEOUT_MULTIPLIER=20 \
	valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite \
	    --trace-children=no $(RUNNER)

# Layering: parsers/ and probes/ may use only the foundation of auditor/, and
# the foundation uses nothing outside itself.
lint:
	@bad=$$(grep -n '#include "auditor/' parsers/*.[ch] probes/*.[ch] | grep -v '"auditor/foundation/'; \
	        grep -n '#include "' auditor/foundation/*.[ch] | grep -v '"auditor/foundation/'); \
	if [ -n "$$bad" ]; then echo "lint: include across layers:"; echo "$$bad"; exit 1; fi
	cppcheck --quiet --error-exitcode=1 --std=c11 --enable=warning,portability,performance \
	    --inline-suppr --suppress=missingIncludeSystem -I. auditor parsers probes

bench: deps
	@$(MAKE) --no-print-directory MP_SUBMAKE=1 BUILD=release all
	@sh tests/bench/run.sh $(BUILD_ROOT)/release

demo: deps
	@$(MAKE) --no-print-directory MP_SUBMAKE=1 BUILD=release all
	@sh tests/demo.sh $(BUILD_ROOT)/release

# install: the program (an administrator's tool, like postconf: sbin) and
# its manual page (section 8); uninstall removes these two files and nothing
# else (not the directories, which others share).
INSTALLED_BIN := $(DESTDIR)$(PREFIX)/sbin/mta-preflight
INSTALLED_MAN := $(DESTDIR)$(PREFIX)/share/man/man8/mta-preflight.8

install: $(BIN)
	@echo "installing the $(BUILD) build $(BIN)"
	install -d $(DESTDIR)$(PREFIX)/sbin
	install -m 755 $(BIN) $(INSTALLED_BIN)
	install -d $(DESTDIR)$(PREFIX)/share/man/man8
	install -m 644 auditor/mta-preflight.8 $(INSTALLED_MAN)

uninstall:
	rm -f $(INSTALLED_BIN) $(INSTALLED_MAN)

# The release build with the user's flags on the command line, checked with
# readelf for PIE, RELRO, BIND_NOW, fortified calls and the stack protector,
# then installed and uninstalled into a scratch DESTDIR (tests/build_check.sh).
build-check:
	@sh tests/build_check.sh

# The Debian package from a clean copy of this tree (dpkg-buildpackage -b),
# lintian on it, then, as root, installed with apt, used, reinstalled,
# removed and purged, with apt's hook exercised on the way
# (tests/deb_check.sh). Not part of 'check': it installs a package. As root
# it first installs what the package build needs, when something is missing.
deb-check:
	@sh tests/install-deps.sh --ensure-deb
	@sh tests/deb_check.sh

# The files that run mta-preflight regularly (auditor/integration/: systemd
# units, cron file, apt/dpkg hook, Prometheus rules, Icinga 2 and NRPE
# commands) go to $(PREFIX)/share/mta-preflight/, the hook scripts to
# $(PREFIX)/lib/mta-preflight/; nothing into /etc. INTEGRATION_LAYOUT=system
# (debian/rules) puts the units, the cron file and the apt and dpkg snippets
# where systemd, cron, apt and dpkg read them instead (install.sh says
# where). These rules only add prerequisites to install and uninstall.
INTEGRATION_LAYOUT ?= share
INTEGRATION_ENV = DESTDIR='$(DESTDIR)' PREFIX='$(PREFIX)' BINDIR='$(PREFIX)/sbin' LAYOUT='$(INTEGRATION_LAYOUT)'
.PHONY: install-integration uninstall-integration uninstall
install: install-integration
uninstall: uninstall-integration
install-integration:
	$(INTEGRATION_ENV) sh auditor/integration/install.sh install
uninstall-integration:
	$(INTEGRATION_ENV) sh auditor/integration/install.sh uninstall

# make fuzz [FUZZ_SECONDS=30] - coverage-guided fuzzing with libFuzzer (clang)
# of the parsers of untrusted text: every tests/fuzz/fuzz_NAME.c harness is
# linked with the library sources compiled with the same sanitizer flags into
# build/fuzz/, then run for FUZZ_SECONDS each with its seeds from samples/
# (tests/fuzz/run.sh prints exec/s and coverage). Fails on a crash, leak,
# timeout (-timeout=5) or sanitizer report. Not part of 'check': it takes
# minutes. The harnesses never touch the file system: slurp_file, stat and
# opendir are routed to an in-memory one (tests/fuzz/vfs.c).
FUZZ_CC      ?= clang
FUZZ_SECONDS ?= 30
FUZZ_DIR     := $(BUILD_ROOT)/fuzz
FUZZ_SRCS    := $(sort $(wildcard tests/fuzz/fuzz_*.c))
FUZZ_BINS    := $(FUZZ_SRCS:tests/fuzz/%.c=$(FUZZ_DIR)/%)
FUZZ_OBJS    := $(LIB_SRCS:%.c=$(FUZZ_DIR)/obj/%.o) $(FUZZ_DIR)/obj/tests/fuzz/vfs.o
FUZZ_CFLAGS  := -std=c11 $(WARN) -g -O1 -fno-omit-frame-pointer -fsanitize=address,undefined \
                -fno-sanitize-recover=undefined -Wno-implicit-fallthrough $(PKG_CFLAGS)
FUZZ_WRAP    := -Wl,--wrap=slurp_file,--wrap=stat,--wrap=opendir

# (clang ignores the /* fallthrough */ comments gcc honours, hence -Wno-implicit-fallthrough)
.SECONDARY: $(FUZZ_OBJS)

fuzz: $(FUZZ_BINS)
	@sh tests/fuzz/run.sh $(FUZZ_DIR) $(FUZZ_SECONDS) $(notdir $(FUZZ_BINS))

$(FUZZ_DIR)/obj/%.o: %.c
	@mkdir -p $(@D)
	$(FUZZ_CC) $(MP_BASE_CPPFLAGS) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -MMD -MP -c -o $@ $<

$(FUZZ_DIR)/%: tests/fuzz/%.c $(FUZZ_OBJS)
	$(FUZZ_CC) $(MP_BASE_CPPFLAGS) $(FUZZ_CFLAGS) -fsanitize=fuzzer $(FUZZ_WRAP) -o $@ $< $(FUZZ_OBJS) $(PKG_LIBS)

clean:
	rm -rf build

-include $(FUZZ_OBJS:.o=.d)
-include $(LIB_OBJS:.o=.d) $(TEST_OBJS:.o=.d) $(BUILD_DIR)/$(MAIN_SRC:.c=.d)
