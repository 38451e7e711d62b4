#!/usr/bin/env bash
# Extracts Debian's chrony package into a private directory (default /usr/local/lib/ntp-policy-chrony, or
# $NTPP_CHRONY_DIR, or the first argument) so the test suites can run the real chronyd as an oracle.
# chrony is not installed system-wide: its package conflicts with ntpsec, which the ntp.conf suites use.
# The .deb comes from $CHRONY_DEB, the apt cache, or `apt-get download chrony`.
set -euo pipefail
dest="${1:-${NTPP_CHRONY_DIR:-/usr/local/lib/ntp-policy-chrony}}"
if [ -x "${dest}/usr/sbin/chronyd" ] && "${dest}/usr/sbin/chronyd" -v >/dev/null 2>&1; then
  echo "chronyd already extracted in ${dest}: $("${dest}/usr/sbin/chronyd" -v)"
  exit 0
fi
deb="${CHRONY_DEB:-}"
if [ -z "${deb}" ]; then
  for candidate in /var/cache/apt/archives/chrony_*.deb; do
    [ -e "${candidate}" ] && deb="${candidate}"
  done
fi
work="$(mktemp -d)"
trap 'rm -rf "${work}"' EXIT
if [ -z "${deb}" ]; then
  (cd "${work}" && apt-get download chrony >/dev/null) || { echo "cannot download chrony (apt-get download chrony failed)" >&2; exit 1; }
  for candidate in "${work}"/chrony_*.deb; do deb="${candidate}"; done
fi
mkdir -p "${dest}"
dpkg-deb -x "${deb}" "${dest}"
missing="$(ldd "${dest}/usr/sbin/chronyd" | grep 'not found' || true)"
if [ -n "${missing}" ]; then
  echo "chronyd needs libraries that are not installed:" >&2
  echo "${missing}" >&2
  exit 1
fi
echo "extracted $(basename "${deb}") into ${dest}: $("${dest}/usr/sbin/chronyd" -v)"
