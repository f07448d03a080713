# The two commands of the README, plus development helpers. The scripts do
# the work; they install whatever is missing first (scripts/bootstrap.sh).
.PHONY: run test dev dev-check bootstrap bench bench-quick bench-kafka

run: ## build the release app and serve it at http://127.0.0.1:3000 with demo data
	@scripts/run.sh

test: ## every check and test: fmt, clippy, Rust tests, release build, Playwright
	@scripts/test.sh

bench: ## load, scale and fault harness, full (about 4 min; see BENCHMARKS.md)
	@scripts/bench.sh

bench-quick: ## the same, short: fault checks + short read and write runs (CI)
	@scripts/bench.sh --quick

bench-kafka: ## the Kafka relay: throughput, and lag at 1,000 writes/s (after make bench builds the server)
	@scripts/bench-kafka.sh

dev: ## cargo leptos watch: rebuild and reload on every change
	@scripts/dev.sh

dev-check: ## make dev, checked in Chromium: CSS applied in place, a Rust change reloads (part of make test)
	@scripts/dev-check.sh

bootstrap: ## install what is missing (apt, cargo, npm)
	@scripts/bootstrap.sh
