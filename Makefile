# The two commands of the README, and a few helpers. Everything runs inside .venv.
# The newest Python >= 3.11 on PATH (a name that exists but does not run is skipped).
PYTHON ?= $(shell for p in python3.13 python3.12 python3.11 python3; do $$p -c 'import sys; sys.exit(sys.version_info < (3, 11))' >/dev/null 2>&1 && { echo $$p; break; }; done)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint pytest docs clean

$(STAMP): pyproject.toml
	@test -n "$(PYTHON)" || { echo "Mentorwijs needs Python 3.11 or newer on PATH (python3.11, python3.12, ...)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	@touch $(STAMP)

## make demo: set up .venv and run the main job on a simulated study.
demo: $(STAMP)
	$(BIN)/mentorwijs demo

## make test: set up .venv, run the linters and the whole test suite (SQLite, then PostgreSQL
## when MENTORWIJS_TEST_POSTGRES_URL names a server).
test: $(STAMP) lint pytest

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/mypy
	$(BIN)/lint-imports

pytest: $(STAMP)
	$(BIN)/pytest
	@if [ -n "$$MENTORWIJS_TEST_POSTGRES_URL" ]; then \
		echo "== database tests again on PostgreSQL =="; \
		MENTORWIJS_DATABASE_URL="$$MENTORWIJS_TEST_POSTGRES_URL" MENTORWIJS_EXPECT_POSTGRES=1 \
			$(BIN)/pytest -m "django_db or postgres"; \
	elif [ -n "$$MENTORWIJS_REQUIRE_POSTGRES" ]; then \
		echo "MENTORWIJS_REQUIRE_POSTGRES is set but MENTORWIJS_TEST_POSTGRES_URL is not"; exit 1; \
	fi

## make docs: regenerate the reference pages that are built from code.
docs: $(STAMP)
	$(BIN)/python -m mentorwijs.cli.docs

clean:
	rm -rf $(VENV) mentorwijs-demo .pytest_cache .mypy_cache .ruff_cache
