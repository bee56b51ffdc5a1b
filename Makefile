# The two commands of the README, and the steps they are made of.
#   make demo  — install what is missing, build, load the demo province, serve http://127.0.0.1:8080
#   make test  — the same set-up, then every test: the ASan+UBSan build's C++ unit and
#                integration tests and lints, the browser tests against the optimized binary

JOBS ?= $(shell nproc)
DB ?= var/demo.db
LISTEN ?= 127.0.0.1:8080

.PHONY: deps build build-asan demo test test-release clean format

deps:
	@bash scripts/install-deps.sh

# The binary and the web app only: the tests are built by `make test`.
build: deps
	@cmake --preset release >/dev/null
	@cmake --build --preset release -j $(JOBS) --target pdh web

build-asan: deps
	@cmake --preset asan >/dev/null
	@cmake --build --preset asan -j $(JOBS)

demo: build
	@mkdir -p var
	@build/pdh demo --db $(DB) --force
	@build/pdh serve --db $(DB) --listen $(LISTEN)

# Every test once, in the sanitized build (the browser tests against the optimized binary of
# `make build`), the longest first, as many at once as there are cores; the output ends with the
# ten slowest tests and ctest's summary.
test: build build-asan
	@bash tests/run.sh build-asan -j $(JOBS)

# The same tests on an optimized build, for a developer who wants them there too.
test-release: deps
	@cmake --preset release >/dev/null
	@cmake --build --preset release -j $(JOBS)
	@bash tests/run.sh build -j $(JOBS)

format:
	@clang-format -i $$(git ls-files 'src/*.cc' 'src/*.h' 'tests/*.cc' 'tests/*.h')

clean:
	@rm -rf build build-asan build-debug web/dist
