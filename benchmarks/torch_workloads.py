# W1-W3 in PyTorch (eager, float64, one thread), the same networks and data sizes as the
# Descent scripts beside this file. Usage: python3 torch_workloads.py w1|w2|w3 [adam]
# (adam: torch.optim.Adam at lr 0.001 instead of SGD, as w3-adam.descent)
import sys, time
import torch

torch.set_num_threads(1)
torch.set_default_dtype(torch.float64)
torch.manual_seed(1)
which = sys.argv[1]

def mlp(sizes, act):
    layers = []
    for i in range(len(sizes) - 1):
        layers.append(torch.nn.Linear(sizes[i], sizes[i + 1], bias=(which != "w1")))
        if i < len(sizes) - 2 and act is not None:
            layers.append(act())
    return torch.nn.Sequential(*layers)

if which == "w1":
    X = torch.tensor([[1.], [2.], [3.], [4.]]); y = torch.tensor([[1.], [2.], [3.], [4.]])
    net = mlp([1, 1], None); torch.nn.init.zeros_(net[0].weight)
    loss_fn, steps = torch.nn.MSELoss(), 1000
elif which == "w2":
    X = torch.randn(256, 8); y = torch.randn(256, 1)
    net = mlp([8] + [64] * 20 + [1], torch.nn.Sigmoid)
    loss_fn, steps = torch.nn.MSELoss(), 200
else:
    X = torch.randn(128, 784); y = torch.randint(0, 10, (128,))
    net = mlp([784, 512, 512, 10], torch.nn.ReLU)
    loss_fn, steps = torch.nn.CrossEntropyLoss(), 50

adam = len(sys.argv) > 2 and sys.argv[2] == "adam"
opt = torch.optim.Adam(net.parameters(), lr=0.001) if adam else torch.optim.SGD(net.parameters(), lr=0.01)
start = time.perf_counter()
for _ in range(steps):
    opt.zero_grad()
    loss = loss_fn(net(X), y)
    loss.backward()
    opt.step()
elapsed = time.perf_counter() - start
print(f"timing: {steps} steps in {elapsed:.6g} s", file=sys.stderr)
