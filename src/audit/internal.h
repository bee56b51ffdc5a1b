// Private to the audit module: the libsodium primitives, the signed checkpoint message and the
// detail's JSON form, shared by the log (which signs) and the verifier (which checks).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <boost/json/value.hpp>

#include "core/error.h"

namespace pdh::audit {

// The previous hash of the first entry ever.
constexpr std::string_view kZeroHash =
    "0000000000000000000000000000000000000000000000000000000000000000";

// An entry's detail as a JSON value: parsed, so what is hashed and exported does not depend on
// how the text was spaced; text that is not JSON (it can only get there by tampering) is taken
// as a JSON string.
boost::json::value DetailValue(const std::string& detail);

// libsodium must be initialised once before use; safe to call repeatedly and from many threads.
Status InitSodium();

std::string ToHex(std::string_view bytes);
// Raw bytes of `hex` when it is exactly `size` bytes of hex; nullopt otherwise.
std::optional<std::string> FromHex(std::string_view hex, size_t size);
// What a checkpoint's signature covers: "pdh-audit-checkpoint\n<seq>\n<hash>\n<at>".
std::string CheckpointMessage(int64_t seq, const std::string& hash, const std::string& at);
// Hex Ed25519 signature of `message` with the raw 64-byte secret key.
std::string Sign(const std::string& secret_key, const std::string& message);
// Whether `signature_hex` is a valid signature of `message` by the raw 32-byte public key.
bool SignatureValid(const std::string& public_key, const std::string& message,
                    const std::string& signature_hex);

}  // namespace pdh::audit
