# mta-preflight: one non-recursive GNU Makefile.
#   make [BUILD=debug|asan|release] [WERROR=1]   build into build/$(BUILD)/
#   make check | asan-check | valgrind-check | lint | bench | demo | install | clean
#   make fuzz [FUZZ_SECONDS=30]   libFuzzer runs of the parsers (not part of check)

BUILD     ?= debug
BUILD_DIR ?= build/$(BUILD)
PREFIX    ?= /usr/local
DESTDIR   ?=
VERSION   := 0.1.0

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
MODE_CFLAGS_release := -O2 -g -DNDEBUG
MODE_LDFLAGS_asan   := -fsanitize=address,undefined
ifeq ($(origin MODE_CFLAGS_$(BUILD)),undefined)
$(error BUILD must be debug, asan or release)
endif

# pkg-config is asked lazily so that 'make deps' works before the libraries exist.
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   = $(shell pkg-config --libs $(PKGS) 2>/dev/null)
CHECK_CFLAGS = $(shell pkg-config --cflags check 2>/dev/null)
CHECK_LIBS   = $(shell pkg-config --libs check 2>/dev/null)

CPPFLAGS  += -I. -D_DEFAULT_SOURCE -DMP_VERSION='"$(VERSION)"'
CFLAGS    ?=
ALL_CFLAGS = -std=c11 $(WARN) $(MODE_CFLAGS_$(BUILD)) $(PKG_CFLAGS) $(CFLAGS)
ALL_LDFLAGS = $(MODE_LDFLAGS_$(BUILD)) $(LDFLAGS)

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

.PHONY: all check asan-check valgrind-check lint bench demo install clean deps fuzz
.DEFAULT_GOAL := all

all: $(BIN) $(TOOLS)

$(BUILD_DIR)/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(ALL_CFLAGS) -MMD -MP -c -o $@ $<

$(LIB): $(LIB_OBJS)
	@rm -f $@
	$(AR) rcs $@ $^

$(BIN): $(BUILD_DIR)/$(MAIN_SRC:.c=.o) $(LIB)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(PKG_LIBS)

$(BUILD_DIR)/tools/%: tests/tools/%.c $(LIB)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(ALL_CFLAGS) -o $@ $< $(LIB) $(PKG_LIBS) $(ALL_LDFLAGS)

# Every tests/test_*.c defines one or more 'Suite *NAME_suite(void)'; the runner
# finds them through this generated list, so adding a test file needs no other edit.
$(SUITES): $(TEST_SRCS)
	@mkdir -p $(@D)
	@sed -n 's/^Suite \*\([a-z0-9_]*_suite\)(void).*/MP_SUITE(\1)/p' $(TEST_SRCS) > $@.tmp
	@cmp -s $@.tmp $@ 2>/dev/null && rm -f $@.tmp || mv $@.tmp $@

$(BUILD_DIR)/tests/%.o: tests/%.c
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) -I$(BUILD_DIR)/tests $(ALL_CFLAGS) $(CHECK_CFLAGS) -MMD -MP -c -o $@ $<

$(TEST_OBJS): | $(SUITES)
$(BUILD_DIR)/tests/runner.o: $(SUITES)

$(RUNNER): $(TEST_OBJS) $(LIB)
	$(CC) $(ALL_LDFLAGS) -o $@ $(TEST_OBJS) $(LIB) $(PKG_LIBS) $(CHECK_LIBS)

deps:
	@sh tests/install-deps.sh --ensure

# Tests run from the top directory; MP_BIN and MP_TOOLS tell them where the
# built program and helper tools are.
check: deps
	@$(MAKE) --no-print-directory all $(RUNNER)
	MP_BIN=$(abspath $(BIN)) MP_TOOLS=$(abspath $(BUILD_DIR)/tools) MP_BUILD_DIR=$(abspath $(BUILD_DIR)) $(RUNNER)

asan-check:
	@$(MAKE) --no-print-directory BUILD=asan check

valgrind-check: deps
	@$(MAKE) --no-print-directory all $(RUNNER)
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
	@$(MAKE) --no-print-directory BUILD=release all
	@sh tests/bench/run.sh build/release

demo: deps
	@$(MAKE) --no-print-directory BUILD=release all
	@sh tests/demo.sh build/release

install: $(BIN)
	install -d $(DESTDIR)$(PREFIX)/bin
	install -m 755 $(BIN) $(DESTDIR)$(PREFIX)/bin/mta-preflight
	install -d $(DESTDIR)$(PREFIX)/share/man/man1
	install -m 644 auditor/mta-preflight.1 $(DESTDIR)$(PREFIX)/share/man/man1/mta-preflight.1

# The files that run mta-preflight regularly (auditor/integration/: systemd
# units, cron file, apt/dpkg hook, Prometheus rules, Icinga 2 and NRPE
# commands) go to $(PREFIX)/share/mta-preflight/, the hook scripts to
# $(PREFIX)/lib/mta-preflight/; nothing into /etc. These rules only add
# prerequisites to install and uninstall.
.PHONY: install-integration uninstall-integration uninstall
install: install-integration
uninstall: uninstall-integration
install-integration:
	DESTDIR='$(DESTDIR)' PREFIX='$(PREFIX)' sh auditor/integration/install.sh install
uninstall-integration:
	DESTDIR='$(DESTDIR)' PREFIX='$(PREFIX)' sh auditor/integration/install.sh uninstall

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
FUZZ_DIR     := build/fuzz
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
	$(FUZZ_CC) $(CPPFLAGS) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -MMD -MP -c -o $@ $<

$(FUZZ_DIR)/%: tests/fuzz/%.c $(FUZZ_OBJS)
	$(FUZZ_CC) $(CPPFLAGS) $(FUZZ_CFLAGS) -fsanitize=fuzzer $(FUZZ_WRAP) -o $@ $< $(FUZZ_OBJS) $(PKG_LIBS)

clean:
	rm -rf build

-include $(FUZZ_OBJS:.o=.d)
-include $(LIB_OBJS:.o=.d) $(TEST_OBJS:.o=.d) $(BUILD_DIR)/$(MAIN_SRC:.c=.d)
