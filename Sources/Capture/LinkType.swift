/// A link-layer header type as stored in capture files (the LINKTYPE_* registry of
/// https://www.tcpdump.org/linktypes.html). An open registry: unknown values stay showable.
public struct LinkType: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
    public var rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    /// BSD loopback: a 4-byte address family in the *writer's* byte order.
    public static let null = LinkType(rawValue: 0)
    public static let ethernet = LinkType(rawValue: 1)
    /// Raw IPv4 or IPv6, told apart by the version nibble.
    public static let raw = LinkType(rawValue: 101)
    /// OpenBSD loopback: like `null` but the address family is in network byte order.
    public static let loop = LinkType(rawValue: 108)
    /// Linux cooked capture v1 (`tcpdump -i any` before libpcap 1.10).
    public static let linuxSLL = LinkType(rawValue: 113)
    public static let ipv4 = LinkType(rawValue: 228)
    public static let ipv6 = LinkType(rawValue: 229)
    /// Linux cooked capture v2 (`tcpdump -i any` with libpcap 1.10 and later).
    public static let linuxSLL2 = LinkType(rawValue: 276)

    /// The registry name, e.g. `EN10MB`, or `nil` for a value this table does not know.
    public var name: String? { Self.names[rawValue] }

    public var description: String {
        if let name { return "\(name) (\(rawValue))" }
        return "unknown link type \(rawValue)"
    }

    private static let names: [UInt32: String] = [
        0: "NULL", 1: "EN10MB", 3: "AX25", 6: "IEEE802_5", 7: "ARCNET_BSD", 8: "SLIP", 9: "PPP",
        10: "FDDI", 50: "PPP_HDLC", 51: "PPP_ETHER", 100: "ATM_RFC1483", 101: "RAW", 104: "C_HDLC",
        105: "IEEE802_11", 107: "FRELAY", 108: "LOOP", 113: "LINUX_SLL", 114: "LTALK", 117: "PFLOG",
        119: "IEEE802_11_PRISM", 122: "IP_OVER_FC", 123: "SUNATM", 127: "IEEE802_11_RADIOTAP",
        129: "ARCNET_LINUX", 138: "APPLE_IP_OVER_IEEE1394", 139: "MTP2_WITH_PHDR", 140: "MTP2",
        141: "MTP3", 142: "SCCP", 143: "DOCSIS", 144: "LINUX_IRDA", 147: "USER0", 163: "IEEE802_11_AVS",
        165: "BACNET_MS_TP", 166: "PPP_PPPD", 169: "GPRS_LLC", 177: "LINUX_LAPD", 187: "BLUETOOTH_HCI_H4",
        189: "USB_LINUX", 192: "PPI", 195: "IEEE802_15_4_WITHFCS", 201: "BLUETOOTH_HCI_H4_WITH_PHDR",
        215: "IEEE802_15_4_NONASK_PHY", 220: "USB_LINUX_MMAPPED", 227: "CAN_SOCKETCAN", 228: "IPV4",
        229: "IPV6", 235: "DVB_CI", 239: "NFLOG", 240: "NETANALYZER", 248: "SCTP", 249: "USBPCAP",
        251: "BLUETOOTH_LE_LL", 253: "NETLINK", 254: "BLUETOOTH_LINUX_MONITOR", 263: "PROFIBUS_DL",
        264: "PKTAP", 266: "IPMI_HPM_2", 276: "LINUX_SLL2", 277: "VSOCK", 279: "ETW", 281: "DSA_TAG_BRCM",
    ]
}
