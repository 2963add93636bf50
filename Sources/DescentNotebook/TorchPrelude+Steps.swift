// The prelude's steps: batches, the step in torch, `back`, Descent's checkpoints, what
// `show` prints, and the end of the script.

extension TorchPrelude {
    /// Indented as methods of `Session`, which `session` begins.
    static let steps = #"""
    # --- the step -------------------------------------------------------------------------
    def make_optimizer(self):
        kind, params = self.rule[0], self.parameters()
        if kind == "gd":
            return torch.optim.SGD(params, lr=self.base_lr, momentum=self.rule[1])
        if kind == "adam":
            return torch.optim.Adam(params, lr=self.base_lr, betas=(self.rule[1], self.rule[2]), eps=self.rule[3])
        return torch.optim.RMSprop(params, lr=self.base_lr, alpha=self.rule[1], eps=self.rule[2], momentum=self.rule[3])

    def next_rows(self, m):
        """The next batch's rows (None: all of them) and the cursor after it; Descent's
        ordered batches wrap at the end of a pass, shuffled ones use the orders Descent drew."""
        if self.batch is None or self.batch >= m:
            return None, (0, self.epoch + 1, self.order, 0)
        position, order, used = self.position, self.order, 0
        if position == 0 or position >= m:
            position = 0
            order = self.orders[0] if self.shuffle else None
            used = 1 if self.shuffle else 0
        end = min(position + self.batch, m)
        rows = order[position:end] if order is not None else list(range(position, end))
        epoch = self.epoch
        if end >= m:
            end, epoch = 0, epoch + 1
        return rows, (end, epoch, order, used)

    def snapshot(self):
        optimizer = None if self.optimizer is None else self.optimizer.state_dict()
        return ([p.detach().clone() for p in self.parameters()],
                [(l.runmean.clone(), l.runvar.clone()) for l in self.layers if l.bn],
                clone_state(optimizer), self.rule, self.step, self.position, self.epoch, self.order)

    def back(self, n):
        for _ in range(n - 1):
            self.snapshots.pop()
        params, stats, optimizer, rule, self.step, self.position, self.epoch, self.order = self.snapshots.pop()
        with torch.no_grad():
            for p, q in zip(self.parameters(), params):
                p.copy_(q)
        for layer, (runmean, runvar) in zip([l for l in self.layers if l.bn], stats):
            layer.runmean, layer.runvar = runmean, runvar
        self.optimizer = None
        if optimizer is not None and rule == self.rule:
            self.optimizer = self.make_optimizer()
            self.optimizer.load_state_dict(optimizer)
        del self.losses_[self.step:]
        del self.testlosses_[self.step:]
        # A cursor from before `data` or `split` changed the rows starts a new pass (Descent's
        # BatchCursor.fit).
        m = self.X.shape[0]
        if self.position >= m or (self.order is not None and len(self.order) != m):
            self.position, self.order = 0, None

    def steps(self, n, orders=(), ends_nonfinite=False, checkpoints=()):
        """n steps applied as Descent applied them; with ends_nonfinite one more is attempted,
        must come out non-finite, and is not applied. At each of Descent's checkpoints the
        state PyTorch reached is compared with Descent's, and the next stretch starts from
        Descent's: two programs that round in different orders drift apart over a long
        chaotic run, so each stretch is checked on its own."""
        self.orders.extend(orders)
        target = self.step + n
        for checkpoint in list(checkpoints) + [None]:
            until = target if checkpoint is None else checkpoint[0]
            while self.step < until:
                if not self.one_step():
                    fail(f"step {self.step + 1}", "a finite loss and gradient", "nan or inf")
            if checkpoint is not None:
                self.check_and_load(*checkpoint)
        if ends_nonfinite and self.one_step():
            fail(f"step {self.step}", "a loss or gradient that is not finite", "finite values")
        # A refused step's order is drawn again by the next step, which brings it along.
        self.orders.clear()

    def rows(self, table, buffers):
        """Descent's checkpoints, one row each (see TorchCheckpoints in Descent): step, the
        optimizer's update count, the cursor, then the parameters, batch norm's running
        statistics and the optimizer's buffers, in the order of `parameters()`."""
        shapes = [p.shape for p in self.parameters()]
        stat_shapes = [l.runmean.shape for l in self.layers if l.bn]
        out = []
        for row in table:
            k, params, stats, found = 5, [], [], {}
            for shape in shapes:
                n = math.prod(shape)
                params.append(row[k:k + n].reshape(shape))
                k += n
            for shape in stat_shapes:
                n = math.prod(shape)
                stats.append((row[k:k + n].reshape(shape), row[k + n:k + 2 * n].reshape(shape)))
                k += 2 * n
            for name in buffers:
                found[name] = []
                for shape in shapes:
                    n = math.prod(shape)
                    found[name].append(row[k:k + n].reshape(shape))
                    k += n
            out.append((int(row[0]), params, stats, found, int(row[1]), int(row[2]), int(row[3]), float(row[4])))
        return out

    def check_and_load(self, step, params, stats, buffers, updates, position, epoch, drift=0.0):
        self.last_drift = drift
        names = [f"{kind}{l}" for l, layer in enumerate(self.layers, 1)
                 for kind in ["W"] + (["b"] if layer.b is not None else []) + (["scale", "shift"] if layer.bn else [])]
        # Relative to the network's largest parameter (a layer that has shrunk towards 0 is
        # compared at the scale of the updates that produced it), and allowing CHAOS times
        # the drift Descent measured between two of its own runs a few roundings apart.
        scale = max(float(torch.abs(q).max()) for q in params if q.numel())
        allowed = max(STRETCH, CHAOS * drift) * scale
        before_bn = {f"b{l}" for l, layer in enumerate(self.layers, 1) if layer.bn}
        for name, p, q in zip(names, self.parameters(), params):
            # A bias before batch norm changes nothing the net computes (the normalisation
            # subtracts it) and its gradient is rounding noise, which Adam and RMSprop scale
            # up to steps of any size: it is not compared, only taken from Descent.
            if name not in before_bn:
                keep = ~self.noisy.get(id(p), torch.zeros_like(q, dtype=torch.bool))
                self.compare(f"{name} after step {step}", torch.where(keep, p.detach(), q), q, 0.0, allowed)
        self.noisy = {}
        for (l, layer), (runmean, runvar) in zip([(l, x) for l, x in enumerate(self.layers, 1) if x.bn], stats):
            self.compare(f"runmean{l} after step {step}", layer.runmean, runmean, max(STRETCH, CHAOS * drift))
            self.compare(f"runvar{l} after step {step}", layer.runvar, runvar, max(STRETCH, CHAOS * drift))
        if (self.position, self.epoch) != (position, epoch):
            fail(f"the batch cursor after step {step}", (position, epoch), (self.position, self.epoch))
        self.load_state(params, stats, buffers, updates)

    def load_state(self, params, stats, buffers, updates):
        """Descent's parameters, running statistics and optimizer buffers, as they are."""
        with torch.no_grad():
            for p, q in zip(self.parameters(), params):
                p.copy_(q)
        for layer, (runmean, runvar) in zip([x for x in self.layers if x.bn], stats):
            layer.runmean, layer.runvar = runmean.clone(), runvar.clone()
        self.load_optimizer(buffers, updates)

    def load_optimizer(self, buffers, updates):
        """Descent's optimizer buffers as torch.optim's state."""
        self.optimizer = self.make_optimizer()
        keys = {"velocity": "momentum_buffer", "first": "exp_avg", "second": "exp_avg_sq" if self.rule[0] == "adam" else "square_avg",
                "momentum": "momentum_buffer"}
        for i, p in enumerate(self.parameters()):
            state = {keys[name]: values[i].clone() for name, values in buffers.items()}
            if state and self.rule[0] != "gd":
                state["step"] = torch.tensor(float(updates))
            if state:
                self.optimizer.state[p] = state

    def one_step(self):
        if self.optimizer is None:
            self.optimizer = self.make_optimizer()
        before = self.snapshot() if self.snapshots.maxlen else None
        m = self.X.shape[0]
        rows, cursor = self.next_rows(m)
        x, y = (self.X, self.y) if rows is None else (self.X[rows], self.y[rows])
        test_loss = None if self.Xtest is None else self.loss_on(self.Xtest, self.ytest).item()
        self.optimizer.zero_grad(set_to_none=False)
        zs, activations, stats = self.forward(x, training=True, keep=True)
        loss = self.objective(zs[-1], activations[-1], y)
        loss.backward()
        params = self.parameters()
        self.grads = {id(p): p.grad.detach().clone() for p in params}
        self.deltas = [scaled_norm(z.grad) for z in self.delta_tensors]
        if not (math.isfinite(loss.item()) and all(bool(torch.isfinite(p.grad).all()) for p in params)):
            return False
        # ‖g‖ over all parameters, scaled first: entries of 1e200 are finite, their squares not.
        top = max(float(p.grad.abs().max()) for p in params)
        if self.rule[0] != "gd":
            # Adam and RMSprop divide each entry by its own running size, so an entry whose
            # gradient is rounding noise (1e-10 of the largest) still takes a step of about lr,
            # in a direction the rounding chose: such entries are not compared until Descent's
            # next checkpoint, which replaces them.
            for p in params:
                noise = p.grad.abs() <= 1e-10 * top
                self.noisy[id(p)] = noise | self.noisy.get(id(p), torch.zeros_like(noise))
        norm = top * math.sqrt(sum(float(((p.grad / top) ** 2).sum()) for p in params)) if top > 0 else 0.0
        if self.clip is not None and norm > self.clip:
            for p in params:
                p.grad.mul_(self.clip / norm)
        for group in self.optimizer.param_groups:
            group["lr"] = self.rate(self.step)
        self.optimizer.step()
        for layer, runmean, runvar in stats:
            layer.runmean, layer.runvar = runmean.view(1, -1), runvar.view(1, -1)
        self.position, self.epoch, self.order, used = cursor
        del self.orders[:used]
        self.step += 1
        if before is not None:
            self.snapshots.append(before)
        self.losses_.append(loss.item())
        if test_loss is not None:
            self.testlosses_.append(test_loss)
        return True

    # --- what `show` prints about the net ------------------------------------------------------
    def names(self):
        return [(f"{kind}{l}", p) for l, layer in enumerate(self.layers, 1)
                for kind, p in [("W", layer.W), ("b", layer.b), ("scale", getattr(layer, "scale", None)),
                                ("shift", getattr(layer, "shift", None))] if p is not None]

    def print_weights(self):
        for name, p in self.names():
            print(f"{name} = {p.detach().tolist()}")

    def print_grads(self):
        if self.grads is None:
            print("no step has been taken yet")
            return
        for name, p in self.names():
            print(f"d{name} = {self.grads[id(p)].tolist()}")

    def print_norms(self):
        for l, layer in enumerate(self.layers, 1):
            dW = "" if self.grads is None else f"  ‖dW‖ {scaled_norm(self.grads[id(layer.W)]).item():.6g}"
            delta = "" if self.deltas is None else f"  ‖δ‖ {self.deltas[l - 1].item():.6g}"
            print(f"layer {l}: ‖W‖ {scaled_norm(layer.W.detach()).item():.6g}{dW}{delta}")

    def print_activations(self):
        for l in range(1, len(self.layers) + 1):
            a = self.A(l)
            print(f"A{l}: mean {a.mean().item():.6g}, std {a.std(correction=0).item():.6g}")

    def print_losses(self):
        if self.losses_:
            print(f"losses: first {self.losses_[0]:.6g}, last {self.losses_[-1]:.6g}, min {min(self.losses_):.6g}")
        if self.testlosses_:
            print(f"test losses: first {self.testlosses_[0]:.6g}, last {self.testlosses_[-1]:.6g}, min {min(self.testlosses_):.6g}")

    def print_optimizer(self):
        if self.optimizer is None or not self.optimizer.state:
            print("the optimizer keeps nothing yet")
            return
        for name, p in self.names():
            for key, value in self.optimizer.state.get(p, {}).items():
                print(f"{name} {key} = {value.tolist()}")

    # --- `explain`: the chain rule's numbers ------------------------------------------------------
    def explain(self, deltas):
        """‖δ‖ of the last step, layer by layer, as `explain` showed them. The last step was
        PyTorch's own, from a state within the last stretch's allowance of Descent's."""
        allowed = max(STRETCH, CHAOS * getattr(self, "last_drift", 0.0))
        for layer, norm in deltas.items():
            self.compare(f"explain's ‖δ{layer}‖", self.delta(layer), norm, allowed)

    # --- the maps `plot boundary` and `plot neurons L` draw -------------------------------------
    @staticmethod
    def centres(xl, xh, yl, yh, columns, rows):
        """The grid's cell centres, one row each, top row first, as Descent samples them."""
        return torch.tensor([[xl + (c + 0.5) * (xh - xl) / columns, yh - (r + 0.5) * (yh - yl) / rows]
                             for r in range(rows) for c in range(columns)])

    def boundary(self, xl, xh, yl, yh, columns, rows, descent):
        """`plot boundary`: P(class 1) for bce, the class for ce, ŷ for mse at every cell."""
        out = self.predict(self.centres(xl, xh, yl, yh, columns, rows))
        values = out.argmax(1).to(torch.float64) if self.loss_kind == "ce" else out[:, 0]
        self.compare("plot boundary's map", values.reshape(rows, columns), descent)

    def neurons(self, l, xl, xh, yl, yh, columns, rows, descent):
        """`plot neurons L`: each shown unit's activation f(Z) over the same grid."""
        with torch.no_grad():
            zs, _, _ = self.forward(self.centres(xl, xh, yl, yh, columns, rows))
            layer = self.layers[l - 1]
            units = ACTIVATIONS[layer.activation](zs[l - 1], layer.slope)
        for u, grid in enumerate(descent):
            self.compare(f"plot neurons {l}, unit {u + 1}", units[:, u].reshape(rows, columns), grid)

    # --- the end ----------------------------------------------------------------------------
    def compare(self, name, value, descent, relative=1e-9, floor=1e-14):
        """A parameter against Descent's. Entries below 1e-14 are rounding noise of order-one
        sums (a bias before batch norm, whose gradient is 0 in exact arithmetic)."""
        CHECKS[0] += 1
        if not agree(value, descent, relative, floor=floor):
            ours, theirs = worst(value, descent)
            fail(name, ours, theirs)


def clone_state(state):
    if state is None:
        return None
    if torch.is_tensor(state):
        return state.clone()
    if isinstance(state, dict):
        return {k: clone_state(v) for k, v in state.items()}
    if isinstance(state, list):
        return [clone_state(v) for v in state]
    return state


S = Session()
V = {}
"""#
}
