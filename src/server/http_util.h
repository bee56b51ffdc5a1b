// Small HTTP helpers shared by the server's parts: request targets, request ids, ETags,
// header parsing. Private to src/server.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/error.h"

namespace pdh::http::detail {

// A request target split into its percent-decoded path and query parameters.
struct Target {
  std::string path;
  std::map<std::string, std::string> query;  // the first of repeated names wins
};

// Parses an origin-form target ("/a/b?x=1"). Fails with "request.invalid_path" (400) when the
// target is malformed, or its decoded path holds a NUL byte or a "." or ".." segment, so no
// later stage (router, static files) ever sees a path that climbs out of its root.
Result<Target> ParseTarget(std::string_view target);

// Whether an incoming X-Request-Id may be reused: 1-64 characters of [A-Za-z0-9._-].
bool IsValidRequestId(std::string_view id);
// A fresh random request id (16 hex digits).
std::string NewRequestId();

// 64-bit FNV-1a: fast, stable across runs and builds, good enough to tell bodies apart.
uint64_t Fnv1a64(std::string_view bytes);
// A strong entity tag for `body`, quoted: "\"0123456789abcdef\"".
std::string EtagFor(std::string_view body);
// Whether an If-None-Match header value matches `etag` (weak comparison, "*" matches all).
bool IfNoneMatchHits(std::string_view if_none_match, std::string_view etag);

// Whether an Accept-Encoding header value accepts gzip (a "gzip" or "*" coding, q > 0).
bool AcceptsGzip(std::string_view accept_encoding);
// `body` compressed as a gzip member (RFC 1952).
std::string Gzip(std::string_view body);
// Whether answers of this media type are worth compressing (text, JSON, CSV, XML, RDF).
bool Compressible(std::string_view media_type);

// The media type of a Content-Type value, lower-cased, without parameters.
std::string MediaType(std::string_view content_type);

// The standard reason phrase for an HTTP status ("Not Found"), "Unknown" for others.
std::string ReasonPhrase(int status);

// The address part of a "host:port" or "[v6]:port" peer ("[::1]" for "[::1]:8080").
std::string_view AddressOf(std::string_view remote);

// Whether the address `address` ("10.0.0.7", "[::1]" or "::1") is one of `networks`: addresses
// and CIDR networks ("127.0.0.1", "10.0.0.0/8", "::1", "fd00::/8"). Unparsable entries match
// nothing.
bool InNetworks(std::string_view address, const std::vector<std::string>& networks);
// "10.0.0.0/8", "::1" and the like as (address, leading bits of 128), IPv4 mapped; nullopt for
// what is not an address or network.
std::optional<std::pair<std::array<unsigned char, 16>, int>> ParseNetwork(std::string_view n);

// The client behind trusted proxies: `remote` when its address is not in `proxies`, else the
// right-most address of `forwarded_for` (X-Forwarded-For) that is not, or the left-most when
// all are.
std::string ClientAddress(std::string_view remote, std::string_view forwarded_for,
                          const std::vector<std::string>& proxies);

// The credentials of an "Authorization: Bearer <token>" header value (scheme case-insensitive),
// or "" for another scheme.
std::string_view BearerToken(std::string_view authorization);

// `s` without leading and trailing spaces and tabs.
std::string_view TrimSpace(std::string_view s);

// Lower-cases ASCII letters.
std::string AsciiLower(std::string_view s);

}  // namespace pdh::http::detail
