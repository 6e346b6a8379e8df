#!/usr/bin/env bash
# The Postgres tests start a private cluster (initdb + pg_ctl on a free loopback port; no system service used).
# Installs Debian's postgresql when initdb/pg_ctl are missing and we are root; otherwise those tests skip and say why.
# Debian keeps the binaries off PATH, under /usr/lib/postgresql/<version>/bin: the tests look there too.
set -u
have() {
  command -v "$1" >/dev/null 2>&1 && return 0
  compgen -G "/usr/lib/postgresql/*/bin/$1" >/dev/null
}
if have initdb && have pg_ctl; then exit 0; fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing Debian postgresql for the Postgres checkpointer tests..."
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null) \
    || echo "warning: could not install postgresql; the Postgres tests will be skipped"
else
  echo "warning: PostgreSQL's initdb/pg_ctl not found and not root; the Postgres tests will be skipped"
fi
exit 0
