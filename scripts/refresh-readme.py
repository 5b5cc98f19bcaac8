#!/usr/bin/env python3
"""Refresh README.md's transcripts: every ```text block whose first line is `$ netvault ARGS`
(see tests/it/readme.rs for the convention) gets the output of ARGS run on a fresh copy of
example-vault/ at 80 columns with colour off. A block ending in `...` keeps as many lines as it
had. Run from the repository root after `cargo build`; review the diff before committing.

    cargo build && python3 scripts/refresh-readme.py [path/to/netvault]
"""
import os
import shlex
import shutil
import subprocess
import sys
import tempfile

binary = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else "target/debug/netvault")
lines = open("README.md", encoding="utf-8").read().split("\n")
out, i, changed = [], 0, 0
while i < len(lines):
    line = lines[i]
    out.append(line)
    i += 1
    if line.rstrip() != "```text" or i >= len(lines) or not lines[i].startswith("$ netvault "):
        continue
    command = lines[i]
    end = i + 1
    while lines[end].rstrip() != "```":
        end += 1
    block = lines[i + 1 : end]
    partial = bool(block) and block[-1] == "..."
    args = shlex.split(command[len("$ netvault ") :])
    with tempfile.TemporaryDirectory() as tmp:
        vault = os.path.join(tmp, "example-vault")
        shutil.copytree("example-vault", vault, ignore=shutil.ignore_patterns(".netvault"))
        if os.path.isdir("example-vault/.netvault"):
            os.makedirs(os.path.join(vault, ".netvault"))
            for name in os.listdir("example-vault/.netvault"):
                src = os.path.join("example-vault/.netvault", name)
                if os.path.isfile(src):
                    shutil.copy(src, os.path.join(vault, ".netvault", name))
        at = args.index("--vault")
        args[at + 1] = vault
        env = dict(os.environ, COLUMNS="80")
        env.pop("NETVAULT_VAULT", None)
        printed = subprocess.run([binary, "--color", "never", *args], cwd=tmp, env=env,
                                 capture_output=True, text=True).stdout
        printed = printed.replace(vault, "example-vault")
    new = printed.rstrip("\n").split("\n")
    if partial:
        new = new[: len(block) - 1] + ["..."]
    if new != block:
        changed += 1
    out.append(command)
    out.extend(new)
    i = end
open("README.md", "w", encoding="utf-8").write("\n".join(out))
print(f"refreshed {changed} transcript(s)")
