# The two commands a newcomer needs (see README.md). Both install what is
# missing first, and are fast when everything is already there.
.PHONY: run test check site sqlx-prepare

## run: build in release mode and start newsdesk with its private database
run:
	@./scripts/run.sh

## test: formatting, clippy (ssr + hydrate), Rust tests, browser tests
test:
	@./scripts/test.sh

## check: the fast loop: fmt, clippy (ssr + hydrate), unit and architecture tests
check:
	@./scripts/check.sh

## site: rebuild only the browser assets (release)
site:
	@./scripts/build-site.sh

## sqlx-prepare: refresh .sqlx/ after changing a query or a migration
sqlx-prepare:
	@./scripts/sqlx-prepare.sh
