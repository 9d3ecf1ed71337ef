# Kindred: `make run` to try it, `make test` to check it. See README.md.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEV_STAMP := $(VENV)/.installed-dev
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?= -n 2 --dist loadgroup

.PHONY: run test install install-dev lint format migrations-check seed bench messages clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(DEV_STAMP): pyproject.toml $(STAMP)
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

install: $(STAMP)
install-dev: $(DEV_STAMP)

run: export DEBUG ?= 1
run: $(STAMP)
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py seed_demo --if-empty
	@$(BIN)/python manage.py demo_signins
	@$(BIN)/python manage.py requeue_stale_tasks --older-than 0
	@echo "Starting the task worker and the web server on http://$(HOST):$(PORT)/"
	@trap 'kill 0' INT TERM EXIT; \
	$(BIN)/python manage.py db_worker --interval 1 & \
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

lint: $(DEV_STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(DEV_STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

migrations-check: $(DEV_STAMP)
	$(BIN)/python manage.py makemigrations --check --dry-run

test: lint migrations-check
	$(BIN)/pytest $(PYTEST_ARGS)

# Every app with a locale/ folder: refresh its Spanish catalog, then compile them all.
messages: $(DEV_STAMP)
	cd src/kindred && for dir in */locale; do \
	  (cd $${dir%/locale} && KINDRED_TESTING=1 ../../../$(BIN)/django-admin makemessages -l es \
	    --no-obsolete --settings=kindred.settings --pythonpath=../.. && \
	    KINDRED_TESTING=1 ../../../$(BIN)/django-admin compilemessages -l es \
	    --settings=kindred.settings --pythonpath=../..) || exit 1; done

bench: $(STAMP)
	$(BIN)/python bench/run_all.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) var
