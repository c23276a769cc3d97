"""jixiao — 绩效目标填报: fill in, review, print and exchange budget performance targets."""

__version__ = "0.1.0"
