/// Appending fixed-width integers in a chosen byte order, for the capture writers.
struct ByteWriter {
    var bytes: [UInt8] = []
    let littleEndian: Bool

    mutating func u8(_ value: UInt8) { bytes.append(value) }

    mutating func u16(_ value: UInt16) { integer(value) }

    mutating func u32(_ value: UInt32) { integer(value) }

    mutating func u64(_ value: UInt64) { integer(value) }

    mutating func append<C: Collection>(_ data: C) where C.Element == UInt8 { bytes.append(contentsOf: data) }

    mutating func padTo4() { while bytes.count % 4 != 0 { bytes.append(0) } }

    private mutating func integer<T: FixedWidthInteger>(_ value: T) {
        let ordered = littleEndian ? value.littleEndian : value.bigEndian
        withUnsafeBytes(of: ordered) { bytes.append(contentsOf: $0) }
    }
}
