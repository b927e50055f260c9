#!/usr/bin/env bash
# A validation layout of CIFAR-10 for choosing settings without the test split (README,
# Reproductions): train = data_batch_1..4 (40,000 images), "test" = data_batch_5 (the other
# 10,000 training images). The official test_batch.bin is not used. Files are symlinked, nothing
# is copied; data_batch_5.bin is an empty file (the loader accepts any number of records).
#   bench/repro/cifar10-val-split.sh <dir with data_batch_1..5.bin> <new dir>
#   make bench SPEC=specs/rotation-curve/curve-p10k-e5.yaml DATA=<new dir> OUT=results/rotation-curve
set -euo pipefail
if [[ $# -ne 2 ]]; then
    echo "usage: $0 <dir with data_batch_1..5.bin> <new dir>" >&2
    exit 2
fi
src=$(cd "$1" 2>/dev/null && pwd) || { echo "$0: $1 is not a directory" >&2; exit 2; }
[[ -f $src/data_batch_1.bin ]] || { [[ -f $src/cifar-10-batches-bin/data_batch_1.bin ]] && src=$src/cifar-10-batches-bin; }
for i in 1 2 3 4 5; do
    [[ -f $src/data_batch_$i.bin ]] || { echo "$0: $src/data_batch_$i.bin not found (make data DATASET=cifar10 installs it)" >&2; exit 2; }
done
mkdir -p "$2"
for i in 1 2 3 4; do ln -sfn "$src/data_batch_$i.bin" "$2/data_batch_$i.bin"; done
: > "$2/data_batch_5.bin"
ln -sfn "$src/data_batch_5.bin" "$2/test_batch.bin"
echo "wrote $2: train = data_batch_1..4 of $src (40,000 images), test = its data_batch_5 (10,000 training images)"
