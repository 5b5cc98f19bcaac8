#!/usr/bin/env bash
# Seed fuzz/corpus/<target>/ from the example vault and the shared corpus (corpora are not
# committed: libFuzzer grows them, and they are gitignored). Safe to re-run; it only adds files.
# Usage: fuzz/seed-corpora.sh [SHARED_CORPUS_DIR]   (default: ../shared/corpus beside the repo)
set -euo pipefail

fuzz_dir=$(cd "$(dirname "$0")" && pwd)
repo=$(dirname "$fuzz_dir")
shared=${1:-$repo/../shared/corpus}
corpus=$fuzz_dir/corpus

mkdir -p "$corpus"/{frontmatter,body,query,linkedin,edit,vcard}

# Copy each file as <prefix>-<n>: names only need to be unique.
seed() { # target prefix files...
    local target=$1 prefix=$2 n=0
    shift 2
    for f in "$@"; do
        [ -f "$f" ] || continue
        cp "$f" "$corpus/$target/$prefix-$n"
        n=$((n + 1))
    done
}

mapfile -t vault < <(find "$repo/example-vault" -name '*.md' | sort)
# alias-bomb.md is left out: serde-saphyr's budget stops it in 0.1 s in a release build, but
# under the sanitizers each parse takes seconds, which only slows the fuzzers down.
mapfile -t edge < <(find "$shared/edge" -name '*.md' ! -name alias-bomb.md 2>/dev/null | sort)
mapfile -t suite < <(find "$shared/yaml-suite" -name '*.md' 2>/dev/null | sort)

seed frontmatter vault "${vault[@]}"
seed frontmatter edge "${edge[@]}"
seed frontmatter suite "${suite[@]}"

seed body vault "${vault[@]}"
seed body edge "${edge[@]}"

seed linkedin export "$shared/linkedin/"*.csv
printf 'First Name,Last Name,URL,Email Address,Company,Position,Connected On\r\nJane,Doe,https://www.linkedin.com/in/jane,,"Acme, Inc",CEO,15 Mar 2021\r\n' \
    > "$corpus/linkedin/minimal"

seed vcard card "$shared/vcard/"*.vcf

# Queries from SPEC §5 and the unit tests.
n=0
while IFS= read -r q; do
    printf '%s' "$q" > "$corpus/query/q-$n"
    n=$((n + 1))
done <<'QUERIES'
jane acme
jose nunez
"a phrase" -word
a OR b (c NOT d)
org:"Pied Piper" tag:alumni
last:<2025-06-01
met:2024-01-01..2024-12-31
due:<=+2w follow_up:>=today
birthday:-30d..+30d
intro:"[[John Smith]]" status:active path:people/
x-y_z:value http://x.org
-(a OR b) OR -c
not not a
"say \"hi\" \\o/"
QUERIES

# Edits: byte 0 picks the edit (0 set, 1 remove, 2 log; +0x80 raw YAML value), then a
# `key<TAB>value` line, then the file.
n=0
for f in "${vault[@]}" "${edge[@]}"; do
    case $((n % 4)) in
        0) head=$'\x00follow_up\t2027-01-01' ;;
        1) head=$'\x01org\tx' ;;
        2) head=$'\x02x\tmet at the fair #info' ;;
        *) head=$'\x80tags\t[a, "b, c"]' ;;
    esac
    { printf '%s\n' "$head"; cat "$f"; } > "$corpus/edit/file-$n"
    n=$((n + 1))
done

for t in frontmatter body query linkedin edit vcard; do
    echo "$t: $(find "$corpus/$t" -type f | wc -l) seeds"
done
