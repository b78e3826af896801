#!/usr/bin/env bash
# Prints the JVM options for the Spark JVMs the tests start (packages/spark-runner's localSpark()
# passes them as SPARK_SUBMIT_OPTS and spark.executor.extraJavaOptions). Usage:
# spark-test-jvm.sh SPARK_SUBMIT (the spark-submit of .cache/venv-python, see python-venv.sh).
#
# The tests' JVMs live seconds and do little work; most of their CPU is class loading and the JIT
# compiling code it runs a few times. So: the C1 compiler only (-XX:TieredStopAtLevel=1), the
# serial collector, and an application class-data archive (CDS) of the classes a small Spark job
# loads, made once (-XX:ArchiveClassesAtExit, about 25 CPU seconds) and kept beside the venv
# cache ($PLEXUS_VENV_CACHE, default ~/.cache/plexus/venvs; in .cache/ when that is empty), named
# by the Java, the pyspark jars and the warm-up job, so a new Java or pyspark makes a new one. If
# it cannot be made, the options come without it (the tests run, only slower), and a
# `.failed` file beside it with the log stops every test file from trying again.
# The key also names the spark-submit path: the JVM records the jars' paths in the archive and
# refuses it under another classpath (a checkout elsewhere gets its own archive, not an unusable one).
# A `.bin` file beside each archive names that path; making an archive removes those whose path
# no longer exists.
#
# A JVM dies with SIGBUS when it maps an archive shorter than its header says (a truncated copy),
# so: the archive is written to a temporary file in the cache folder, synced, tried, and renamed
# (never seen half-written); a `.ok` stamp beside it records its size, time and inode once a JVM
# has started with it; an archive that does not match its stamp is tried again
# (`java -XX:SharedArchiveFile=... -version`), and one a JVM cannot start with is removed and made
# again.
# PLEXUS_TEST_SPARK_JAVA_OPTIONS, when set (even empty), is printed instead: the options to use.
set -euo pipefail
if [ -n "${PLEXUS_TEST_SPARK_JAVA_OPTIONS+set}" ]; then
  printf '%s\n' "$PLEXUS_TEST_SPARK_JAVA_OPTIONS"
  exit 0
fi
root="$(cd "$(dirname "$0")/.." && pwd)"
submit="$1"
options="-XX:TieredStopAtLevel=1 -XX:+UseSerialGC"
java="${JAVA_HOME:+$JAVA_HOME/bin/java}"
java="${java:-$(command -v java || true)}"
jars="$(dirname "$(readlink -f "$submit")")/../jars"
[ -d "$jars" ] || jars="$(dirname "$submit")/../lib/python3*/site-packages/pyspark/jars"
if [ -z "$java" ] || ! compgen -G "$jars" >/dev/null; then
  printf '%s\n' "$options" # no Java or no pyspark jars here: nothing to archive
  exit 0
fi
jars=$(compgen -G "$jars" | head -1)
# From here, any failure (no flock or sha256sum, as on macOS; a cache folder it cannot write; a
# failed move) gives the options without an archive, never a failed script (localSpark throws).
trap 'echo "spark-test-jvm.sh: no class archive (a step failed); Spark tests run without it" >&2; printf "%s\n" "$options"; exit 0' ERR
user_cache="${XDG_CACHE_HOME:-${HOME:+$HOME/.cache}}"
cache="${PLEXUS_VENV_CACHE-${user_cache:+$user_cache/plexus/venvs}}"
cache="${cache:-$root/.cache}"
warmup="$root/scripts/spark-cds-warmup.py"
bin=$(cd "$(dirname "$submit")" && pwd) # absolute, symbolic links kept (as the venv's Python has it)
key=$({
  readlink -f "$java"
  "$java" -version 2>&1
  echo "$bin" # the jars' path as Spark's classpath names them
  ls -l "$jars"
  cat "$warmup"
  echo "$options"
} | sha256sum | cut -c1-16)
archive="$cache/spark-cds-$key.jsa"
mkdir -p "$cache"
# Whether a JVM starts with the archive (a truncated one dies of SIGBUS while mapping it).
starts() {
  ("$java" $options -XX:SharedArchiveFile="$1" -XX:ErrorFile=/dev/null -XX:-CreateCoredumpOnCrash \
    -version) >/dev/null 2>&1
}
stamp() { stat -c '%s %Y %i' "$1"; }
exec 9>"$archive.lock"
flock 9
if [ -e "$archive" ] && [ "$(cat "$archive.ok" 2>/dev/null || true)" != "$(stamp "$archive")" ]; then
  if [ -s "$archive" ] && starts "$archive"; then
    stamp "$archive" >"$archive.ok"
  else
    echo "spark-test-jvm.sh: $archive is damaged (a JVM cannot start with it); making it again" >&2
    rm -f "$archive" "$archive.ok"
  fi
fi
if [ ! -e "$archive" ] && [ ! -f "$archive.failed" ]; then
  scratch=$(mktemp -d)
  partial="$archive.$$.tmp" # in the cache folder: the rename below is atomic
  trap 'rm -rf "$scratch" "$partial"' EXIT
  if SPARK_SUBMIT_OPTS="$options -XX:ArchiveClassesAtExit=$scratch/classes.jsa" \
    SPARK_LOCAL_IP=127.0.0.1 PYSPARK_PYTHON="$(dirname "$submit")/python" \
    "$submit" --master 'local[2]' --conf spark.ui.enabled=false "$warmup" "$scratch" \
    >"$scratch/log" 2>&1 && [ -s "$scratch/classes.jsa" ] &&
    { starts "$scratch/classes.jsa" || ! echo "a JVM cannot start with the archive made" >>"$scratch/log"; }; then
    cp "$scratch/classes.jsa" "$partial"
    sync "$partial"
    mv -f "$partial" "$archive"
    stamp "$archive" >"$archive.ok"
    printf '%s\n' "$bin" >"$archive.bin"
    # One archive per checkout path (about 170 MB): those of venv paths that no longer exist (a
    # clone since deleted) are removed, unless a script holds their lock.
    for other in "$cache"/spark-cds-*.jsa.bin; do
      stale="${other%.bin}"
      if [ "$stale" != "$archive" ] && [ -f "$other" ] && [ ! -d "$(cat "$other")" ]; then
        (flock -n 8 && rm -f "$stale" "$stale.ok" "$stale.bin" "$stale.failed") 8>"$stale.lock" || true
      fi
    done
  else
    cp "$scratch/log" "$archive.failed"
    echo "spark-test-jvm.sh: no class archive (see $archive.failed); Spark's tests run without it" >&2
  fi
fi
if [ -s "$archive" ]; then
  printf '%s\n' "$options -XX:SharedArchiveFile=$archive"
else
  printf '%s\n' "$options"
fi
