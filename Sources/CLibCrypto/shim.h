#ifndef GRPCDUMP_CLIBCRYPTO_SHIM_H
#define GRPCDUMP_CLIBCRYPTO_SHIM_H

// OpenSSL's libcrypto (libssl-dev) for the TLS record layer's hot path: an AEAD context made
// once per key and used for every record, with no copy but the plaintext's, and one-shot HMAC
// for HKDF. Only library calls here; no cipher is written by hand.
#include <openssl/core_names.h>
#include <openssl/evp.h>

/// A decryption context for `cipher` with `key`, its nonce length set to 12 (RFC 8446 §5.3,
/// RFC 5288 §3, RFC 7905 §2); NULL on failure. Free with EVP_CIPHER_CTX_free.
static inline EVP_CIPHER_CTX *clibcrypto_aead_context(const EVP_CIPHER *cipher, const unsigned char *key) {
    EVP_CIPHER_CTX *context = EVP_CIPHER_CTX_new();
    if (context == NULL) return NULL;
    if (EVP_DecryptInit_ex(context, cipher, NULL, NULL, NULL) != 1
        || EVP_CIPHER_CTX_ctrl(context, EVP_CTRL_AEAD_SET_IVLEN, 12, NULL) != 1
        || EVP_DecryptInit_ex(context, NULL, NULL, key, NULL) != 1) {
        EVP_CIPHER_CTX_free(context);
        return NULL;
    }
    return context;
}

/// Opens one AEAD record: `length` bytes of ciphertext into `plaintext` (room for `length`),
/// authenticated with `aad` and the 16-byte `tag`. Returns 1 when the tag verifies, else 0.
static inline int clibcrypto_aead_open(EVP_CIPHER_CTX *context, const unsigned char *nonce,
                                       const unsigned char *aad, int aadLength,
                                       const unsigned char *ciphertext, int length,
                                       const unsigned char *tag, unsigned char *plaintext) {
    int written = 0, finalWritten = 0;
    if (EVP_DecryptInit_ex(context, NULL, NULL, NULL, nonce) != 1) return 0;
    if (aadLength > 0 && EVP_DecryptUpdate(context, NULL, &written, aad, aadLength) != 1) return 0;
    if (length > 0 && EVP_DecryptUpdate(context, plaintext, &written, ciphertext, length) != 1) return 0;
    if (EVP_CIPHER_CTX_ctrl(context, EVP_CTRL_AEAD_SET_TAG, 16, (void *)tag) != 1) return 0;
    return EVP_DecryptFinal_ex(context, plaintext + written, &finalWritten) == 1;
}

/// An HMAC context for `digest` ("SHA256", "SHA384"), its algorithms fetched once: a template
/// for `clibcrypto_hmac` (OpenSSL 3 looks algorithms up by name, which each one-shot call
/// would do again). NULL on failure.
static inline EVP_MAC_CTX *clibcrypto_hmac_template(const char *digest) {
    EVP_MAC *mac = EVP_MAC_fetch(NULL, "HMAC", NULL);
    if (mac == NULL) return NULL;
    EVP_MAC_CTX *context = EVP_MAC_CTX_new(mac);
    EVP_MAC_free(mac);  // the context keeps its own reference
    if (context == NULL) return NULL;
    OSSL_PARAM params[] = { OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, (char *)digest, 0), OSSL_PARAM_construct_end() };
    if (EVP_MAC_CTX_set_params(context, params) != 1) {
        EVP_MAC_CTX_free(context);
        return NULL;
    }
    return context;
}

/// This thread's HMAC context made from `template` (a copy, made at the thread's first use and
/// kept for it: copying a context for every HMAC was 40% of its cost), or NULL when none can be
/// kept (more than two templates, or the copy failed).
static inline EVP_MAC_CTX *clibcrypto_hmac_context(const EVP_MAC_CTX *template) {
    static __thread struct { const EVP_MAC_CTX *template; EVP_MAC_CTX *context; } kept[2];
    for (int index = 0; index < 2; index++) {
        if (kept[index].template == template) return kept[index].context;
        if (kept[index].template == NULL) {
            EVP_MAC_CTX *context = EVP_MAC_CTX_dup(template);
            if (context == NULL) return NULL;
            kept[index].template = template;
            kept[index].context = context;
            return context;
        }
    }
    return NULL;
}

/// HMAC(key, data) into `mac` (room for EVP_MAX_MD_SIZE) with this thread's context for
/// `template` (each HMAC sets its key afresh); returns its length, or 0 on failure.
static inline size_t clibcrypto_hmac(const EVP_MAC_CTX *template, const unsigned char *key, size_t keyLength,
                                     const unsigned char *data, size_t length, unsigned char *mac) {
    EVP_MAC_CTX *kept = clibcrypto_hmac_context(template);
    EVP_MAC_CTX *context = kept != NULL ? kept : EVP_MAC_CTX_dup(template);
    size_t written = 0;
    int ok = context != NULL && EVP_MAC_init(context, key, keyLength, NULL) == 1 && EVP_MAC_update(context, data, length) == 1
        && EVP_MAC_final(context, mac, &written, EVP_MAX_MD_SIZE) == 1;
    if (context != kept) EVP_MAC_CTX_free(context);
    return ok ? written : 0;
}

#endif
