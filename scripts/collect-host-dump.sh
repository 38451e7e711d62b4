#!/bin/sh
# collect-host-dump.sh: write this host's directory of a host dump for `ntp-policy check`
# (layout: docs/host-dump.md). Run it on the NTP server itself, e.g.
#
#   sh collect-host-dump.sh -o /tmp/dump/"$(hostname)"            # as root, for the firewall dumps
#   ssh ntp1 'sudo sh -s -- -o /tmp/ntp1' < scripts/collect-host-dump.sh
#
# It writes, under OUTDIR:
#   etc/ntp.conf or etc/ntpsec/ntp.conf   the file the daemon reads (ntpsec's path when ntpd is ntpsec)
#   every file that file includes         `includefile` followed recursively, at most 5 levels, absolute
#                                         paths from the root, relative paths from the including file's
#                                         directory; stored at the same path below OUTDIR
#   iptables-save, ip6tables-save         the commands' output (skipped with -n, or when a command is
#                                         missing or fails: a note, never a partial file; an output
#                                         without any table, what an nftables or firewalld host prints,
#                                         is no evidence: a note, no file)
#   iptables-version                      first line of `iptables -V`: the backend, (nf_tables) or (legacy)
#   nft-ruleset, nft-ruleset.json         `nft list ruleset` and `nft -j list ruleset`, when nft exists (a
#                                         ruleset without any table is no evidence: a note, no file)
#   etc/nftables.conf and its includes    with -r only (the live ruleset says nothing about ROOT): the
#                                         configuration nftables loads at boot, `include` lines followed
#                                         (globs too; relative paths from /etc, as nft does)
#   ntp-version                           first line of `ntpd --version`, else of `ntpq -c version`
#   etc/chrony/chrony.conf or etc/chrony.conf   chronyd's configuration (Debian's path first), with every
#                                         file its `include` patterns, `confdir` (*.conf) and `sourcedir`
#                                         (*.sources) directories name, at the same path below OUTDIR
#   etc/sysconfig/chronyd, etc/default/chrony   chronyd's service options (-u USER, -4/-6, -F …)
#   chrony-version                        first line of `chronyd -v` (only when chrony.conf was found)
#   key-files                             key and password files the configuration names (`keys`, an
#                                         includefile of crypto/pw or a keys file, chrony's `keyfile` and
#                                         `ntsserverkey`): one line each, `MODE UID:GID SIZE PATH`. They are
#                                         NEVER copied; only that they exist, and with which mode, is recorded
#   collected-at                          when this ran: UTC ISO 8601, e.g. 2026-12-03T12:00:00Z
#
# Options:
#   -o OUTDIR  where to write (default: ./HOSTNAME); created, and must be empty if it already exists
#   -r ROOT    read files below ROOT instead of / (a copied or mounted root filesystem, an image). Only
#              files below ROOT are recorded: the live state of the collecting machine (iptables-save,
#              ip6tables-save, iptables -V, ntpd --version, chronyd -v) is NOT read, since it says nothing
#              about ROOT
#   -L         with -r: ROOT is the root of the machine running this (seen from a container that shares
#              its network namespace, e.g. a privileged pod with hostNetwork and / mounted at ROOT), so its
#              live state is recorded as well, with the commands found on PATH
#   -n         do not run iptables-save / ip6tables-save / iptables -V / nft
#
# Nothing is ever read outside ROOT: an include whose `..` climbs above ROOT, or that is a symbolic link
# leading out of it, is skipped with a note. Problems are noted on standard error and collection goes on.
# Exit status: 0 when something was collected, 1 when no ntp.conf, no chrony.conf and no firewall dump could be
# collected, 2 for a usage error.
#
# POSIX sh and coreutils-level tools only (awk, sed, head, cat, ls, date, mkdir, dirname, basename).

set -eu

prog=collect-host-dump
MAX_INCLUDE_LEVEL=5

usage() {
  echo "usage: $prog [-o OUTDIR] [-r ROOT [-L]] [-n]" >&2
  exit 2
}

note() {
  printf '%s: note: %s\n' "$prog" "$*" >&2
}

die() {
  printf '%s: %s\n' "$prog" "$*" >&2
  exit 2
}

outdir=""
root=""
skip_firewall=0
live_root=0
while getopts "o:r:Lnh" opt; do
  case "$opt" in
    o) outdir="$OPTARG" ;;
    r) root="$OPTARG" ;;
    L) live_root=1 ;;
    n) skip_firewall=1 ;;
    *) usage ;;
  esac
done
shift $((OPTIND - 1))
[ "$#" -eq 0 ] || usage
[ "$live_root" -eq 0 ] || [ -n "$root" ] || die "-L needs -r ROOT"

# Live state (commands run on this machine) describes ROOT only when ROOT is this machine's root.
read_live=1
if [ -n "$root" ] && [ "$live_root" -eq 0 ]; then
  read_live=0
fi

# The daemon and iptables usually live in sbin, which a non-root PATH may lack. Appended, so that
# commands earlier on PATH win.
PATH="$PATH:/usr/local/sbin:/usr/sbin:/sbin"
export PATH

# ROOT as a physical absolute path ("" stands for /, so that "$root$path" is the real path).
if [ -n "$root" ]; then
  [ -d "$root" ] || die "-r $root: not a directory"
  root=$(cd -P -- "$root" && pwd -P) || die "-r $root: cannot enter it"
  [ "$root" = "/" ] && root=""
fi

if [ -z "$outdir" ]; then
  host=$(hostname 2>/dev/null || uname -n)
  [ -n "$host" ] || die "cannot tell the host name; give -o OUTDIR"
  outdir="./$host"
fi
if [ -e "$outdir" ]; then
  [ -d "$outdir" ] || die "-o $outdir: exists and is not a directory"
  # Refuse to mix two collections: a stale file from an earlier run would be checked as this host's.
  if [ -n "$(ls -A -- "$outdir")" ]; then
    die "-o $outdir: the directory is not empty; remove it or choose another"
  fi
fi
# Key and password files are never copied, but a configuration line can still hold one (`crypto pw`
# written inline), so the dump is private to its owner.
umask 077
mkdir -p -- "$outdir"
if [ "$read_live" -eq 0 ]; then
  note "-r $root: recording only files below it; the live state of this machine (iptables-save, ip6tables-save, iptables -V, ntpd --version, chronyd -v) is not read (-L reads it when ROOT is this machine's root)"
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/$prog.XXXXXX")
trap 'rm -rf -- "$work"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

collected=0

# The physical path of an existing file, symbolic links resolved (prints nothing when it cannot).
physical_path() {
  if command -v realpath >/dev/null 2>&1; then
    realpath -- "$1" 2>/dev/null || true
  elif readlink -f / >/dev/null 2>&1; then
    readlink -f -- "$1" 2>/dev/null || true
  elif [ ! -L "$1" ]; then
    # Without realpath/readlink -f only the directory part can be resolved; a final link is refused.
    pp_dir=$(cd -P -- "$(dirname -- "$1")" 2>/dev/null && pwd -P) || return 0
    printf '%s/%s\n' "${pp_dir%/}" "$(basename -- "$1")"
  fi
}

# True when the host file at virtual path $1 (absolute, below ROOT) really lies inside ROOT.
inside_root() {
  [ -z "$root" ] && return 0
  ir_real=$(physical_path "$root$1")
  case "$ir_real" in
    "$root" | "$root"/*) return 0 ;;
    *) return 1 ;;
  esac
}

# Lexically normalise include path $1 against directory $2 (both absolute virtual paths for $2).
# Prints the normalised absolute path, or nothing when `..` climbs above the root (the checker does the
# same: docs/host-dump.md).
resolve_include() {
  case "$1" in
    /*) ri_joined="$1" ;;
    *) ri_joined="$2/$1" ;;
  esac
  printf '%s\n' "$ri_joined" | awk -F/ '{
    n = 0
    for (i = 1; i <= NF; i++) {
      if ($i == "" || $i == ".") continue
      if ($i == "..") { if (n == 0) exit 1; n--; continue }
      part[++n] = $i
    }
    out = ""
    for (i = 1; i <= n; i++) out = out "/" part[i]
    print (out == "" ? "/" : out)
  }' || true
}

# The includefile arguments of ntp.conf file $1, one per line (quotes removed, comments ignored).
include_args() {
  awk '{
    sub(/\r$/, "")
    if ($0 !~ /^[ \t]*includefile[ \t]/) next
    line = $0
    sub(/^[ \t]*includefile[ \t]+/, "", line)
    if (substr(line, 1, 1) == "\"") {
      line = substr(line, 2)
      q = index(line, "\"")
      if (q > 0) line = substr(line, 1, q - 1)
    } else {
      sub(/[ \t#].*$/, "", line)
    }
    if (line != "") print line
  }' "$1"
}

# Does virtual path $1 name a key or password file (by its name: crypto/pw, keys, ntp.keys, *.key, …)?
is_key_file() {
  case "$1" in
    */crypto/* | */pw | *.pw | */keys | *.keys | *.key | *.pem | */ntskey* | *passw* | *secret*) return 0 ;;
    *) return 1 ;;
  esac
}

# Record key file at virtual path $1 in key-files (mode, numeric owner, size, path), never its contents.
record_key_file() {
  grep -Fqx -- "$1" "$work/keys-seen" 2>/dev/null && return 0
  printf '%s\n' "$1" >>"$work/keys-seen"
  if [ ! -e "$root$1" ]; then
    note "key file $1 is named by the configuration but does not exist"
    return 0
  fi
  # ls -lnd: numeric owner, so that a root filesystem image is not described with this machine's names.
  # shellcheck disable=SC2012
  ls -lnd -- "$root$1" 2>/dev/null | awk -v path="$1" '{ print $1, $3 ":" $4, $5, path; exit }' >>"$outdir/key-files" || true
  note "$1: key file, not copied (recorded in key-files)"
}

# Key files named by directive lines of config file $1: `keys PATH` (ntpd), `keyfile PATH` and
# `ntsserverkey PATH` (chrony). One path per line.
key_directives() {
  awk '{
    sub(/\r$/, "")
    if ($1 == "keys" || $1 == "keyfile" || $1 == "ntsserverkey") {
      if ($2 != "" && substr($2, 1, 1) != "#") { p = $2; gsub(/"/, "", p); print p }
    }
  }' "$1"
}

# Copy host file at virtual path $1 to the same path below OUTDIR.
copy_file() {
  cf_dest="$outdir$1"
  mkdir -p -- "$(dirname -- "$cf_dest")"
  cat -- "$root$1" >"$cf_dest"
}

# A configuration and the files it reads, breadth first, one level at a time, so that each file is reached at
# its shallowest level: `walk_config NAME FIRST VISIT` runs `VISIT FILE LEVEL` for FIRST (level 0) and for every
# file a visit prints (the files it copied that are read like FIRST, at the next level). A visit skips what the
# walk has already seen (`already_seen NAME TARGET`) and marks what it takes up (`mark_seen NAME TARGET`).
walk_config() {
  printf '%s\n' "$2" >"$work/$1-seen"
  printf '%s\n' "$2" >"$work/$1-level"
  level=0
  while [ -s "$work/$1-level" ]; do
    : >"$work/$1-next"
    while IFS= read -r file; do
      "$3" "$file" "$level" >>"$work/$1-next"
    done <"$work/$1-level"
    mv -- "$work/$1-next" "$work/$1-level"
    level=$((level + 1))
  done
}

already_seen() {
  grep -Fqx -- "$2" "$work/$1-seen"
}

mark_seen() {
  printf '%s\n' "$2" >>"$work/$1-seen"
}

# Record the key files configuration file $1 names, relative paths taken from directory $2.
record_named_keys() {
  key_directives "$root$1" >"$work/keys" || true
  while IFS= read -r rk_arg; do
    rk_target=$(resolve_include "$rk_arg" "$2")
    [ -n "$rk_target" ] && record_key_file "$rk_target"
  done <"$work/keys"
}

# --- collected-at ------------------------------------------------------------------------------------
date -u +%Y-%m-%dT%H:%M:%SZ >"$outdir/collected-at"

# --- ntp-version ---------------------------------------------------------------------------------
version=""
if [ "$read_live" -eq 0 ]; then
  :
elif command -v ntpd >/dev/null 2>&1; then
  version=$(ntpd --version 2>/dev/null </dev/null | head -n 1) || true
fi
if [ "$read_live" -eq 1 ] && [ -z "$version" ] && command -v ntpq >/dev/null 2>&1; then
  version=$(ntpq -c version 2>/dev/null </dev/null | head -n 1) || true
fi
if [ -n "$version" ]; then
  printf '%s\n' "$version" >"$outdir/ntp-version"
elif [ "$read_live" -eq 1 ]; then
  note "no ntp-version: neither \`ntpd --version\` nor \`ntpq -c version\` answered"
fi

# One ntp.conf file of the walk: record the key files it names, copy the files it includes (printed).
visit_ntp_file() {
  vn_dir=$(dirname -- "$1")
  record_named_keys "$1" "$vn_dir"
  include_args "$root$1" >"$work/args" || true
  while IFS= read -r arg; do
    target=$(resolve_include "$arg" "$vn_dir")
    if [ -z "$target" ]; then
      note "$1: includefile $arg leaves the root; not followed"
      continue
    fi
    already_seen ntp "$target" && continue
    if [ "$(($2 + 1))" -gt "$MAX_INCLUDE_LEVEL" ]; then
      note "$1: includefile $arg is nested deeper than $MAX_INCLUDE_LEVEL levels; not followed"
      continue
    fi
    mark_seen ntp "$target"
    if is_key_file "$target"; then
      record_key_file "$target"
    elif [ -d "$root$target" ]; then
      note "$1: includefile $arg is a directory; not copied"
    elif [ ! -e "$root$target" ]; then
      note "$1: includefile $arg: $target does not exist"
    elif [ ! -f "$root$target" ]; then
      note "$1: includefile $arg: $target is not a regular file; not copied"
    elif ! inside_root "$target"; then
      note "$1: includefile $arg: $target is a symbolic link that leads outside $root; not copied"
    elif ! copy_file "$target"; then
      note "$1: includefile $arg: $target cannot be read; not copied"
    else
      printf '%s\n' "$target"
    fi
  done <"$work/args"
}

# --- ntp.conf and its includes ----------------------------------------------------------------------
# The path the daemon reads: ntpsec's own when the daemon is ntpsec, else the classic one.
# Without the daemon's version (-r), an installed ntpsec package in ROOT says the same.
ntpsec_installed=0
for marker in /usr/share/doc/ntpsec /lib/systemd/system/ntpsec.service /usr/lib/systemd/system/ntpsec.service; do
  [ -e "$root$marker" ] && ntpsec_installed=1
done
case "$version:$ntpsec_installed" in
  *ntpsec*:* | :1) candidates="/etc/ntpsec/ntp.conf /etc/ntp.conf" ;;
  *) candidates="/etc/ntp.conf /etc/ntpsec/ntp.conf" ;;
esac
conf=""
for c in $candidates; do
  if [ -f "$root$c" ]; then
    conf="$c"
    break
  fi
done

if [ -z "$conf" ]; then
  note "no ntp.conf: neither ${root}/etc/ntp.conf nor ${root}/etc/ntpsec/ntp.conf is a file"
elif ! inside_root "$conf"; then
  note "$conf is a symbolic link that leads outside $root; not copied"
elif ! copy_file "$conf"; then
  note "$conf: cannot be read; not copied"
else
  collected=1
  # ntpd reads a file included at level 5 at most; the main file is level 0.
  walk_config ntp "$conf" visit_ntp_file
fi

# --- chrony: chrony.conf and what it reads, the service options, chronyd -v ---------------------------
CHRONY_MAX_INCLUDE_LEVEL=10

# The arguments of chrony.conf file $1 that name more files, one `DIRECTIVE ARG` per line: `include
# PATTERN`, every directory of `confdir DIR…` and `sourcedir DIR…`. chronyd reads directive names in any case.
chrony_file_args() {
  awk '{
    sub(/\r$/, "")
    d = tolower($1)
    if (d == "include" && $2 != "") print "include", $2
    if (d == "confdir" || d == "sourcedir") for (i = 2; i <= NF && substr($i, 1, 1) != "#"; i++) print d, $i
  }' "$1"
}

# Copy chrony file at virtual path $1 (named by $2 in $3) unless it is a key file, a non-file or leaves
# ROOT; prints the path when it was copied.
copy_chrony_file() {
  if is_key_file "$1"; then
    record_key_file "$1"
  elif [ ! -f "$root$1" ]; then
    note "$3: $2: $1 is not a regular file; not copied"
  elif ! inside_root "$1"; then
    note "$3: $2: $1 is a symbolic link that leads outside $root; not copied"
  elif ! copy_file "$1"; then
    note "$3: $2: $1 cannot be read; not copied"
  else
    printf '%s\n' "$1"
  fi
}

# One chrony.conf file of the walk: record the key files it names, copy the files its include, confdir and
# sourcedir lines name (printed, except *.sources files, which hold server lines only).
visit_chrony_file() {
  vc_file=$1
  vc_level=$2
  # chronyd opens relative paths from its working directory, /.
  record_named_keys "$vc_file" "/"
  chrony_file_args "$root$vc_file" >"$work/chrony-args" || true
  while read -r directive arg; do
    dir=$(resolve_include "$arg" "/")
    if [ -z "$dir" ]; then
      note "$vc_file: $directive $arg leaves the root; not followed"
      continue
    fi
    case "$directive" in
      include) pattern="$dir" ;;
      confdir) pattern="$dir/*.conf" ;;
      *) pattern="$dir/*.sources" ;;
    esac
    if [ "$directive" = include ] && [ "$((vc_level + 1))" -ge "$CHRONY_MAX_INCLUDE_LEVEL" ]; then
      note "$vc_file: include $arg is nested deeper than chronyd reads; not followed"
      continue
    fi
    # The shell expands the pattern below ROOT (chronyd uses glob(3)); no match leaves it as written.
    # shellcheck disable=SC2086
    set -- $root$pattern
    for match in "$@"; do
      [ -e "$match" ] || [ -L "$match" ] || continue
      target=${match#"$root"}
      already_seen chrony "$target" && continue
      mark_seen chrony "$target"
      copied=$(copy_chrony_file "$target" "$directive $arg" "$vc_file")
      # Include and confdir files are read as chrony.conf.
      [ -n "$copied" ] && [ "$directive" != sourcedir ] && printf '%s\n' "$copied"
    done
  done <"$work/chrony-args"
}

chrony_conf=""
for c in /etc/chrony/chrony.conf /etc/chrony.conf; do
  if [ -f "$root$c" ]; then
    chrony_conf="$c"
    break
  fi
done
if [ -z "$chrony_conf" ]; then
  :
elif ! inside_root "$chrony_conf"; then
  note "$chrony_conf is a symbolic link that leads outside $root; not copied"
elif ! copy_file "$chrony_conf"; then
  note "$chrony_conf: cannot be read; not copied"
else
  collected=1
  walk_config chrony "$chrony_conf" visit_chrony_file
fi

# chronyd's command-line options as its service reads them (-u USER, -4/-6, -F, -f FILE …).
for options in /etc/sysconfig/chronyd /etc/default/chrony; do
  if [ -f "$root$options" ]; then
    if ! inside_root "$options"; then
      note "$options is a symbolic link that leads outside $root; not copied"
    elif ! copy_file "$options"; then
      note "$options: cannot be read; not copied"
    fi
    break
  fi
done

if [ "$read_live" -eq 1 ] && [ -n "$chrony_conf" ] && command -v chronyd >/dev/null 2>&1; then
  chrony_version=$(chronyd -v 2>/dev/null </dev/null | head -n 1) || true
  if [ -n "$chrony_version" ]; then
    printf '%s\n' "$chrony_version" >"$outdir/chrony-version"
  else
    note "chronyd -v printed nothing; no chrony-version in the dump"
  fi
fi

# --- firewall ----------------------------------------------------------------------------------------
dump_firewall() {
  df_cmd="$1"
  df_out="$outdir/$1"
  if ! command -v "$df_cmd" >/dev/null 2>&1; then
    note "$df_cmd: command not found; no $df_cmd in the dump"
    return 0
  fi
  if "$df_cmd" >"$df_out" 2>"$work/err" </dev/null; then
    # No table at all (comments only): what iptables-save prints when the firewall is nftables or
    # firewalld. That is no evidence about the firewall, so no file that a check would read as one.
    if grep -q '^[*]' "$df_out"; then
      collected=1
    else
      rm -f -- "$df_out"
      note "$df_cmd printed no iptables table (the firewall, if any, is nftables or firewalld: \`nft list ruleset\` shows it); no $df_cmd in the dump"
    fi
  else
    df_status=$?
    rm -f -- "$df_out"
    note "$df_cmd failed (exit $df_status): $(head -n 1 "$work/err"); no $df_cmd in the dump"
  fi
}

if [ "$skip_firewall" -eq 1 ]; then
  note "-n: firewall not collected"
elif [ "$read_live" -eq 1 ]; then
  dump_firewall iptables-save
  dump_firewall ip6tables-save
  # The backend decides which lines iptables-restore accepts (legacy and nf_tables differ).
  if command -v iptables >/dev/null 2>&1; then
    iptables_version=$(iptables -V 2>/dev/null </dev/null | head -n 1) || true
    if [ -n "$iptables_version" ]; then
      printf '%s\n' "$iptables_version" >"$outdir/iptables-version"
    else
      note "iptables -V printed nothing; no iptables-version in the dump"
    fi
  else
    note "iptables: command not found; no iptables-version in the dump"
  fi
fi

# --- nftables --------------------------------------------------------------------------------------------
# `nft list ruleset` shows every table, whoever made it (nft, firewalld, iptables-nft); an output
# without a table is no evidence, so no file is written for it.
dump_nft() {
  dn_out="$outdir/$1"
  shift
  if nft "$@" >"$dn_out" 2>"$work/err" </dev/null; then
    if grep -q "$NFT_TABLE_PATTERN" "$dn_out"; then
      collected=1
    else
      rm -f -- "$dn_out"
      note "nft $* printed no table; no $(basename -- "$dn_out") in the dump"
    fi
  else
    dn_status=$?
    rm -f -- "$dn_out"
    note "nft $* failed (exit $dn_status): $(head -n 1 "$work/err"); no $(basename -- "$dn_out") in the dump"
  fi
}

# The include arguments of nft file $1, one per line (quotes removed, comments ignored).
nft_include_args() {
  awk '{
    sub(/\r$/, "")
    if ($0 !~ /^[ \t]*include[ \t]+"/) next
    line = $0
    sub(/^[ \t]*include[ \t]+"/, "", line)
    q = index(line, "\"")
    if (q > 0) print substr(line, 1, q - 1)
  }' "$1"
}

# With -r: the configuration nftables loads at boot, and what it includes (globs expanded below ROOT).
copy_nft_config() {
  for cn_conf in /etc/nftables.conf /etc/sysconfig/nftables.conf; do
    [ -f "$root$cn_conf" ] || continue
    if ! inside_root "$cn_conf"; then
      note "$cn_conf is a symbolic link that leads outside $root; not copied"
      continue
    fi
    if ! grep -q '[^[:space:]]' "$root$cn_conf"; then
      note "$cn_conf is empty; not copied (no evidence)"
      continue
    fi
    copy_file "$cn_conf" || { note "$cn_conf: cannot be read; not copied"; continue; }
    collected=1
    printf '%s\n' "$cn_conf" >"$work/nft-seen"
    printf '%s\n' "$cn_conf" >"$work/nft-level"
    cn_level=0
    while [ -s "$work/nft-level" ] && [ "$cn_level" -lt 16 ]; do
      : >"$work/nft-next"
      while IFS= read -r cn_file; do
        nft_include_args "$root$cn_file" >"$work/nft-args" || true
        while IFS= read -r cn_arg; do
          cn_target=$(resolve_include "$cn_arg" /etc)
          if [ -z "$cn_target" ]; then
            note "$cn_file: include $cn_arg leaves the root; not followed"
            continue
          fi
          # A glob is expanded below ROOT (a pattern that matches nothing stays as written and is skipped).
          for cn_path in $root$cn_target; do
            cn_virtual=${cn_path#"$root"}
            [ -f "$cn_path" ] || { case "$cn_target" in *[*?[]*) ;; *) note "$cn_file: include $cn_arg: $cn_target is not a file";; esac; continue; }
            grep -Fqx -- "$cn_virtual" "$work/nft-seen" && continue
            printf '%s\n' "$cn_virtual" >>"$work/nft-seen"
            if ! inside_root "$cn_virtual"; then
              note "$cn_file: include $cn_arg: $cn_virtual is a symbolic link that leads outside $root; not copied"
            elif ! copy_file "$cn_virtual"; then
              note "$cn_file: include $cn_arg: $cn_virtual cannot be read; not copied"
            else
              printf '%s\n' "$cn_virtual" >>"$work/nft-next"
            fi
          done
        done <"$work/nft-args"
      done <"$work/nft-level"
      mv -- "$work/nft-next" "$work/nft-level"
      cn_level=$((cn_level + 1))
    done
    return 0
  done
}

NFT_TABLE_PATTERN='^table \|"table"'
if [ "$skip_firewall" -eq 1 ]; then
  :
elif [ "$read_live" -eq 1 ]; then
  if command -v nft >/dev/null 2>&1; then
    dump_nft nft-ruleset list ruleset
    dump_nft nft-ruleset.json -j list ruleset
  else
    note "nft: command not found; no nft-ruleset in the dump"
  fi
else
  copy_nft_config
fi

if [ "$collected" -eq 0 ]; then
  printf '%s: nothing collected into %s (no ntp.conf, no chrony.conf, no firewall dump)\n' "$prog" "$outdir" >&2
  exit 1
fi
printf '%s: wrote %s\n' "$prog" "$outdir" >&2
