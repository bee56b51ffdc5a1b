# The two commands of the README, and the steps they are made of.
#   make demo  — install what is missing, build, load the demo province, serve http://127.0.0.1:8080
#   make test  — the same set-up, then every test (C++ under ASan+UBSan and release, browser, lints)

JOBS ?= $(shell nproc)
DB ?= var/demo.db
LISTEN ?= 127.0.0.1:8080

.PHONY: deps build build-asan demo test test-asan test-release clean format

deps:
	@bash scripts/install-deps.sh

build: deps
	@cmake --preset release >/dev/null
	@cmake --build --preset release -j $(JOBS)

build-asan: deps
	@cmake --preset asan >/dev/null
	@cmake --build --preset asan -j $(JOBS)

demo: build
	@mkdir -p var
	@build/pdh demo --db $(DB) --force
	@build/pdh serve --db $(DB) --listen $(LISTEN)

test-asan: build-asan
	@cd build-asan && ctest --output-on-failure -j $(JOBS) -LE browser

test-release: build
	@cd build && ctest --output-on-failure -j 2

# Sanitizer run first, so the last lines printed are the release run's ctest summary.
test: test-asan test-release

format:
	@clang-format -i $$(git ls-files 'src/*.cc' 'src/*.h' 'tests/*.cc' 'tests/*.h')

clean:
	@rm -rf build build-asan build-debug web/dist
