#!/usr/bin/env bash
# Builds one libFuzzer target: Fuzz/build.sh xml|http|digest|json|rest → .build/fuzz/NAME-fuzz.
# The project modules a harness needs are compiled with coverage and AddressSanitizer into
# static libraries under .build/fuzz (plain swiftc, no SwiftPM, so package builds never need the
# fuzzer runtime). Run from anywhere; see Fuzz/README.md.
set -euo pipefail
cd "$(dirname "$0")/.."
name=${1:?usage: Fuzz/build.sh xml|http|digest|json|rest}
out=.build/fuzz
mkdir -p "$out/modules" "$out/CTetherABI"
flags=(-O -sanitize=fuzzer,address -parse-as-library -use-ld=lld -I "$out/modules" -I Sources/COpenSSL -I "$out/CTetherABI")

# module NAME SOURCES…: a static library plus its .swiftmodule, built with testability so a
# harness may reach the internal request types it fuzzes.
module() {
    local module=$1
    shift
    swiftc "${flags[@]}" -enable-testing -module-name "$module" -emit-library -static \
        -emit-module -emit-module-path "$out/modules/$module.swiftmodule" -o "$out/lib$module.a" "$@"
}

# CTetherABI is a header-only C module; SwiftPM generates its module map, so do the same here.
printf 'module CTetherABI {\n    header "%s"\n    export *\n}\n' "$PWD/Sources/CTetherABI/include/tether_plugin.h" \
    > "$out/CTetherABI/module.modulemap"

case $name in
xml | http | digest)
    module WSMan $(find Sources/WSMan -name '*.swift')
    libs=(-lWSMan -lssl -lcrypto)
    harness=(Fuzz/Harnesses/$(case $name in xml) echo XMLParser ;; http) echo HTTPResponse ;; digest) echo DigestChallenge ;; esac)Harness.swift)
    ;;
json)
    module TetherJSON Sources/TetherJSON/*.swift
    libs=(-lTetherJSON)
    harness=(Fuzz/Harnesses/JSONValueHarness.swift)
    ;;
rest)
    module TetherJSON Sources/TetherJSON/*.swift
    module TetherPluginKit Sources/TetherPluginKit/*.swift
    module FrontendRESTPlugin Plugins/FrontendREST/*.swift
    libs=(-lFrontendRESTPlugin -lTetherPluginKit -lTetherJSON)
    harness=(Fuzz/RESTRequest/RESTRequestHarness.swift)
    ;;
*)
    echo "unknown fuzz target '$name' (xml, http, digest, json, rest)" >&2
    exit 64
    ;;
esac
define=FUZZ_$(echo "$name" | tr a-z A-Z)
swiftc "${flags[@]}" -D "$define" -module-name "Fuzz$name" "${harness[@]}" Fuzz/Main/main.swift \
    -L "$out" "${libs[@]}" -o "$out/$name-fuzz"
echo "built $out/$name-fuzz"
