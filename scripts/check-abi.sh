#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The ABI check: compares the binary interface of the built libqloki and libqlokireceiver,
# as their public headers declare it, with the baseline of the last release in abi/.
#
#   scripts/check-abi.sh [BUILD_DIR]            compare (BUILD_DIR defaults to build)
#   scripts/check-abi.sh --update [BUILD_DIR]   write abi/ from this build (at a release)
#
# Fails when a library is binary incompatible with its baseline while its soname is still
# the baseline's, and when the soname moved (a new major version) while the baseline still
# names the old one: moving the soname means committing a new baseline with --update.
# Dumps come from abi-dumper (debug information of a RelWithDebInfo build, public headers
# only, sorted) and are compared by abi-compliance-checker; the same compiler on the same
# Debian gives the same verdict, so a differing compiler is pointed out. Reports stay in
# BUILD_DIR/abi-check/.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
update=
if [ "${1:-}" = --update ]; then
    update=1
    shift
fi
build_dir=$(cd "${1:-$here/build}" && pwd)
baseline_dir=$here/abi
work=$build_dir/abi-check
mkdir -p "$work"

fail() {
    echo "check-abi: $*" >&2
    exit 1
}

for tool in abi-dumper abi-compliance-checker readelf; do
    command -v "$tool" >/dev/null \
        || fail "$tool is missing (Debian: abi-dumper, abi-compliance-checker, binutils)"
done

# soname <library file>: the SONAME recorded in its dynamic section.
soname() {
    readelf -d "$1" | sed -n 's/.*(SONAME).*\[\(.*\)\]/\1/p'
}

# dump_field <dump.gz> <key>: a top-level value of an abi-dumper dump (a Perl structure).
dump_field() {
    gzip -dc "$1" | sed -n "s/^          '$2' => '\(.*\)',\$/\1/p" | head -n 1
}

# dump <name> <library symlink> <header directories...>: writes $work/<name>.dump(.gz).
dump() {
    local name=$1 link=$2
    shift 2
    local library dump=$work/$name.dump
    library=$(readlink -f "$link")
    # Public headers only: the list is what an installed package holds.
    find "$@" -maxdepth 1 -name '*.h' | LC_ALL=C sort >"$work/$name.headers"
    timeout 1200 abi-dumper "$library" -o "$dump" -lver "${library##*.so.}" \
        -public-headers "$work/$name.headers" -sort -quiet >"$work/$name.dump.log" 2>&1 \
        || { cat "$work/$name.dump.log" >&2; fail "abi-dumper failed on $library"; }
    gzip -9 -n -k -f "$dump"
}

# check <name> <library symlink>: the dump of this build against abi/<name>.dump.gz.
check() {
    local name=$1 library
    library=$(readlink -f "$2")
    local baseline=$baseline_dir/$name.dump.gz dump=$work/$name.dump
    local so version=${library##*.so.}
    so=$(soname "$library")

    if [ -n "$update" ]; then
        mkdir -p "$baseline_dir"
        cp "$dump.gz" "$baseline"
        echo "check-abi: $name: baseline of $so ($version) written to abi/$name.dump.gz"
        return 0
    fi

    [ -f "$baseline" ] \
        || fail "$name: no baseline abi/$name.dump.gz; write it with scripts/check-abi.sh --update"
    local base_library base_so base_version base_gcc gcc
    base_library=$(dump_field "$baseline" LibraryName)
    base_version=$(dump_field "$baseline" LibraryVersion)
    base_so=$base_library
    [[ $base_library =~ ^(.*\.so\.[0-9]+) ]] && base_so=${BASH_REMATCH[1]}
    base_gcc=$(dump_field "$baseline" GccVersion)
    gcc=$(dump_field "$dump.gz" GccVersion)
    echo "check-abi: $name: $so ($version) against the baseline $base_so ($base_version)"
    if [ "$base_gcc" != "$gcc" ]; then
        echo "check-abi: note: the baseline was dumped from a GCC $base_gcc build, this one" \
            "from GCC $gcc; the verdict is only reproducible with the same compiler"
    fi
    if [ "$base_so" != "$so" ]; then
        fail "$name: the build's soname is $so but the baseline's is $base_so: a new major" \
            "version needs its own baseline; run scripts/check-abi.sh --update and commit abi/"
    fi

    gzip -dc "$baseline" >"$work/$name.baseline.dump"
    local status=0
    timeout 300 abi-compliance-checker -l "$name" -old "$work/$name.baseline.dump" -new "$dump" \
        -binary -report-path "$work/$name-report.html" >"$work/$name.compare.log" 2>&1 \
        || status=$?
    if [ "$status" -eq 1 ]; then
        timeout 300 abi-compliance-checker -l "$name" -old "$work/$name.baseline.dump" -new "$dump" \
            -binary -report-format xml -report-path "$work/$name-report.xml" >/dev/null 2>&1 \
            || true
    fi
    # The verdict and, when there are problems, each of them in a line.
    grep -E '^(Binary compatibility|Total binary compatibility problems)' "$work/$name.compare.log" \
        | sed "s/^/check-abi: $name: /" || true
    if [ "$status" -eq 1 ]; then
        problems "$work/$name-report.xml" | sed "s/^/check-abi: $name:   /"
        fail "$name is binary incompatible with $base_version while its soname stays $so:" \
            "keep the ABI, or move to the next major version (project VERSION) and commit a" \
            "new baseline with it (report: $work/$name-report.html)"
    elif [ "$status" -ne 0 ]; then
        cat "$work/$name.compare.log" >&2
        fail "abi-compliance-checker failed on $name ($status)"
    fi
}

# problems <report.xml>: each problem of an abi-compliance-checker XML report in a line,
# with demangled names: "severity: where: what changed".
problems() {
    awk '
        function attr(line, key,    m) {
            if (match(line, key "=\"[^\"]*\"")) {
                m = substr(line, RSTART + length(key) + 2, RLENGTH - length(key) - 3)
                return m
            }
            return ""
        }
        /<removed_symbols>/ { section = "removed" }
        /<\/removed_symbols>/ { section = "" }
        /<problems_with_(types|symbols)/ { section = "problems"; severity = attr($0, "severity") }
        /<\/problems_with_(types|symbols)>/ { section = "" }
        /<affected>/ { affected = 1 }
        /<\/affected>/ { affected = 0 }
        section == "removed" && /<name>/ {
            gsub(/.*<name>|<\/name>.*/, ""); print "High: removed symbol " $0
        }
        section == "problems" && !affected && /<type name=/ { where = "type " attr($0, "name") }
        section == "problems" && !affected && /<symbol name=/ { where = attr($0, "name") }
        section == "problems" && /<change/ {
            text = $0
            sub(/.*<change[^>]*>/, "", text); sub(/<\/change>.*/, "", text)
            rest = $0
            while (match(rest, /[a-z_]+="[^"]*"/)) {
                pair = substr(rest, RSTART, RLENGTH); rest = substr(rest, RSTART + RLENGTH)
                key = pair; sub(/=.*/, "", key)
                value = pair; sub(/^[^"]*"/, "", value); sub(/"$/, "", value)
                if (key ~ /_size$/ && value ~ /^[0-9]+$/) value = (value / 8) " bytes"
                gsub("@" key, value, text)
            }
            gsub(/&lt;/, "<", text); gsub(/&gt;/, ">", text); gsub(/&amp;/, "\\&", text)
            print severity ": " where ": " text
        }
    ' "$1" | c++filt
}

# The libraries of this build with their public header directories (source, generated).
names=(qloki)
links=("$build_dir/lib/libqloki.so")
sources=("$here/lib/include/QLoki")
generated=("$build_dir/lib/include/QLoki")
if [ -e "$build_dir/lib/receiver/libqlokireceiver.so" ]; then
    names+=(qlokireceiver)
    links+=("$build_dir/lib/receiver/libqlokireceiver.so")
    sources+=("$here/lib/receiver/include/QLokiReceiver")
    generated+=("$build_dir/lib/receiver/include/QLokiReceiver")
fi
[ -e "${links[0]}" ] || fail "${links[0]} is not built"

# The dumps take a minute or two each (abi-dumper reads all the debug information): both at once.
pids=()
for i in "${!names[@]}"; do
    dump "${names[$i]}" "${links[$i]}" "${sources[$i]}" "${generated[$i]}" &
    pids+=($!)
done
for pid in "${pids[@]}"; do
    wait "$pid" || exit 1
done
for i in "${!names[@]}"; do
    check "${names[$i]}" "${links[$i]}"
done
[ -n "$update" ] || echo "check-abi: compatible"
