#!/usr/bin/env python3
"""Which of the daemon's functions run, counted by the kernel: a uprobe on each (scripts/hot-functions.sh).

    hot-functions.py probe MAP PROGRAM NAMES
                                          an uprobe at the start of every function of PROGRAM's
                                          .text that the linker's MAP names (its -Map output),
                                          registered and enabled in tracefs, none firing yet;
                                          NAMES gets each probe's function
    hot-functions.py hits NAMES           the names of the functions whose uprobe fired so far
                                          (one per line, in the program's order)
    hot-functions.py clear                every uprobe of ours removed

The names are the linker's (mangled), as `--symbol-ordering-file` takes them. Needs root and
tracefs at /sys/kernel/tracing.
"""

import os
import re
import subprocess
import sys

TRACING = "/sys/kernel/tracing"
GROUP = "unslouch_hot"
# VMA, LMA, size, alignment, then the name where its column says what it is.
ROW = re.compile(r"^\s*([0-9a-f]+)\s+([0-9a-f]+)\s+([0-9a-f]+)\s+([0-9]+) +(\S.*)$")


def text_symbols(map_path):
    """(address, name) of every symbol the map lists inside the output section .text.

    LLD's map has one line per output section, input section and symbol, told apart by the
    column the name starts in: under "Out", "In" or "Symbol" of its header."""
    symbols = []
    inside = False
    with open(map_path) as lines:
        header = next(lines)
        section_column, symbol_column = header.index("Out"), header.index("Symbol")
        for line in lines:
            row = ROW.match(line)
            if not row:
                continue
            column, name = row.start(5), row.group(5).rstrip("\n")
            if column == section_column:
                inside = name == ".text"
            elif inside and column == symbol_column:
                symbols.append((int(row.group(1), 16), name))
    return symbols


def segment_of_text(program):
    """(file offset, virtual address) of the executable LOAD segment."""
    out = subprocess.run(["readelf", "-lW", program], capture_output=True, text=True, check=True)
    for line in out.stdout.splitlines():
        fields = line.split()
        if fields and fields[0] == "LOAD" and "E" in fields[6:-1]:
            return int(fields[1], 16), int(fields[2], 16)
    sys.exit(f"{program}: no executable segment")


def probe(map_path, program, names_path):
    offset, vaddr = segment_of_text(program)
    symbols = sorted(set(text_symbols(map_path)))
    clear()
    fd = os.open(os.path.join(TRACING, "uprobe_events"), os.O_WRONLY | os.O_APPEND)
    seen = set()
    with open(names_path, "w") as names:
        for i, (address, name) in enumerate(symbols):
            if address in seen:
                continue  # aliases: one probe per address
            seen.add(address)
            os.write(fd, f"p:{GROUP}/f{i} {program}:0x{address - vaddr + offset:x}\n".encode())
            names.write(f"f{i} {name}\n")
    os.close(fd)
    # Counted, not traced: nothing goes to the trace buffer.
    with open(os.path.join(TRACING, "tracing_on"), "w") as f:
        f.write("0")
    with open(os.path.join(TRACING, "events", GROUP, "enable"), "w") as f:
        f.write("1")
    print(f"{len(seen)} functions probed", file=sys.stderr)


def hits(names_path):
    names = dict(line.split(" ", 1) for line in open(names_path).read().splitlines())
    fired = set()
    for line in open(os.path.join(TRACING, "uprobe_profile")):
        fields = line.split()
        if len(fields) == 3 and fields[1] in names and int(fields[2]) > 0:
            fired.add(fields[1])
    for event in sorted(fired, key=lambda e: int(e[1:])):
        print(names[event])


def clear():
    enable = os.path.join(TRACING, "events", GROUP, "enable")
    if not os.path.exists(enable):
        return
    with open(enable, "w") as f:
        f.write("0")
    ours = [
        line.split()[0][2:]
        for line in open(os.path.join(TRACING, "uprobe_events"))
        if line.startswith(f"p:{GROUP}/")
    ]
    fd = os.open(os.path.join(TRACING, "uprobe_events"), os.O_WRONLY | os.O_APPEND)
    for event in ours:
        os.write(fd, f"-:{event}\n".encode())
    os.close(fd)


if __name__ == "__main__":
    command = sys.argv[1:2]
    if command == ["probe"]:
        probe(sys.argv[2], sys.argv[3], sys.argv[4])
    elif command == ["hits"]:
        hits(sys.argv[2])
    elif command == ["clear"]:
        clear()
    else:
        sys.exit(__doc__)
