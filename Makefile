# Makefile: build railgen, run its tests, lint, install.
#
#   make            build build/railgen
#   make run        railgen examples/vergabe.rail -o out/
#   make test       every test suite (alias: make check)
#   make bench      speed and memory, against helm and age (bench/run)
#   make lint       80 columns, warning-free build, mandoc -T lint
#   make SAN=1 ...  the same under AddressSanitizer + UBSan (in build-san/)
#   make fuzz       libFuzzer targets with clang (in build-fuzz/), each run
#                   FUZZ_TIME seconds (docs/fuzzing.md)
#   make WERROR=1   warnings are errors

PREFIX	?= /usr/local
BINDIR	?= $(PREFIX)/bin
MANDIR	?= $(PREFIX)/share/man
DESTDIR	?=

CC	?= cc
CFLAGS	?= -O2 -g
SHARED	?= ../shared
FUZZ_TIME ?= 60

ifeq ($(FUZZ),1)
# libFuzzer needs clang; the library gets the coverage hooks, only the
# targets link the fuzzer's main.
CC	= clang
BUILD	?= build-fuzz
SANFLAGS = -fsanitize=fuzzer-no-link,address,undefined \
	   -fno-sanitize-recover=all -fno-omit-frame-pointer
else ifeq ($(SAN),1)
BUILD	?= build-san
SANFLAGS = -fsanitize=address,undefined -fno-sanitize-recover=all \
	   -fno-omit-frame-pointer
else
BUILD	?= build
SANFLAGS =
endif

WARN	= -std=c11 -Wall -Wextra -Wmissing-prototypes -Wstrict-prototypes \
	  -Wwrite-strings
ifeq ($(WERROR),1)
WARN	+= -Werror
endif

PKGS	= libsodium libcrypto yaml-0.1
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null)
CMOCKA_LIBS := $(shell pkg-config --libs cmocka 2>/dev/null)

# railgen itself links the three libraries statically (their archives
# come with Debian's -dev packages): the loader then has no libcrypto to
# map and relocate, which was half of a one-app run's time
# (docs/performance.md).  STATIC=0 links them shared, so that a library
# upgrade reaches railgen without a rebuild.  Test programs link shared.
STATIC	?= 1
ifeq ($(STATIC),1)
STATIC_LIBS := $(shell pkg-config --static --libs-only-l $(PKGS) 2>/dev/null)
RAILGEN_LIBS = -Wl,-Bstatic $(PKG_LIBS) -Wl,-Bdynamic \
	$(filter-out $(PKG_LIBS),$(STATIC_LIBS)) -pthread
else
RAILGEN_LIBS = $(PKG_LIBS)
endif

ALL_CPPFLAGS = -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE \
	-Icompiler -Ioutput -I$(BUILD) $(PKG_CFLAGS) $(CPPFLAGS)
ALL_CFLAGS = $(WARN) $(CFLAGS) $(SANFLAGS)
ALL_LDFLAGS = $(SANFLAGS) $(LDFLAGS)

# Generated sources are compiled without the prototype warnings that
# flex and bison skeletons do not satisfy.
GEN_CFLAGS = -std=c11 -Wall -Wno-unused-function -Wno-sign-compare \
	$(CFLAGS) $(SANFLAGS)
ifeq ($(WERROR),1)
GEN_CFLAGS += -Werror
endif

LIB_SRCS  = $(filter-out compiler/main.c,$(wildcard compiler/*.c output/*.c))
LIB_OBJS  = $(LIB_SRCS:%.c=$(BUILD)/%.o)
GRAMMAR_Y = $(wildcard grammar/*.y)
GRAMMAR_L = $(wildcard grammar/*.l)
GEN_SRCS  = $(GRAMMAR_Y:grammar/%.y=$(BUILD)/%.tab.c) \
	    $(GRAMMAR_L:grammar/%.l=$(BUILD)/%.lex.c)
GEN_HDRS  = $(GRAMMAR_Y:grammar/%.y=$(BUILD)/%.tab.h) \
	    $(GRAMMAR_L:grammar/%.l=$(BUILD)/%.lex.h)
TEMPLATES = $(sort $(wildcard templates/*.tmpl templates/*/*.tmpl))
GEN_OBJS  = $(GEN_SRCS:%.c=%.o) $(BUILD)/templates.o
# Made by pattern rules: keep them, or make deletes and remakes them.
.SECONDARY: $(GEN_SRCS) $(GEN_HDRS)

UNIT_SRCS = $(wildcard tests/unit/test_*.c)
UNIT_BINS = $(UNIT_SRCS:tests/unit/%.c=$(BUILD)/tests/%)
# Test-only programs that suites drive from the shell.
TBIN_SRCS = $(wildcard tests/bin/*.c)
TBIN_BINS = $(TBIN_SRCS:tests/bin/%.c=$(BUILD)/tests/bin/%)
# The fault suite's LD_PRELOAD library.  Never sanitized itself: under
# SAN=1 the suite preloads the ASan runtime in front of it.
KILLSHIM  = $(BUILD)/tests/killshim.so

# libFuzzer targets, built only with FUZZ=1.
FUZZ_SRCS = $(wildcard tests/fuzz/fuzz_*.c)
FUZZ_BINS = $(FUZZ_SRCS:tests/fuzz/%.c=$(BUILD)/fuzz/%)

RAILGEN   = $(BUILD)/railgen

.PHONY: all run test check lint install uninstall clean deps test-deps \
	unit fuzz fuzz-bins bench
.DELETE_ON_ERROR:

all: $(RAILGEN)

$(RAILGEN): $(BUILD)/compiler/main.o $(BUILD)/librailgen.a
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(RAILGEN_LIBS)

$(BUILD)/librailgen.a: $(LIB_OBJS) $(GEN_OBJS)
	rm -f $@
	ar rcs $@ $^

$(BUILD)/%.o: %.c | $(GEN_HDRS) $(BUILD)/templates.h
	@mkdir -p $(@D)
	$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) -MMD -MP -c -o $@ $<

$(BUILD)/%.tab.c $(BUILD)/%.tab.h: grammar/%.y
	@mkdir -p $(@D)
	bison -Wall -Werror --defines=$(BUILD)/$*.tab.h -o $(BUILD)/$*.tab.c $<

$(BUILD)/%.lex.c $(BUILD)/%.lex.h: grammar/%.l
	@mkdir -p $(@D)
	flex --header-file=$(BUILD)/$*.lex.h -o $(BUILD)/$*.lex.c $<

$(BUILD)/%.tab.o: $(BUILD)/%.tab.c $(GEN_HDRS)
	$(CC) $(ALL_CPPFLAGS) $(GEN_CFLAGS) -c -o $@ $<

$(BUILD)/%.lex.o: $(BUILD)/%.lex.c $(GEN_HDRS)
	$(CC) $(ALL_CPPFLAGS) $(GEN_CFLAGS) -c -o $@ $<

# Templates are compiled into the binary so railgen needs no data files.
$(BUILD)/templates.c $(BUILD)/templates.h &: $(TEMPLATES) build-aux/embed
	@mkdir -p $(BUILD)
	sh build-aux/embed $(BUILD)/templates.c $(BUILD)/templates.h \
	    $(TEMPLATES)

$(BUILD)/templates.o: $(BUILD)/templates.c
	$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) -c -o $@ $<

$(BUILD)/tests/%: tests/unit/%.c $(wildcard tests/unit/*.h) \
    $(BUILD)/librailgen.a
	@mkdir -p $(@D)
	$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $< \
	    $(BUILD)/librailgen.a $(PKG_LIBS) $(CMOCKA_LIBS)

$(BUILD)/tests/bin/%: tests/bin/%.c $(BUILD)/librailgen.a
	@mkdir -p $(@D)
	$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $< \
	    $(BUILD)/librailgen.a $(PKG_LIBS)

$(KILLSHIM): tests/faults/killshim.c
	@mkdir -p $(@D)
	$(CC) $(WARN) $(CFLAGS) -fPIC -shared -o $@ $< -ldl

unit: $(UNIT_BINS) $(TBIN_BINS) $(KILLSHIM)

# The demo identity is the one key the SOPS and age targets decrypt with.
$(BUILD)/fuzz/%: tests/fuzz/%.c tests/fuzz/fuzz_demo.h $(BUILD)/librailgen.a
	@mkdir -p $(@D)
	$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) -fsanitize=fuzzer \
	    -DFUZZ_AGEKEY='"$(CURDIR)/examples/demo.agekey"' \
	    $(ALL_LDFLAGS) -fsanitize=fuzzer -o $@ $< \
	    $(BUILD)/librailgen.a $(PKG_LIBS)

fuzz-bins: $(FUZZ_BINS)

deps:
	@sh build-aux/deps build

test-deps:
	@sh build-aux/deps test

run: deps
	$(MAKE) all
	$(RAILGEN) -o out examples/vergabe.rail

test check: test-deps
	$(MAKE) all unit
	BUILD=$(BUILD) RAILGEN=$(CURDIR)/$(RAILGEN) SHARED=$(SHARED) \
	    sh tests/run

lint: deps
	sh build-aux/lint
	$(MAKE) BUILD=build-lint WERROR=1 all unit
	mandoc -T lint -W warning docs/railgen.1

fuzz:
	$(MAKE) FUZZ=1 BUILD=build-fuzz fuzz-bins
	BUILD=build-fuzz FUZZ_TIME=$(FUZZ_TIME) sh tests/fuzz/run

bench: all $(BUILD)/tests/bin/runstat
	BUILD=$(BUILD) SHARED=$(SHARED) sh bench/run

install: all
	mkdir -p $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1
	cp $(RAILGEN) $(DESTDIR)$(BINDIR)/railgen
	chmod 755 $(DESTDIR)$(BINDIR)/railgen
	cp docs/railgen.1 $(DESTDIR)$(MANDIR)/man1/railgen.1
	chmod 644 $(DESTDIR)$(MANDIR)/man1/railgen.1

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/railgen $(DESTDIR)$(MANDIR)/man1/railgen.1

clean:
	rm -rf build build-san build-lint build-fuzz out

-include $(LIB_OBJS:.o=.d) $(BUILD)/compiler/main.d
