#!/usr/bin/env python3
"""reorder.py IN.pcap OUT.pcap [--window 4] [--dup 0.05] [--seed 1]

Writes a twin of a classic pcap (any of the four magics: µs/ns, either byte order) as a busy
network or a multi-queue capture would give it: packets are shuffled within consecutive windows
of --window packets, and each packet is, with probability --dup, written a second time (same bytes
and timestamp) at a random place in its window. Every record keeps its original timestamp, so
timestamps go backwards in file order. Deterministic for a given --seed. Standard library only.
Prints what it did (moved, duplicated, timestamps that go backwards) to standard error."""
import argparse, random, struct, sys

MAGICS = {b"\xd4\xc3\xb2\xa1": "<", b"\xa1\xb2\xc3\xd4": ">",  # microseconds
          b"\x4d\x3c\xb2\xa1": "<", b"\xa1\xb2\x3c\x4d": ">"}  # nanoseconds


def read_pcap(path):
    data = open(path, "rb").read()
    if data[:4] not in MAGICS:
        raise SystemExit(f"{path}: not a classic pcap (pcapng? convert with editcap -F pcap)")
    order, header, records, i = MAGICS[data[:4]], data[:24], [], 24
    while i + 16 <= len(data):
        seconds, fraction, captured, original = struct.unpack(order + "IIII", data[i:i + 16])
        records.append(((seconds, fraction), data[i:i + 16 + captured]))
        i += 16 + captured
    if i != len(data):
        raise SystemExit(f"{path}: {len(data) - i} trailing bytes (truncated record?)")
    return header, records


def twin(records, window, dup, seed):
    rng, out, stats = random.Random(seed), [], {"packets": len(records), "duplicated": 0}
    order = []
    for start in range(0, len(records), window):
        chunk = list(enumerate(records[start:start + window], start))
        rng.shuffle(chunk)
        for original, record in list(chunk):
            if rng.random() < dup:
                chunk.insert(rng.randrange(len(chunk) + 1), (original, record))
                stats["duplicated"] += 1
        order.extend(original for original, _ in chunk)
        out.extend(record for _, record in chunk)
    stats["written"] = len(out)
    stats["out_of_place"] = sum(1 for place, original in enumerate(order) if original != place)
    stats["inversions"] = sum(1 for a, b in zip(order, order[1:]) if b < a)  # adjacent pairs
    return out, stats


def monotonic(records, header):
    order, latest, result = MAGICS[header[:4]], (0, 0), []
    for stamp, record in records:
        if stamp < latest:
            record = struct.pack(order + "II", *latest) + record[8:]
        latest = max(latest, stamp)
        result.append((latest, record))
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[1])
    parser.add_argument("input"), parser.add_argument("output")
    parser.add_argument("--window", type=int, default=4, help="packets per shuffling window (default 4)")
    parser.add_argument("--dup", type=float, default=0.05, help="probability that a packet is duplicated (0.05)")
    parser.add_argument("--seed", type=int, default=1, help="random seed (1)")
    parser.add_argument("--monotonic", action="store_true",
                        help="do not keep timestamps: a record older than the one before it takes that one's time")
    args = parser.parse_args()
    header, records = read_pcap(args.input)
    out, stats = twin(records, args.window, args.dup, args.seed)
    if args.monotonic:
        out = monotonic(out, header)
    stats["timestamps_backwards"] = sum(1 for a, b in zip(out, out[1:]) if b[0] < a[0])
    with open(args.output, "wb") as f:
        f.write(header)
        f.writelines(record for _, record in out)
    print(" ".join(f"{k}={v}" for k, v in stats.items()), file=sys.stderr)


if __name__ == "__main__":
    main()
