# The NumPy side of `npm run bench`: the book's approach (NumPy + its BLAS, one thread) training
# the same 784-128-128-10 MLP with Adam on the same data, starting weights and batch order, which
# scripts/bench.ts writes into a folder as raw float32 / int32 files. Prints one JSON line.
import json
import os
import sys
import time

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")
import numpy as np  # noqa: E402  (threads must be set before NumPy loads its BLAS)

folder = sys.argv[1]
spec = json.load(open(os.path.join(folder, "spec.json")))


def load(name, dtype, shape):
    return np.fromfile(os.path.join(folder, name), dtype=dtype).reshape(shape)


x = load("x.f32", np.float32, (spec["train"], 784))
y = load("y.i32", np.int32, (spec["train"],))
tx = load("tx.f32", np.float32, (spec["test"], 784))
ty = load("ty.i32", np.int32, (spec["test"],))
sizes = spec["sizes"]
params = []
for i in range(len(sizes) - 1):
    w = load(f"w{i}.f32", np.float32, (sizes[i], sizes[i + 1])).copy()
    params.append([w, np.zeros((1, sizes[i + 1]), np.float32)])
lr, b1, b2, eps = spec["learningRate"], 0.9, 0.999, 1e-7
m = [[np.zeros_like(p) for p in layer] for layer in params]
v = [[np.zeros_like(p) for p in layer] for layer in params]
step = 0


def forward(inputs):
    outs = [inputs]
    for i, (w, b) in enumerate(params):
        z = outs[-1] @ w + b
        if i < len(params) - 1:
            z = np.maximum(z, 0)
        outs.append(z)
    z = outs[-1]
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return outs, e / e.sum(axis=1, keepdims=True)


times = []
for epoch in range(spec["epochs"]):
    order = load(f"order{epoch}.i32", np.int32, (spec["train"],))
    start = time.perf_counter()
    for s in range(0, spec["train"], spec["batchSize"]):
        idx = order[s : s + spec["batchSize"]]
        xb, yb = x[idx], y[idx]
        outs, probs = forward(xb)
        d = probs.copy()
        d[np.arange(len(yb)), yb] -= 1
        d /= len(yb)
        step += 1
        for i in range(len(params) - 1, -1, -1):
            w, b = params[i]
            dw = outs[i].T @ d
            db = d.sum(axis=0, keepdims=True)
            if i > 0:
                d = (d @ w.T) * (outs[i] > 0)
            for j, g in enumerate((dw, db)):
                m[i][j] = b1 * m[i][j] + (1 - b1) * g
                v[i][j] = b2 * v[i][j] + (1 - b2) * g * g
                mh = m[i][j] / (1 - b1**step)
                vh = v[i][j] / (1 - b2**step)
                params[i][j] -= lr * mh / (np.sqrt(vh) + eps)
    times.append(time.perf_counter() - start)
_, probs = forward(tx)
accuracy = float((probs.argmax(axis=1) == ty).mean())
print(json.dumps({"secondsPerEpoch": times, "testAccuracy": accuracy, "numpy": np.__version__}))
