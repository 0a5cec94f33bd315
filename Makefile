# EntityGraph — the commands a newcomer needs. Each target installs what it needs itself.
#   make demo   render the seed map to out/ and print Lukashenko's neighbours
#   make test   run the whole test suite
#   make lint   check formatting with swift-format
#   make bench  run the benchmark suite (release build; installs networkx/igraph/graphviz CLI if missing)

SWIFT ?= swift
SEED := Graphs/zelensky-lukashenko-mozyr.json
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
UNAME := $(shell uname -s)

.PHONY: deps demo test lint format bench build clean readme-map leakcheck tsan

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

build: deps
	$(SWIFT) build --product entitygraph

demo: build
	@mkdir -p out
	$(SWIFT) run --skip-build entitygraph render $(SEED) -o out/zelensky-lukashenko-mozyr.svg
	$(SWIFT) run --skip-build entitygraph render $(SEED) -o out/zelensky-lukashenko-mozyr.png
	@echo
	$(SWIFT) run --skip-build entitygraph neighbors $(SEED) Lukashenko
	@echo
	@echo "Wrote out/zelensky-lukashenko-mozyr.svg and out/zelensky-lukashenko-mozyr.png"

test: deps
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build

lint:
	$(SWIFT) format lint --strict --recursive --parallel Package.swift Sources Tests Benchmarks

format:
	$(SWIFT) format --in-place --recursive --parallel Package.swift Sources Tests Benchmarks

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

# The whole test suite under ThreadSanitizer (the Graphviz lock, concurrent renders and queries).
tsan: deps
	$(SWIFT) build --build-tests --sanitize=thread --scratch-path .build-tsan
	TSAN_OPTIONS=halt_on_error=1 $(SWIFT) test --skip-build --sanitize=thread --scratch-path .build-tsan

# Regenerates the picture in the README from the seed graph.
readme-map: build
	@mkdir -p docs
	$(SWIFT) run --skip-build entitygraph render $(SEED) -o docs/zelensky-lukashenko-mozyr.png
	$(SWIFT) run --skip-build entitygraph render $(SEED) -o docs/zelensky-lukashenko-mozyr.svg

clean:
	rm -rf .build out
