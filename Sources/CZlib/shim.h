#ifndef GRPCDUMP_CZLIB_SHIM_H
#define GRPCDUMP_CZLIB_SHIM_H

#include <zlib.h>

// zlib's init entry points are macros (they pass ZLIB_VERSION and sizeof(z_stream)), which Swift
// cannot import; these inline wrappers expose them as functions.
static inline int czlib_inflateInit2(z_streamp strm, int windowBits) {
    return inflateInit2(strm, windowBits);
}

static inline int czlib_deflateInit2(z_streamp strm, int level, int windowBits) {
    return deflateInit2(strm, level, Z_DEFLATED, windowBits, 8, Z_DEFAULT_STRATEGY);
}

#endif
