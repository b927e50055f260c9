#!/usr/bin/env python3
"""PyTorch peer of sslbench's ResNet-20 train step (`make perf-peer`).

Same network as sslbench's `resnet20` (Keras resnet_v1 depth 20: 3x3 conv 16 + BN + ReLU, 3 stages
x 3 basic blocks of 16/32/64 filters, stride 2 at stages 2 and 3, shortcut = 1x1 conv with bias and
no BN, global average pooling, linear head), same batch (256, 32x32x3, fixed random data), same
optimizer (Adam 1e-3, cross-entropy). Warm-up excluded, median img/s of repeats printed as
`img/s=<value>`. Requires PyTorch (Debian: apt-get install python3-torch).
"""
import argparse
import os
import statistics
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


class Block(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(cout, eps=1e-3, momentum=0.1)
        self.conv2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(cout, eps=1e-3, momentum=0.1)
        self.shortcut = nn.Conv2d(cin, cout, 1, stride, 0, bias=True) if stride != 1 or cin != cout else None

    def forward(self, x):
        y = F.relu(self.bn1(self.conv1(x)))
        y = self.bn2(self.conv2(y))
        return F.relu(y + (x if self.shortcut is None else self.shortcut(x)))


class ResNet20(nn.Module):
    def __init__(self, classes=10):
        super().__init__()
        self.stem = nn.Conv2d(3, 16, 3, 1, 1, bias=False)
        self.bn = nn.BatchNorm2d(16, eps=1e-3, momentum=0.1)
        blocks, cin = [], 16
        for stage in range(3):
            cout = 16 << stage
            for block in range(3):
                blocks.append(Block(cin, cout, 2 if stage > 0 and block == 0 else 1))
                cin = cout
        self.blocks = nn.Sequential(*blocks)
        self.head = nn.Linear(64, classes)

    def forward(self, x):
        x = F.relu(self.bn(self.stem(x)))
        x = self.blocks(x)
        return self.head(x.mean(dim=(2, 3)))


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--batch", type=int, default=256)
    p.add_argument("--steps", type=int, default=5)
    p.add_argument("--repeats", type=int, default=5)
    p.add_argument("--warmup", type=int, default=1)
    p.add_argument("--threads", type=int, default=os.cpu_count(),
                   help="intra-op threads (default: all cores, as TensorFlow uses)")
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    model = ResNet20()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    x = torch.rand(a.batch, 3, 32, 32)
    y = torch.randint(0, 10, (a.batch,))
    rates = []
    for r in range(a.warmup + a.repeats):
        t0 = time.perf_counter()
        for _ in range(a.steps):
            opt.zero_grad(set_to_none=True)
            loss = F.cross_entropy(model(x), y)
            loss.backward()
            opt.step()
        rate = a.steps * a.batch / (time.perf_counter() - t0)
        if r >= a.warmup:
            rates.append(rate)
    print(f"torch {torch.__version__}, threads {torch.get_num_threads()}")
    print(f"img/s={statistics.median(rates):.1f}")


if __name__ == "__main__":
    main()
