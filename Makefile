# The two commands a newcomer needs (see README.md). Both install what is
# missing first, and are fast when everything is already there.
.PHONY: run test site sqlx-prepare

## run: build in release mode and start newsdesk with its private database
run:
	@./scripts/run.sh

## test: formatting, clippy (ssr + hydrate), Rust tests, browser tests
test:
	@./scripts/test.sh

## site: rebuild only the browser assets (release)
site:
	@./scripts/build-site.sh

## sqlx-prepare: refresh .sqlx/ after changing a query or a migration
sqlx-prepare:
	@./scripts/sqlx-prepare.sh
