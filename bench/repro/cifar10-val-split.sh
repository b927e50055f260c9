#!/usr/bin/env bash
# A validation layout of CIFAR-10 for choosing settings without the test split (README,
# Reproductions): train = data_batch_1..4, "test" = data_batch_5 (the other training images).
# The official test_batch.bin is not used. Files are symlinked, nothing is copied, and nothing in
# the source directory is written; data_batch_5.bin in the new directory is an empty file (the
# loader accepts any number of records per file).
#   bench/repro/cifar10-val-split.sh <dir with data_batch_1..5.bin> <new dir>
#   make bench SPEC=specs/rotation-curve/curve-p10k-e5.yaml DATA=<new dir> OUT=results/rotation-curve
# Exit 2 on bad input.
set -euo pipefail
fail() { echo "$0: $*" >&2; exit 2; }
[[ $# -eq 2 ]] || fail "usage: $0 <dir with data_batch_1..5.bin> <new dir>"
src=$(cd "$1" 2>/dev/null && pwd -P) || fail "$1 is not a directory"
[[ -f $src/data_batch_1.bin ]] || { [[ -f $src/cifar-10-batches-bin/data_batch_1.bin ]] && src=$src/cifar-10-batches-bin; }
record=3073   # 1 label byte + 3072 pixel bytes
for i in 1 2 3 4 5; do
    f=$src/data_batch_$i.bin
    [[ -f $f ]] || fail "$f not found (make data DATASET=cifar10 installs it)"
    size=$(stat -L -c %s "$f")
    (( size > 0 && size % record == 0 )) || fail "$f has $size bytes: not a non-empty whole number of $record-byte records (already a validation layout? use the original files)"
done
if [[ -e $2 && ! -d $2 ]]; then fail "$2 exists and is not a directory"; fi
mkdir -p "$2"
dst=$(cd "$2" && pwd -P)
[[ $dst != "$src" ]] || fail "the new directory must differ from the source ($src)"
for i in 1 2 3 4; do ln -sfn "$src/data_batch_$i.bin" "$dst/data_batch_$i.bin"; done
# rm first: a symlink left here must be replaced, never written through (it may point at a real file).
rm -f "$dst/data_batch_5.bin" "$dst/test_batch.bin"
: > "$dst/data_batch_5.bin"
ln -s "$src/data_batch_5.bin" "$dst/test_batch.bin"
train=0
for i in 1 2 3 4; do train=$(( train + $(stat -L -c %s "$src/data_batch_$i.bin") / record )); done
echo "wrote $dst: train = data_batch_1..4 of $src ($train images), test = its data_batch_5 ($(( $(stat -L -c %s "$src/data_batch_5.bin") / record )) training images)"
