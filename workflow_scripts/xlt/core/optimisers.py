"""torch's Adam and AdamW without the import of torch's compiler.

``torch.optim.Optimizer`` wraps ``add_param_group``, ``zero_grad``,
``state_dict`` and ``load_state_dict`` in ``torch._disable_dynamo``, and ``step``
in a guard that sets the grad mode and marks compiler graph breaks. Each of
those wrappers imports ``torch._dynamo`` on its first call: about 1.5 s in every
process that makes an optimiser (2 cores), and the workflow starts dozens of
training processes. Outside ``torch.compile`` the wrappers do nothing else, so
the classes here are torch's own optimisers with those methods' undecorated code
(torch keeps it as ``__wrapped__``) and ``step`` under ``torch.no_grad()``, which
is what its guard sets for a non-differentiable optimiser. Every parameter and
state comes out bit-identical to torch's classes (tests/test_optimisers.py).
Where a torch version keeps no undecorated method, its decorated one runs: the
same result, with the import.
"""

from __future__ import annotations

import torch


def _undecorated(method):
    """``method``'s own code, without torch's compiler wrapper when it has one."""
    return getattr(method, "__wrapped__", method)


def _eager(base: type[torch.optim.Optimizer]) -> type[torch.optim.Optimizer]:
    """``base`` with its compiler-wrapped methods replaced by their own code."""
    base_step = _undecorated(base.step)

    def step(self, closure=None):
        if self.defaults.get("differentiable"):  # the graph must be recorded
            return base.step(self, closure)
        with torch.no_grad():
            return base_step(self, closure)

    methods = {
        name: _undecorated(getattr(torch.optim.Optimizer, name))
        for name in ("add_param_group", "zero_grad", "state_dict", "load_state_dict")
    }
    doc = f"torch's {base.__name__}, without importing torch._dynamo (see the module)."
    return type(base.__name__, (base,), {**methods, "step": step, "__doc__": doc})


Adam = _eager(torch.optim.Adam)
AdamW = _eager(torch.optim.AdamW)
