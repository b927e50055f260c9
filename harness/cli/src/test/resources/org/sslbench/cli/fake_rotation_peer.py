#!/usr/bin/env python3
"""TEST DOUBLE of bench/peers/rotation_cifar10.py for ReproPeerTest: no torch, no training.

Reads the repro-peer config and writes each cell's output file in the documented format
(<out_dir>/out/<cell_hash>.json) with made-up accuracies that depend on method, seed and label
count. If <out_dir>/stop-after holds k, it exits 1 after k cells, as a stopped peer would.
"""
import hashlib
import json
import os
import sys

cfg = json.load(open(sys.argv[1]))
own = hashlib.sha256(open(os.path.abspath(__file__), "rb").read()).hexdigest()
stop_file = os.path.join(cfg["out_dir"], "stop-after")
stop = int(open(stop_file).read()) if os.path.exists(stop_file) else -1
done = 0
for g in cfg["groups"]:
    for c in g["cells"]:
        if done == stop:
            print("fake peer: stopping", flush=True)
            sys.exit(1)
        n, seed, rot = c["n_labels"], g["seed"], g["method"] == "rotation"
        final = 0.2 + 0.003 * n + 0.01 * seed * seed + (0.04 if rot else 0.0)
        row = {"format": 1, "cell_hash": c["cell_hash"], "pretext_hash": g["pretext_hash"], "method": g["method"],
               "seed": seed, "n_labels": n, "status": "ok", "detail": "", "test_accuracy": final,
               "max_test_accuracy": final + 0.02, "test_loss": 1.5,
               "evaluations": [{"epoch": 1, "test_accuracy": final + 0.02, "test_loss": 1.4},
                               {"epoch": 2, "test_accuracy": final, "test_loss": 1.5}],
               "downstream_epochs": c["finetune"]["epochs"],
               "pretext_epochs": g["pretext"]["epochs"] if g["pretext"] else 0,
               "pretext_loss": 1.2 if rot else None, "pretext_rotation_accuracy": 0.5 if rot else None,
               "pretext_seconds": 3.0 if rot else 0.0, "seconds": 2.0, "images_per_second": 100.0,
               "peer_sha256": own, "torch_version": "0.0-fake", "threads": 1}
        path = os.path.join(cfg["out_dir"], "out", c["cell_hash"] + ".json")
        with open(path + ".tmp", "w") as f:
            json.dump(row, f)
        os.replace(path + ".tmp", path)
        print(f"fake peer: {g['method']} seed {seed} n={n} done", flush=True)
        done += 1
