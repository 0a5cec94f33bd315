# EntityGraph — the commands a newcomer needs. Each target installs what it needs itself.
#   make demo   render the seed map to out/ and print Lukashenko's neighbours
#   make test   run the whole test suite: Swift tests, the full crash matrix, make docs, then the
#               browser tests of the HTML map
#   make lint   check formatting with swift-format
#   make bench  run the benchmark suite (release build; installs networkx/igraph/graphviz CLI if missing)
#   make fuzz   fuzz the JSON, CSV, DOT, GraphML/GEXF and FtM readers with libFuzzer (FUZZ_SECONDS=60 each)
#   make docs   build the DocC archives into .build/docs and check that every public symbol is documented

SWIFT ?= swift
SEED := Graphs/zelensky-lukashenko-mozyr.json
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
UNAME := $(shell uname -s)

.PHONY: deps consumers-deps demo test lint format bench build clean readme-map leakcheck tsan asan fuzz browser-test docs

# Graphviz's C libraries (cgraph + gvc) and their headers; installed only when pkg-config cannot find them.
deps:
	@if pkg-config --exists libgvc 2>/dev/null; then \
		echo "deps: Graphviz $$(pkg-config --modversion libgvc) found"; \
	elif [ "$(UNAME)" = "Darwin" ]; then \
		brew install graphviz pkg-config; \
	else \
		echo "deps: installing libgraphviz-dev (Graphviz C libraries)"; \
		$(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends \
			libgraphviz-dev pkg-config fonts-dejavu-core >/dev/null && \
		echo "deps: Graphviz $$(pkg-config --modversion libgvc) installed"; \
	fi

# What the consumer checks in Tests/interop and Tests/Browser/test_mermaid.py need (each script also
# installs it itself): graphviz (dot, gc, gvpr), chromium and chromium-driver (apt); networkx,
# FalkorDB, ArcadeDB + the neo4j driver, and Selenium (PyPI, each into ~/.cache/entitygraph/*-venv);
# mermaid.min.js (PyPI artoo-mermaid). About a second when everything is there.
consumers-deps:
	@command -v python3 >/dev/null || { $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends python3 >/dev/null; }
	@python3 Tests/interop/consumers.py --install-all || { status=$$?; [ $$status = 77 ] && [ "$${ENTITYGRAPH_ALLOW_SKIP:-}" = 1 ]; }

build: deps
	$(SWIFT) build --product entitygraph

demo: build
	@mkdir -p out
	$(SWIFT) run --skip-build entitygraph render $(SEED) -o out/zelensky-lukashenko-mozyr.svg
	$(SWIFT) run --skip-build entitygraph render $(SEED) -o out/zelensky-lukashenko-mozyr.png
	$(SWIFT) run --skip-build entitygraph render $(SEED) -o out/zelensky-lukashenko-mozyr.html
	@echo
	$(SWIFT) run --skip-build entitygraph neighbors $(SEED) Lukashenko
	@echo
	@echo "Wrote out/zelensky-lukashenko-mozyr.svg, .png and .html (open the .html in a browser to explore)"

test: deps consumers-deps
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build --skip CrashMatrixTests
	ENTITYGRAPH_MATRIX=full $(SWIFT) test --skip-build --filter CrashMatrixTests
	@$(MAKE) --no-print-directory docs
	@$(MAKE) --no-print-directory browser-test

# The interactive HTML map in a real browser: headless Chromium driven by Selenium through
# chromium-driver. Installs chromium, chromium-driver and python3-venv (apt) and Selenium (PyPI, in
# .build/browser-venv) when missing. Screenshots are left in out/browser/.
BROWSER_VENV := .build/browser-venv
browser-test: build
	@if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null || ! python3 -c "import ensurepip" 2>/dev/null; then \
		echo "browser-test: installing chromium, chromium-driver and python3-venv"; \
		$(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends \
			chromium chromium-driver python3-venv fonts-dejavu-core >/dev/null; \
	fi
	@test -x $(BROWSER_VENV)/bin/python || python3 -m venv $(BROWSER_VENV)
	@$(BROWSER_VENV)/bin/python -c "import selenium" 2>/dev/null || $(BROWSER_VENV)/bin/pip install -q "selenium>=4.20"
	@mkdir -p out/browser
	$(SWIFT) run --skip-build entitygraph render $(SEED) -o out/browser/seed.html --quiet
	$(SWIFT) run --skip-build entitygraph render Tests/Browser/hostile.json -o out/browser/hostile.html --quiet 2>/dev/null
	$(BROWSER_VENV)/bin/python Tests/Browser/test_interactive_map.py

# DocC archives of EntityGraph and EntityGraphviz in .build/docs/ (docc convert on symbol graphs of the
# debug build); fails on a public symbol without a doc comment and on any DocC warning, such as a
# broken ``symbol`` link. Needs python3 and docc (part of the Swift toolchain).
docs: deps
	@command -v python3 >/dev/null || { $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends python3 >/dev/null; }
	SWIFT="$(SWIFT)" Scripts/build-docs.sh

lint:
	$(SWIFT) format lint --strict --recursive --parallel Package.swift Sources Tests Benchmarks Fuzz/Package.swift Fuzz/Sources

format:
	$(SWIFT) format --in-place --recursive --parallel Package.swift Sources Tests Benchmarks Fuzz/Package.swift Fuzz/Sources

bench: deps
	$(SWIFT) build -c release --product EntityGraphBenchmarks
	$(SWIFT) run -c release --skip-build EntityGraphBenchmarks all

# valgrind over 1,000 render cycles; fails on any block definitely lost outside the named Graphviz
# stacks in valgrind/graphviz-2.42.supp. Figures: docs/Reliability.md.
leakcheck: deps
	@command -v valgrind >/dev/null || { $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq valgrind >/dev/null; }
	$(SWIFT) build -c release --product EntityGraphBenchmarks
	valgrind --quiet --leak-check=full --show-leak-kinds=definite --errors-for-leak-kinds=definite \
		--error-exitcode=1 --suppressions=valgrind/graphviz-2.42.supp \
		.build/release/EntityGraphBenchmarks leakcheck --cycles 1000
	@echo "leakcheck: 0 bytes definitely lost outside valgrind/graphviz-2.42.supp"

# The whole test suite under ThreadSanitizer (the Graphviz lock, concurrent renders and queries), but
# the crash matrix (make test's; here and under asan it would only slow the timing tests down).
tsan: deps
	$(SWIFT) build --build-tests --sanitize=thread --scratch-path .build-tsan
	TSAN_OPTIONS=halt_on_error=1 $(SWIFT) test --skip-build --sanitize=thread --scratch-path .build-tsan --skip CrashMatrixTests

# libFuzzer over the readers (JSON, CSV, DOT, GraphML/GEXF as xml, FollowTheMoney as ftm): the separate
# package in Fuzz/, built with -sanitize=fuzzer,address, each fuzzer run for FUZZ_SECONDS on a fresh copy
# of Fuzz/Corpus/<reader> in out/fuzz/. Fails on any crash, leak or timeout; the input is kept in out/fuzz/crashes/.
# Long run: make fuzz FUZZ_SECONDS=3600. Figures: docs/Reliability.md, "Fuzzing".
FUZZ_SECONDS ?= 60
FUZZ_FLAGS ?= -rss_limit_mb=2048 -timeout=10 -print_final_stats=1
fuzz: deps
	$(SWIFT) build --package-path Fuzz -c release -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library
	@rm -rf out/fuzz && mkdir -p out/fuzz/crashes
	@status=0; for reader in json csv dot xml ftm; do \
		target=$$(echo $$reader | tr a-z A-Z); \
		cp -R Fuzz/Corpus/$$reader out/fuzz/corpus-$$reader; \
		echo "fuzz: Fuzz$$target for $(FUZZ_SECONDS)s (log: out/fuzz/$$reader.log)"; \
		if LSAN_OPTIONS=suppressions=$(CURDIR)/Fuzz/lsan.supp Fuzz/.build/release/Fuzz$$target -max_total_time=$(FUZZ_SECONDS) $(FUZZ_FLAGS) \
			-artifact_prefix=out/fuzz/crashes/$$reader- out/fuzz/corpus-$$reader >out/fuzz/$$reader.log 2>&1; \
		then result=ok; else result=FAILED; status=1; tail -n 40 out/fuzz/$$reader.log; fi; \
		runs=$$(sed -n 's/^stat::number_of_executed_units: *//p' out/fuzz/$$reader.log); \
		crashes=$$(ls out/fuzz/crashes | grep -c "^$$reader-" || true); \
		echo "fuzz: Fuzz$$target $$result: $${runs:-?} executions, $$crashes crashes, corpus $$(ls out/fuzz/corpus-$$reader | wc -l) inputs"; \
	done; exit $$status

# The whole test suite under AddressSanitizer. Leak detection is off here: Graphviz loses memory by
# itself at exit, and leaks are `make leakcheck`'s job, against named suppressions.
asan: deps
	$(SWIFT) build --build-tests --sanitize=address --scratch-path .build-asan
	ASAN_OPTIONS=detect_leaks=0 $(SWIFT) test --skip-build --sanitize=address --scratch-path .build-asan --skip CrashMatrixTests

# Regenerates the picture in the README from the seed graph (tracked files: run it on purpose and
# commit the result; make demo writes only to out/).
readme-map: build
	@mkdir -p docs
	$(SWIFT) run --skip-build entitygraph render $(SEED) -o docs/zelensky-lukashenko-mozyr.png
	$(SWIFT) run --skip-build entitygraph render $(SEED) -o docs/zelensky-lukashenko-mozyr.svg
	$(SWIFT) run --skip-build entitygraph render $(SEED) --focus Mozyr -o docs/focus-mozyr.png

clean:
	rm -rf .build out
