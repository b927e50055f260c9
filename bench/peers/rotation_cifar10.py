#!/usr/bin/env python3
"""Independent PyTorch peer of sslbench's rotation reproduction (`make repro-peer`).

Runs the protocol of a spec such as specs/rotation-cifar10-quick.yaml on the same CIFAR-10 binary
files, label subsets and pretext pool as sslbench, written from scratch in PyTorch so a fault in
one implementation shows up as a disagreement between the two:

* network: Keras resnet_v1 depth 20 (sslbench `resnet20`): 3x3 conv 16 (no bias) + BN + ReLU,
  3 stages x 3 basic blocks of 16/32/64 filters, stride 2 at the first block of stages 2 and 3,
  shortcut = 1x1 conv with bias and no BN, global average pooling -> 64 features. Convolutions pad
  as TensorFlow's 'SAME' (a stride-2 3x3 conv pads 0 before and 1 after, not 1 and 1 as
  PyTorch's padding=1). BatchNorm eps 1e-3, moving-average momentum `bn_momentum` of the block
  (Keras/TF convention: new = m * old + (1 - m) * batch; PyTorch's momentum is 1 - m), default
  0.9 as sslbench's Layers.BN_MOMENTUM.
* init (sslbench Init/Layers): conv kernels He normal, std sqrt(2 / (k*k*in)), not truncated;
  conv biases 0; BN gamma 1, beta 0, moving mean 0, variance 1; dense heads Glorot uniform,
  limit sqrt(6 / (in + out)), bias 0. Same distributions, not the same random numbers.
* inputs: uint8 / 255, augmented (shift: random integer translation of up to round(f * side)
  pixels per axis, edges repeated; hflip: probability 0.5), then minus the per-pixel mean of all
  training images (`pixel_mean`) or nothing (`none`).
* rotation pretext (RotNet): the augmented, normalised image rotated k quarter turns
  counter-clockwise (numpy.rot90), k uniform per image (`all_four: false`) or all four, image
  after image (`all_four: true`); a linear 64 -> 4 head, softmax cross-entropy. Pool = the train
  images listed in the pool file (sslbench's unlabeled_limit subset) or all; a fresh shuffle per
  epoch; batch = min(batch_size, pool); the last partial batch is dropped.
* fine-tune: the whole encoder (pretrained weights and BN statistics, or fresh for `supervised`)
  plus a new linear head on the label subset; batch = min(batch_size, n), a fresh shuffle per
  epoch, the last partial batch kept. BN trains on batch statistics and is scored with its moving
  statistics (eval mode). The test split is scored after the final epoch and after every epoch e
  with e % eval_every == 0 (1-based, eval_every > 0); test_accuracy is the final one,
  max_test_accuracy the best of all those scores, or null when the split was scored only once.
* optimizer (sslbench Optimizer, TensorFlow's ApplyAdam / ApplyMomentum): Adam beta 0.9 / 0.999,
  eps 1e-7 added to sqrt(v) before the bias correction (Keras; PyTorch adds it after), or SGD with
  momentum (optionally Nesterov); weight decay coupled L2 (grad + wd * w) on conv and dense
  kernels only. Learning rate per step from the fractional epoch: linear warm-up from 0 over
  warmup_epochs, then constant, step (factor i from 0-based epoch milestones[i]) or a half cosine
  to 0 over the epochs after warm-up.

Input: one JSON config (written by `sslbench repro-peer`), see `main`. Output: one JSON file per
finished cell, `<out_dir>/out/<cell_hash>.json`, written atomically (temp file + rename), keys:
format (1), cell_hash, pretext_hash, method, seed, n_labels, status ("ok" or "diverged"), detail,
test_accuracy, max_test_accuracy (null when scored once), test_loss, evaluations (list of
{epoch, test_accuracy, test_loss}), downstream_epochs, pretext_epochs (0 without pretext),
pretext_loss, pretext_rotation_accuracy (null without pretext), pretext_seconds, seconds (the
fine-tune's wall time), images_per_second (fine-tune training), peer_sha256 (of this file),
torch_version, threads. Accuracies are fractions in [0, 1]; NaN never appears (null instead).
Pretext encoders are kept in `<out_dir>/pretext/<pretext_hash>.pt` and reused by a rerun of the
same script, so a stopped run loses at most the cell in progress.

Requires PyTorch and NumPy (Debian: apt-get install python3-torch).
"""
import argparse
import hashlib
import json
import math
import os
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

FORMAT = 1
BN_EPSILON = 1e-3
ADAM_BETA1, ADAM_BETA2, ADAM_EPSILON = 0.9, 0.999, 1e-7
EVAL_CHUNK = 100  # rows per scoring batch: larger tensors (> 32 MB) are mmap-allocated per call by glibc, and page faults cost ~10x the compute on some VMs (measured here)


def sha256_of(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


# ---------------------------------------------------------------- data

def read_cifar(files):
    """(uint8 images [N, 3, 32, 32], int64 labels [N]) from CIFAR-10 binary records, in file order."""
    raw = b"".join(open(f, "rb").read() for f in files)
    if len(raw) % 3073:
        raise SystemExit(f"peer: {files}: {len(raw)} bytes are not whole 3073-byte CIFAR-10 records")
    rec = np.frombuffer(raw, np.uint8).reshape(-1, 3073)
    return torch.from_numpy(rec[:, 1:].reshape(-1, 3, 32, 32).copy()), torch.from_numpy(rec[:, 0].astype(np.int64))


def read_indices(path):
    with open(path) as f:
        return torch.tensor([int(line) for line in f if line.strip()], dtype=torch.long)


def round_half_up(x):
    return int(math.floor(x + 0.5))  # Java's Math.round


def augment(x, aug, gen):
    """sslbench's Augmenter for shift and hflip on a float batch [B, C, H, W] in [0, 1]."""
    b, _, h, w = x.shape
    shift = float(aug.get("shift", 0) or 0)
    if shift > 0:
        mx, my = round_half_up(shift * w), round_half_up(shift * h)
        dx = torch.randint(-mx, mx + 1, (b,), generator=gen) if mx > 0 else torch.zeros(b, dtype=torch.long)
        dy = torch.randint(-my, my + 1, (b,), generator=gen) if my > 0 else torch.zeros(b, dtype=torch.long)
        # out[y][x] = in[clamp(y - dy)][clamp(x - dx)]: translation with the edge pixels repeated.
        rows = (torch.arange(h)[None, :] - dy[:, None]).clamp(0, h - 1)
        cols = (torch.arange(w)[None, :] - dx[:, None]).clamp(0, w - 1)
        x = x[torch.arange(b)[:, None, None], :, rows[:, :, None], cols[:, None, :]].permute(0, 3, 1, 2)
    if aug.get("hflip", False):
        flip = torch.rand(b, generator=gen) < 0.5
        x = torch.where(flip[:, None, None, None], x.flip(3), x)
    return x.contiguous()


def rotate(x, all_four, gen):
    """RotNet batch: k quarter turns counter-clockwise (numpy.rot90) and k as the label."""
    if all_four:
        out = torch.stack([torch.rot90(x, k, (2, 3)) for k in range(4)], dim=1).reshape(-1, *x.shape[1:])
        return out, torch.arange(4).repeat(x.shape[0])
    k = torch.randint(0, 4, (x.shape[0],), generator=gen)
    out = x.clone()
    for q in (1, 2, 3):
        m = k == q
        if m.any():
            out[m] = torch.rot90(x[m], q, (2, 3))
    return out, k


# ---------------------------------------------------------------- network

def same_padding(n, kernel, stride):
    """TensorFlow 'SAME' padding of a side of n pixels: (before, after), total
    max((ceil(n/s) - 1) s + k - n, 0), the odd pixel after."""
    total = max((-(-n // stride) - 1) * stride + kernel - n, 0)
    return total // 2, total - total // 2


class Conv(nn.Conv2d):
    def __init__(self, cin, cout, kernel, stride, bias):
        super().__init__(cin, cout, kernel, stride, 0, bias=bias)

    def forward(self, x):
        before, after = same_padding(x.shape[-1], self.kernel_size[0], self.stride[0])
        if before == after:  # symmetric: the convolution's own zero padding, which keeps channels-last
            return F.conv2d(x, self.weight, self.bias, self.stride, before)
        # F.pad returns NCHW-contiguous: back to channels-last, or the convolution leaves oneDNN.
        x = F.pad(x, (before, after, before, after)).contiguous(memory_format=torch.channels_last)
        return F.conv2d(x, self.weight, self.bias, self.stride, 0)


class Block(nn.Module):
    def __init__(self, cin, cout, stride, bn_momentum):
        super().__init__()
        self.conv1 = Conv(cin, cout, 3, stride, False)
        self.bn1 = nn.BatchNorm2d(cout, eps=BN_EPSILON, momentum=1 - bn_momentum)
        self.conv2 = Conv(cout, cout, 3, 1, False)
        self.bn2 = nn.BatchNorm2d(cout, eps=BN_EPSILON, momentum=1 - bn_momentum)
        self.shortcut = Conv(cin, cout, 1, stride, True) if stride != 1 or cin != cout else None

    def forward(self, x):
        y = F.relu(self.bn1(self.conv1(x)))
        y = self.bn2(self.conv2(y))
        return F.relu(y + (x if self.shortcut is None else self.shortcut(x)))


class ResNet20(nn.Module):
    """Keras resnet_v1 depth 20 without its head: [B, 3, 32, 32] -> [B, 64]."""

    def __init__(self, bn_momentum):
        super().__init__()
        self.stem = Conv(3, 16, 3, 1, False)
        self.bn = nn.BatchNorm2d(16, eps=BN_EPSILON, momentum=1 - bn_momentum)
        blocks, cin = [], 16
        for stage in range(3):
            cout = 16 << stage
            for block in range(3):
                blocks.append(Block(cin, cout, 2 if stage > 0 and block == 0 else 1, bn_momentum))
                cin = cout
        self.blocks = nn.Sequential(*blocks)
        # NHWC ("channels last") as TensorFlow: PyTorch's CPU convolutions take the oneDNN path
        # only in this layout (measured here: about 10x the NCHW speed with Debian's torch 1.13).
        self.to(memory_format=torch.channels_last)

    def forward(self, x):
        x = x.contiguous(memory_format=torch.channels_last)
        return self.blocks(F.relu(self.bn(self.stem(x)))).mean(dim=(2, 3))

    def set_bn_momentum(self, bn_momentum):
        for m in self.modules():
            if isinstance(m, nn.BatchNorm2d):
                m.momentum = 1 - bn_momentum


def init_weights(module, gen):
    """sslbench's initialisers: He normal conv kernels, Glorot uniform dense kernels, zero biases."""
    with torch.no_grad():
        for m in module.modules():
            if isinstance(m, nn.Conv2d):
                fan_in = m.weight[0].numel()  # k * k * in
                m.weight.normal_(0.0, math.sqrt(2.0 / fan_in), generator=gen)
                if m.bias is not None:
                    m.bias.zero_()
            elif isinstance(m, nn.Linear):
                limit = math.sqrt(6.0 / (m.in_features + m.out_features))
                m.weight.uniform_(-limit, limit, generator=gen)
                m.bias.zero_()
            elif isinstance(m, nn.BatchNorm2d):
                m.reset_parameters()  # gamma 1, beta 0, moving mean 0, variance 1


# ---------------------------------------------------------------- training

class Optimizer:
    """TensorFlow's ApplyAdam / ApplyMomentum with sslbench's coupled L2 on kernels."""

    def __init__(self, params, spec):
        self.name = spec["name"]
        if self.name not in ("adam", "sgd"):
            raise SystemExit(f"peer: unknown optimizer {self.name} (adam, sgd)")
        self.wd = float(spec.get("weight_decay", 0.0))
        self.momentum = float(spec.get("momentum", 0.9))
        self.nesterov = bool(spec.get("nesterov", False))
        # Kernels (conv and dense weights, 2-D or more) are decayed; biases and BN parameters not.
        self.params = [(p, p.dim() > 1, [torch.zeros_like(p), torch.zeros_like(p)]) for p in params]
        self.t = 0

    def zero_grad(self):
        for p, _, _ in self.params:
            p.grad = None

    @torch.no_grad()
    def step(self, lr):
        self.t += 1
        for p, decayed, (a, b) in self.params:
            g = p.grad
            if g is None:
                raise SystemExit("peer: a trained parameter does not influence the loss")
            if self.wd > 0 and decayed:
                g = g + self.wd * p
            if self.name == "adam":
                a.mul_(ADAM_BETA1).add_(g, alpha=1 - ADAM_BETA1)
                b.mul_(ADAM_BETA2).addcmul_(g, g, value=1 - ADAM_BETA2)
                lr_t = lr * math.sqrt(1 - ADAM_BETA2 ** self.t) / (1 - ADAM_BETA1 ** self.t)
                p.sub_(lr_t * a / (b.sqrt() + ADAM_EPSILON))
            else:
                a.mul_(self.momentum).add_(g)
                p.sub_(lr * (g + self.momentum * a) if self.nesterov else lr * a)


def learning_rate(schedule, base, epochs, epoch):
    """sslbench's LrSchedule.at: epoch is fractional progress (2.5 = half-way through the third)."""
    warmup = float(schedule.get("warmup_epochs", 0) or 0)
    if warmup > 0 and epoch < warmup:
        return base * epoch / warmup
    name = schedule["name"]
    if name == "constant":
        return base
    if name == "step":
        factor = 1.0
        for m, f in zip(schedule.get("milestones") or [], schedule.get("factors") or []):
            if math.floor(epoch) >= m:
                factor = f
        return base * factor
    if name == "cosine":
        span = max(epochs - warmup, 1e-9)
        t = min(1.0, max(0.0, (epoch - warmup) / span))
        return base * 0.5 * (1 + math.cos(math.pi * t))
    raise SystemExit(f"peer: unknown schedule {name} (constant, step, cosine)")


class Diverged(Exception):
    pass


def pretrain(cfg, group, images, mean, gen, log):
    """RotNet pretext on the pool; returns (encoder state, stats)."""
    spec = group["pretext"]
    pool = images if cfg.get("pool_file") is None else images[read_indices(cfg["pool_file"])]
    all_four = bool(group["params"].get("all_four", False))
    enc = ResNet20(spec.get("bn_momentum", 0.9))
    head = nn.Linear(64, 4)
    init_weights(enc, gen)
    init_weights(head, gen)
    enc.train()
    opt = Optimizer(list(enc.parameters()) + list(head.parameters()), spec["optimizer"])
    batch = min(spec["batch_size"], len(pool))
    steps = len(pool) // batch  # the last partial batch is dropped
    epochs = spec["epochs"]
    start = time.perf_counter()
    loss_mean = acc_mean = float("nan")
    for epoch in range(epochs):
        t0 = time.perf_counter()
        order = torch.randperm(len(pool), generator=gen)
        loss_sum = acc_sum = 0.0
        for s in range(steps):
            x = pool[order[s * batch:(s + 1) * batch]].float() / 255
            x = augment(x, spec.get("augment", {}), gen) - mean
            x, y = rotate(x, all_four, gen)
            lr = learning_rate(spec["schedule"], spec["optimizer"]["lr"], epochs, epoch + s / steps)
            logits = head(enc(x))
            loss = F.cross_entropy(logits, y)
            if not torch.isfinite(loss):
                raise Diverged(f"pretext loss became {loss.item()} at epoch {epoch + 1}, step {s + 1}")
            opt.zero_grad()
            loss.backward()
            opt.step(lr)
            loss_sum += loss.item()
            acc_sum += (logits.argmax(1) == y).float().mean().item()
        loss_mean, acc_mean = loss_sum / steps, acc_sum / steps
        log(f"  pretext {group['method']} seed {group['seed']} epoch {epoch + 1}/{epochs}: loss {loss_mean:.4f}"
            f" rotation_acc {acc_mean:.3f} lr {lr:.3g} ({time.perf_counter() - t0:.1f}s)")
    return enc.state_dict(), {"loss": loss_mean, "rotation_accuracy": acc_mean,
                              "seconds": time.perf_counter() - start, "epochs": epochs}


@torch.no_grad()
def score(enc, head, images, labels, mean):
    """(accuracy, mean cross-entropy) over the whole test split, eval mode, no augmentation."""
    enc.eval()
    correct, loss_sum = 0, 0.0
    for i in range(0, len(images), EVAL_CHUNK):
        x = images[i:i + EVAL_CHUNK].float() / 255 - mean
        logits = head(enc(x))
        y = labels[i:i + EVAL_CHUNK]
        correct += (logits.argmax(1) == y).sum().item()
        loss_sum += F.cross_entropy(logits, y, reduction="sum").item()
    enc.train()
    return correct / len(images), loss_sum / len(images)


def finetune(cfg, group, cell, encoder_state, data, mean, gen, log):
    spec = cell["finetune"]
    train_x, train_y, test_x, test_y = data
    subset = read_indices(cell["subset_file"])
    if len(subset) != cell["n_labels"]:
        raise SystemExit(f"peer: {cell['subset_file']}: {len(subset)} indices, the cell has n_labels {cell['n_labels']}")
    xs, ys = train_x[subset], train_y[subset]
    enc = ResNet20(spec.get("bn_momentum", 0.9))
    head = nn.Linear(64, cfg["classes"])
    init_weights(enc, gen)
    init_weights(head, gen)
    if encoder_state is not None:
        enc.load_state_dict(encoder_state)
        enc.set_bn_momentum(spec.get("bn_momentum", 0.9))
    enc.train()
    opt = Optimizer(list(enc.parameters()) + list(head.parameters()), spec["optimizer"])
    n = len(xs)
    batch = min(spec["batch_size"], n)
    steps = -(-n // batch)  # the last partial batch is kept
    epochs, every = spec["epochs"], spec.get("eval_every", 0) or 0
    evaluations = []
    start = time.perf_counter()
    train_seconds, seen = 0.0, 0
    for epoch in range(epochs):
        t0 = time.perf_counter()
        order = torch.randperm(n, generator=gen)
        loss_sum = 0.0
        for s in range(steps):
            idx = order[s * batch:(s + 1) * batch]
            x = augment(xs[idx].float() / 255, spec.get("augment", {}), gen) - mean
            lr = learning_rate(spec["schedule"], spec["optimizer"]["lr"], epochs, epoch + s / steps)
            loss = F.cross_entropy(head(enc(x)), ys[idx])
            if not torch.isfinite(loss):
                raise Diverged(f"finetune loss became {loss.item()} at epoch {epoch + 1}, step {s + 1}")
            opt.zero_grad()
            loss.backward()
            opt.step(lr)
            loss_sum += loss.item()
            seen += len(idx)
        train_seconds += time.perf_counter() - t0
        line = f"  finetune {group['method']} seed {group['seed']} n={n} epoch {epoch + 1}/{epochs}: loss {loss_sum / steps:.4f}"
        if epoch == epochs - 1 or (every > 0 and (epoch + 1) % every == 0):
            acc, test_loss = score(enc, head, test_x, test_y, mean)
            if not math.isfinite(test_loss):
                raise Diverged(f"finetune test loss became {test_loss} after epoch {epoch + 1}")
            evaluations.append({"epoch": epoch + 1, "test_accuracy": acc, "test_loss": test_loss})
            line += f" test {acc:.4f}"
        log(line)
    last = evaluations[-1]
    return {"test_accuracy": last["test_accuracy"], "test_loss": last["test_loss"],
            # One score has no best epoch (sslbench writes max_test_accuracy empty then).
            "max_test_accuracy": max(e["test_accuracy"] for e in evaluations) if len(evaluations) > 1 else None,
            "evaluations": evaluations, "downstream_epochs": epochs,
            "seconds": time.perf_counter() - start, "images_per_second": seen / max(train_seconds, 1e-9)}


def write_json_atomically(path, value):
    tmp = f"{path}.{os.getpid()}.tmp"
    with open(tmp, "w") as f:
        json.dump(value, f, indent=1, allow_nan=False)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


def finite_or_none(v):
    return v if v is not None and math.isfinite(v) else None


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("config", help="JSON config written by `sslbench repro-peer` (<results>/peer/config.json)")
    p.add_argument("--threads", type=int, default=None,
                   help="torch intra-op threads (default: the config's threads, 0 or absent = all cores)")
    a = p.parse_args()
    with open(a.config) as f:
        cfg = json.load(f)
    if cfg.get("format") != FORMAT:
        raise SystemExit(f"peer: {a.config}: format {cfg.get('format')}, this peer reads format {FORMAT}")
    threads = a.threads if a.threads is not None else (cfg.get("threads") or 0)
    torch.set_num_threads(threads if threads > 0 else os.cpu_count())
    own = sha256_of(os.path.abspath(__file__))
    out_dir = cfg["out_dir"]
    os.makedirs(os.path.join(out_dir, "out"), exist_ok=True)
    os.makedirs(os.path.join(out_dir, "pretext"), exist_ok=True)

    def log(msg):
        print(msg, flush=True)

    d = cfg["data_dir"]
    t_load = time.perf_counter()
    train_x, train_y = read_cifar([os.path.join(d, f"data_batch_{i}.bin") for i in range(1, 6)])
    test_x, test_y = read_cifar([os.path.join(d, "test_batch.bin")])
    if cfg["normalize"] == "pixel_mean":
        # Summed in 64-bit integers, then scaled: the 50k images as doubles would take 1.2 GB.
        mean = (train_x.sum(0, dtype=torch.int64).double() / (255.0 * len(train_x))).float()
    elif cfg["normalize"] == "none":
        mean = torch.zeros(3, 32, 32)
    else:
        raise SystemExit(f"peer: normalize {cfg['normalize']} not implemented (pixel_mean, none)")
    data = (train_x, train_y, test_x, test_y)
    log(f"peer: torch {torch.__version__}, {torch.get_num_threads()} threads, {len(train_x)} train / {len(test_x)} test"
        f" images from {d} ({time.perf_counter() - t_load:.1f}s)")
    started = time.perf_counter()
    for group in cfg["groups"]:
        seed = group["seed"]
        gen = torch.Generator().manual_seed(seed)
        encoder_state, pre = None, None
        if group.get("pretext") is not None:
            ckpt = os.path.join(out_dir, "pretext", group["pretext_hash"] + ".pt")
            saved = torch.load(ckpt) if os.path.exists(ckpt) else None
            if saved is not None and saved.get("peer_sha256") == own:
                encoder_state, pre = saved["state"], saved["stats"]
                log(f"peer: reusing pretext {group['pretext_hash']} ({group['method']} seed {seed}) from {ckpt}")
            else:
                log(f"peer: pretext {group['method']} seed {seed}, {group['pretext']['epochs']} epochs")
                try:
                    encoder_state, pre = pretrain(cfg, group, train_x, mean, gen, log)
                except Diverged as e:
                    pre = {"diverged": str(e)}
                if "diverged" not in pre:
                    tmp = f"{ckpt}.{os.getpid()}.tmp"
                    torch.save({"peer_sha256": own, "state": encoder_state, "stats": pre}, tmp)
                    os.replace(tmp, ckpt)
        for cell in group["cells"]:
            # A fresh stream per cell: resuming after a stop gives the cell the same distribution.
            cgen = torch.Generator().manual_seed(seed * 1_000_003 + cell["n_labels"])
            row = {"format": FORMAT, "cell_hash": cell["cell_hash"], "pretext_hash": group["pretext_hash"],
                   "method": group["method"], "seed": seed, "n_labels": cell["n_labels"], "status": "ok", "detail": "",
                   "pretext_epochs": 0 if pre is None else pre.get("epochs", 0),
                   "pretext_loss": None if pre is None else finite_or_none(pre.get("loss")),
                   "pretext_rotation_accuracy": None if pre is None else finite_or_none(pre.get("rotation_accuracy")),
                   "pretext_seconds": 0.0 if pre is None else pre.get("seconds", 0.0),
                   "peer_sha256": own, "torch_version": torch.__version__, "threads": torch.get_num_threads()}
            if pre is not None and "diverged" in pre:
                row.update(status="diverged", detail=pre["diverged"], test_accuracy=None, max_test_accuracy=None,
                           test_loss=None, evaluations=[], downstream_epochs=cell["finetune"]["epochs"],
                           seconds=0.0, images_per_second=None)
            else:
                try:
                    row.update(finetune(cfg, group, cell, encoder_state, data, mean, cgen, log))
                except Diverged as e:
                    row.update(status="diverged", detail=str(e), test_accuracy=None, max_test_accuracy=None,
                               test_loss=None, evaluations=[], downstream_epochs=cell["finetune"]["epochs"],
                               seconds=0.0, images_per_second=None)
            write_json_atomically(os.path.join(out_dir, "out", cell["cell_hash"] + ".json"), row)
            mx = row.get("max_test_accuracy")
            log(f"peer: {group['method']} seed {seed} n={cell['n_labels']}: {row['status']}, test_accuracy "
                f"{row['test_accuracy'] if row['test_accuracy'] is None else round(row['test_accuracy'], 4)}, max "
                f"{mx if mx is None else round(mx, 4)}")
    log(f"peer: done in {time.perf_counter() - started:.1f}s wall")


if __name__ == "__main__":
    sys.exit(main())
