#!/usr/bin/env python3
"""Grows a pcap (Ethernet or Linux loopback, IPv4/TCP) to a target size for benchmarks: the
packets are repeated, each copy with the client ports moved (so every copy's connections are new
ones) and the timestamps moved past the previous copy; TCP checksums are updated (RFC 1624).

    replicate-pcap.py IN.pcap OUT.pcap SIZE_MB SERVER_PORT
"""
import struct
import sys


def fold(value):
    while value >> 16:
        value = (value & 0xFFFF) + (value >> 16)
    return value


def adjust_checksum(checksum, old, new):
    # RFC 1624 eqn. 3: HC' = ~(~HC + ~m + m')
    return ~fold((~checksum & 0xFFFF) + (~old & 0xFFFF) + new) & 0xFFFF


def main():
    source, target, size_mb, server_port = sys.argv[1], sys.argv[2], float(sys.argv[3]), int(sys.argv[4])
    with open(source, "rb") as f:
        header = f.read(24)
        magic, = struct.unpack("<I", header[:4])
        assert magic in (0xA1B2C3D4, 0xA1B23C4D), "little-endian pcap expected"
        nano = magic == 0xA1B23C4D
        link_type, = struct.unpack("<I", header[20:24])
        assert link_type == 1, "Ethernet (tcpdump -i lo) expected"
        packets = []
        while True:
            record = f.read(16)
            if len(record) < 16:
                break
            seconds, fraction, caplen, length = struct.unpack("<IIII", record)
            packets.append((seconds, fraction, length, bytearray(f.read(caplen))))
    first = packets[0][0]
    span = packets[-1][0] - first + 1
    target_bytes = int(size_mb * 1_000_000)
    written = 24
    copy = 0
    with open(target, "wb") as out:
        out.write(header)
        while written < target_bytes:
            for seconds, fraction, length, data in packets:
                packet = bytearray(data)
                if len(packet) >= 34 and packet[12:14] == b"\x08\x00" and packet[23] == 6:
                    ihl = (packet[14] & 0x0F) * 4
                    tcp = 14 + ihl
                    source_port, destination_port = struct.unpack(">HH", packet[tcp:tcp + 4])
                    # The client's port moves by the copy number, inside 20000..59999.
                    def moved(port):
                        return 20000 + (port - 20000 + copy * 7) % 40000 if port != server_port else port
                    new_source, new_destination = moved(source_port), moved(destination_port)
                    checksum, = struct.unpack(">H", packet[tcp + 16:tcp + 18])
                    checksum = adjust_checksum(checksum, source_port, new_source)
                    checksum = adjust_checksum(checksum, destination_port, new_destination)
                    packet[tcp:tcp + 4] = struct.pack(">HH", new_source, new_destination)
                    packet[tcp + 16:tcp + 18] = struct.pack(">H", checksum)
                out.write(struct.pack("<IIII", seconds + copy * span, fraction, len(packet), length))
                out.write(packet)
                written += 16 + len(packet)
                if written >= target_bytes:
                    break
            copy += 1
    print(f"{target}: {written / 1e6:.1f} MB, {copy} copies of {len(packets)} packets", file=sys.stderr)


if __name__ == "__main__":
    main()
