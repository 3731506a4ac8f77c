#!/bin/sh
# cct: this file is a shell prelude followed by cct's jar (zip readers skip the prelude), so it runs as it is.
# It picks a Java runtime (CCT_JAVA, JAVA_HOME, or java on PATH; a Java 25+ runtime under /usr/lib/jvm is
# preferred when the chosen one is older, for its AOT cache) and keeps a class-data archive per runtime and
# build in the user's cache, made once by a short training run, so that startup stays fast.
self=$0
case $self in */*) ;; *) self=$(command -v -- "$self") ;; esac

# Everything before exec is shell built-ins (no extra processes), because it runs on every start.
feature() { # sets $v to the feature version of the runtime whose bin/java is $1, read from its release file
  v=0
  [ -r "${1%/bin/java}/release" ] || return 0
  while IFS= read -r line; do
    case $line in JAVA_VERSION=\"*) line=${line#JAVA_VERSION=\"}; v=${line%%[!0-9]*}; [ -n "$v" ] || v=0; return 0 ;; esac
  done <"${1%/bin/java}/release"
}
java=
if [ -n "${CCT_JAVA:-}" ]; then java=$CCT_JAVA
elif [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ]; then java=$JAVA_HOME/bin/java
else
  for candidate in /usr/lib/jvm/*/bin/java; do
    if [ -x "$candidate" ]; then feature "$candidate"; if [ "$v" -ge 25 ]; then java=$candidate; break; fi; fi
  done
  [ -n "$java" ] || java=$(command -v java 2>/dev/null || true)
fi
if [ -z "$java" ] || [ ! -x "$java" ]; then
  echo "cct: no Java runtime found; install Java 17 or newer, or set JAVA_HOME" >&2
  exit 2
fi

feature "$java"; version=$v
[ "$version" -gt 0 ] || version=17   # a runtime without a release file: assume the oldest we support
if [ "${CCT_CDS:-1}" != 0 ]; then
  cache=${XDG_CACHE_HOME:-${HOME:-/tmp}/.cache}/cct/jvm
  archive=$cache/cct-$version-@BUILD_ID@
  if [ "$version" -ge 25 ]; then use=-XX:AOTCache=$archive.aot make=-XX:AOTCacheOutput=$archive.aot
  else use=-XX:SharedArchiveFile=$archive.jsa make=-XX:ArchiveClassesAtExit=$archive.jsa; fi
  file=${use#*=}
  if [ ! -f "$file" ] && [ ! -f "$file.failed" ] && mkdir -p "$cache" 2>/dev/null; then
    # Train into a private name and rename, so that parallel first runs never read a half-written archive.
    tmp=$file.$$.tmp
    if "$java" -XX:+UseSerialGC "${make%=*}=$tmp" -Xlog:disable -Xlog:all=off -jar "$self" train-startup >/dev/null 2>&1 && [ -f "$tmp" ]; then
      mv -f "$tmp" "$file"
      # Archives of earlier builds for this runtime are dead weight (tens of MB each).
      for old in "$cache/cct-$version-"*; do
        case $old in "$file"|*.tmp) ;; *) rm -f "$old" ;; esac
      done
    else
      rm -f "$tmp"; : >"$file.failed" 2>/dev/null
    fi
  fi
  if [ -f "$file" ]; then
    exec "$java" -XX:+UseSerialGC -XX:TieredStopAtLevel=1 "$use" -Xlog:disable -Xlog:all=off $CCT_JAVA_OPTS -jar "$self" "$@"
  fi
fi
exec "$java" -XX:+UseSerialGC -XX:TieredStopAtLevel=1 $CCT_JAVA_OPTS -jar "$self" "$@"
