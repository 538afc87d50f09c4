# The two commands: `make run` (set up + serve the embedded offline stack) and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PORT   ?= 8000

.PHONY: run test test-js soak install install-test lint format typecheck bench bench-endpoint chromium postgres clean llama

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q -U pip wheel setuptools

# llama-cpp-python, built once for the portable x86-64 baseline (AVX2/FMA/F16C, no AVX-512/AMX)
# into a wheelhouse keyed by version and flags (~8 min on 2 cores), installed, then checked
# with objdump. pip's own wheel cache ignores CMAKE_ARGS, so it is never used for this package.
$(VENV)/.llama-portable: scripts/build_llama.sh | $(BIN)/python
	scripts/build_llama.sh $(BIN)/python
	touch $@

llama: | $(BIN)/python
	rm -f $(VENV)/.llama-portable
	$(MAKE) $(VENV)/.llama-portable

# The smart-turn v3.2 end-of-turn model (BSD-2) ships only inside the pipecat-ai wheel: installed
# without its dependencies, as a data file (nothing of pipecat is imported; voice_io/eot/smart_turn.py).
TURN_MODEL_PKG := pipecat-ai==1.14.0
$(VENV)/.turn-model: | $(BIN)/python
	$(BIN)/pip install -q --no-deps $(TURN_MODEL_PKG)
	touch $@

# The default install: torch-free.
$(VENV)/.installed: pyproject.toml $(VENV)/.llama-portable $(VENV)/.turn-model | $(BIN)/python
	$(BIN)/pip install -e .
	touch $@

# Tests also need the dev tools and the `torch` extra (openai-whisper, silero-vad; CPU torch from disk).
$(VENV)/.installed-test: pyproject.toml $(VENV)/.llama-portable $(VENV)/.turn-model | $(BIN)/python
	$(BIN)/pip install -e '.[dev,torch]'
	touch $(VENV)/.installed $@

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

run: install
	$(BIN)/voice-agent serve --port $(PORT)

test: install-test chromium postgres test-js
	$(BIN)/python -m pytest -ra

# The page's pure modules, with node's built-in test runner (no build step, no npm packages).
test-js:
	node --test tests/frontend/js/

lint: install-test
	$(BIN)/ruff check .
	$(BIN)/mypy

format: install-test
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

SESSIONS ?= 1
bench: install
	$(BIN)/voice-agent bench --turns 8 --sessions $(SESSIONS)

# End of turn: smart-turn against the fixed 480 ms silence on real and Piper speech (audio time).
bench-endpoint: install
	$(BIN)/python -m bench.endpoint

# 4 sessions for 10 minutes with barge-ins, reconnects and a disconnect mid-reply; fails on growth.
soak: install-test
	$(BIN)/python -m bench.soak --sessions 4 --minutes 10

# Debian's chromium for the real-browser tests (never `playwright install`).
chromium:
	@command -v chromium >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq chromium >/dev/null; }

# The PostgreSQL server the storage tests use (127.0.0.1:5432, trust auth, database `test`).
postgres:
	@pg_isready -q -h 127.0.0.1 -p 5432 || pg_ctlcluster --skip-systemctl-redirect $$(ls /etc/postgresql) main start
	@for i in $$(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && exit 0; sleep 1; done; echo "PostgreSQL did not start" >&2; exit 1

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
