/*
 * The floor of the benchmark (docs/performance.md): the least any decoder that reassembles TCP
 * must do with a capture. It reads the pcap file in 4 MiB blocks, walks its records, parses the
 * Ethernet, IPv4 and TCP headers, and appends every TCP payload to the buffer of its connection
 * direction (an open-addressing table), which a next layer would consume; a FIN or RST frees it. It decodes nothing
 * above TCP: no HTTP/2, no HPACK, no messages, no output.
 *
 *   floor FILE.pcap   (classic pcap, Ethernet, as the benchmark records on loopback)
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef struct { uint64_t key; uint8_t *bytes; size_t length, capacity; } Flow;
enum { TABLE_SIZE = 1 << 18, BLOCK = 4 << 20, CONSUMED_AT = 1 << 16 };
static Flow flows[TABLE_SIZE];

static uint32_t read32(const uint8_t *p) { uint32_t v; memcpy(&v, p, 4); return v; }

int main(int argc, char **argv) {
    if (argc != 2) { fprintf(stderr, "usage: floor FILE.pcap\n"); return 2; }
    int fd = open(argv[1], O_RDONLY);
    uint8_t header[24];
    if (fd < 0 || read(fd, header, 24) != 24 || read32(header) != 0xa1b2c3d4u) {
        fprintf(stderr, "floor: %s is not a little-endian microsecond pcap file\n", argv[1]);
        return 1;
    }
    uint8_t *block = malloc(BLOCK);
    size_t filled = 0, offset = 0, packets = 0, payload = 0, flowCount = 0;
    for (;;) {
        if (offset + 16 > filled || offset + 16 + read32(block + offset + 8) > filled) {
            memmove(block, block + offset, filled - offset);
            filled -= offset;
            offset = 0;
            ssize_t n = read(fd, block + filled, BLOCK - filled);
            if (n <= 0) break;
            filled += (size_t)n;
            continue;
        }
        uint32_t captured = read32(block + offset + 8);
        const uint8_t *frame = block + offset + 16;
        offset += 16 + captured;
        packets++;
        if (captured < 14 + 20 + 20 || frame[12] != 0x08 || frame[13] != 0x00) continue;  /* IPv4 only */
        const uint8_t *ip = frame + 14;
        size_t ipHeader = (ip[0] & 15) * 4, total = (size_t)(ip[2] << 8 | ip[3]);
        if (ip[9] != 6 || total > captured - 14 || ipHeader + 20 > total) continue;
        const uint8_t *tcp = ip + ipHeader;
        size_t tcpHeader = (size_t)(tcp[12] >> 4) * 4;
        if (ipHeader + tcpHeader > total) continue;
        size_t length = total - ipHeader - tcpHeader;
        if (length == 0) continue;
        uint64_t key = (uint64_t)(read32(ip + 12) ^ (read32(ip + 16) << 7 | read32(ip + 16) >> 25)) << 32 | read32(tcp);
        size_t slot = (size_t)((key * 0x9E3779B97F4A7C15ull) >> 46);
        while (flows[slot].key && flows[slot].key != key) slot = (slot + 1) & (TABLE_SIZE - 1);
        Flow *flow = &flows[slot];
        if (!flow->key) { flow->key = key; if (++flowCount == TABLE_SIZE - 1) { fprintf(stderr, "floor: too many connections\n"); return 1; } }
        if (flow->length + length > flow->capacity) {
            flow->capacity = (flow->length + length) * 2;
            flow->bytes = realloc(flow->bytes, flow->capacity);
        }
        memcpy(flow->bytes + flow->length, tcp + tcpHeader, length);
        flow->length += length;
        payload += length;
        if (flow->length > CONSUMED_AT) flow->length = 0;  /* what the next layer would have consumed */
        if (tcp[13] & 0x05) { free(flow->bytes); flow->bytes = NULL; flow->length = flow->capacity = 0; }  /* FIN or RST */
    }
    printf("%zu packets, %zu connection directions, %zu TCP payload bytes\n", packets, flowCount, payload);
    return 0;
}
