# Developer tasks for wagtail-acupuncture. GNU make.
# The version matrix, venvs and PostgreSQL are driven by tests/matrix.py.

PYTHON ?= python3
VENV   := .venv
VPY    := $(VENV)/bin/python
PORT   ?= 8000
ARGS   ?=
FRONTEND_URL ?=

DEMO_SETTINGS := example_project.settings.dev

# make bench runs on the latest set (Wagtail 8, as issue 7's baselines); BENCH_SET=lowest for 7.4.
BENCH_SET ?= latest
BENCH_PY  := $(if $(filter lowest,$(BENCH_SET)),$(VENV),.venv-py313)/bin/python

.DEFAULT_GOAL := help
.PHONY: help venv test demo frontend bench loadtest migrations lint clean

help: ## List the targets
	@echo "wagtail-acupuncture: make <target>"
	@echo
	@awk 'BEGIN {FS = ":.*## "} /^[a-z][a-zA-Z_-]*:.*## / {printf "  %-12s %s\n", $$1, $$2}' $(MAKEFILE_LIST)
	@echo
	@echo "  make test ARGS=\"-k faq\"             extra pytest arguments"
	@echo "  MATRIX_SETS=lowest MATRIX_DBS=sqlite make test   narrow a local run"
	@echo "  make demo PORT=8001                 serve the demo on another port"
	@echo "  make demo FRONTEND_URL=http://127.0.0.1:3000   previews and webhooks go to make frontend"
	@echo "  make bench ARGS=--quick             fewer repetitions (BENCH_SET=lowest: Wagtail 7.4)"
	@echo "  make loadtest ARGS=\"--users 50\"     more readers (--quick: 20 s a run)"
	@echo "  $(PYTHON) tests/matrix.py --help     all matrix options"

venv: ## Create/refresh .venv (Python 3.11, lowest Django/Wagtail); fast when up to date
	$(PYTHON) tests/matrix.py --install-only lowest

test: ## Run the full matrix: {py3.11 lowest, py3.13 latest} x {SQLite, PostgreSQL} x {main, custom suite}
	$(PYTHON) tests/matrix.py $(ARGS)

demo: venv ## Migrate, load demo content and serve the example project on 127.0.0.1:PORT (default 8000)
	DJANGO_SETTINGS_MODULE=$(DEMO_SETTINGS) $(VPY) example_project/manage.py migrate --noinput
	DJANGO_SETTINGS_MODULE=$(DEMO_SETTINGS) $(VPY) example_project/manage.py load_acupuncture_demo --site-url http://127.0.0.1:$(PORT)
	DJANGO_SETTINGS_MODULE=$(DEMO_SETTINGS) FRONTEND_URL=$(FRONTEND_URL) FRONTEND_REVALIDATE_SECRET=$(FRONTEND_SECRET) \
		$(VPY) example_project/manage.py runserver 127.0.0.1:$(PORT)

# make frontend: the Next.js starter (example_project/frontend) against the demo of make demo.
FRONTEND_DIR  := example_project/frontend
FRONTEND_PORT ?= 3000
FRONTEND_ENV  := NEXT_TELEMETRY_DISABLED=1 NPM_CONFIG_CACHE=$(CURDIR)/$(FRONTEND_DIR)/.npm-cache \
	NPM_CONFIG_UPDATE_NOTIFIER=false NPM_CONFIG_FUND=false NPM_CONFIG_AUDIT=false
FRONTEND_SECRET ?= frontend-demo-revalidate-secret

frontend: venv ## Next.js starter: npm ci, generate types, build, start on FRONTEND_PORT (3000) against make demo's API
	cd $(FRONTEND_DIR) && $(FRONTEND_ENV) npm ci
	cd $(FRONTEND_DIR) && $(FRONTEND_ENV) PYTHON=$(CURDIR)/$(VPY) npm run types
	cd $(FRONTEND_DIR) && $(FRONTEND_ENV) NODE_ENV=production WAGTAIL_API_URL=http://127.0.0.1:$(PORT)/api/v2 npx next build
	cd $(FRONTEND_DIR) && $(FRONTEND_ENV) NODE_ENV=production WAGTAIL_API_URL=http://127.0.0.1:$(PORT)/api/v2 \
		REVALIDATE_SECRET=$(FRONTEND_SECRET) SITE_URL=http://127.0.0.1:$(FRONTEND_PORT) \
		npx next start -H 127.0.0.1 -p $(FRONTEND_PORT)

bench: ## Benchmark API and HTML against stock Wagtail on SQLite and PostgreSQL (benchmarks/)
	$(PYTHON) tests/matrix.py --install-only $(BENCH_SET)
	$(BENCH_PY) benchmarks/run.py $(ARGS)

loadtest: venv ## Readers against the production stack (PostgreSQL, Redis, 3 gunicorn, worker) while an editor publishes
	$(VPY) -m pip install -q -e ".[loadtest]"
	$(VPY) benchmarks/loadtest.py $(ARGS)

migrations: venv ## Generate migrations for wagtail_acupuncture and the test app custom_app (on the lowest set)
	DJANGO_SETTINGS_MODULE=tests.settings_custom PYTHONPATH=.:example_project \
		$(VPY) -m django makemigrations wagtail_acupuncture custom_app $(ARGS)

lint: venv ## ruff check the package, tests and example project
	@test -x $(VENV)/bin/ruff || $(VPY) -m pip install -q "ruff>=0.8"
	$(VENV)/bin/ruff check wagtail_acupuncture tests example_project benchmarks

clean: ## Remove venvs, build and test artifacts, caches
	rm -rf .venv .venv-py313 build dist *.egg-info test-artifacts .pytest_cache benchmarks/results \
		.ruff_cache htmlcov .coverage .coverage.*
	find . -path ./.git -prune -o -name __pycache__ -type d -prune -exec rm -rf {} +
