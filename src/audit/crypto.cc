// The audit log's cryptographic primitives over libsodium: SHA-256 and Ed25519, in hex.
#include <sodium.h>

#include <string>

#include "audit/internal.h"

namespace pdh::audit {
namespace {

const unsigned char* Bytes(std::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}

}  // namespace

Status InitSodium() {
  if (sodium_init() < 0) {
    return Fail(Error::Internal("audit.crypto_unavailable", "libsodium could not be initialised"));
  }
  return Ok();
}

std::string ToHex(std::string_view bytes) {
  std::string hex(bytes.size() * 2 + 1, '\0');
  sodium_bin2hex(hex.data(), hex.size(), Bytes(bytes), bytes.size());
  hex.pop_back();  // the terminating NUL
  return hex;
}

std::optional<std::string> FromHex(std::string_view hex, size_t size) {
  if (hex.size() != size * 2) return std::nullopt;
  std::string bin(size, '\0');
  size_t len = 0;
  if (sodium_hex2bin(reinterpret_cast<unsigned char*>(bin.data()), bin.size(), hex.data(),
                     hex.size(), nullptr, &len, nullptr) != 0 ||
      len != size) {
    return std::nullopt;
  }
  return bin;
}

std::string Sha256Hex(std::string_view data) {
  unsigned char out[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(out, Bytes(data), data.size());
  return ToHex(std::string_view(reinterpret_cast<const char*>(out), sizeof out));
}

std::string HmacSha256Hex(std::string_view key, std::string_view data) {
  crypto_auth_hmacsha256_state state;
  crypto_auth_hmacsha256_init(&state, Bytes(key), key.size());
  crypto_auth_hmacsha256_update(&state, Bytes(data), data.size());
  unsigned char out[crypto_auth_hmacsha256_BYTES];
  crypto_auth_hmacsha256_final(&state, out);
  return ToHex(std::string_view(reinterpret_cast<const char*>(out), sizeof out));
}

std::string CheckpointMessage(int64_t seq, const std::string& hash, const std::string& at) {
  return "pdh-audit-checkpoint\n" + std::to_string(seq) + "\n" + hash + "\n" + at;
}

std::string Sign(const std::string& secret_key, const std::string& message) {
  unsigned char sig[crypto_sign_BYTES];
  crypto_sign_detached(sig, nullptr, Bytes(message), message.size(), Bytes(secret_key));
  return ToHex(std::string_view(reinterpret_cast<const char*>(sig), sizeof sig));
}

bool SignatureValid(const std::string& public_key, const std::string& message,
                    const std::string& signature_hex) {
  auto sig = FromHex(signature_hex, crypto_sign_BYTES);
  return sig && public_key.size() == crypto_sign_PUBLICKEYBYTES &&
         crypto_sign_verify_detached(Bytes(*sig), Bytes(message), message.size(),
                                     Bytes(public_key)) == 0;
}

}  // namespace pdh::audit
