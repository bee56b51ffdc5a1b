// Small HTTP helpers shared by the server's parts.
#include "server/http_util.h"

#include <arpa/inet.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdio>
#include <cstring>
#include <optional>
#include <random>
#include <stdexcept>
#include <utility>

#include <zlib.h>

#include <boost/beast/http/status.hpp>
#include <boost/url/parse.hpp>

namespace pdh::http::detail {
namespace {

// Calls `f` on each trimmed, non-empty element of a comma-separated header list; stops when
// `f` returns true and reports whether it did.
template <class F>
bool AnyListElement(std::string_view list, F f) {
  while (!list.empty()) {
    size_t comma = list.find(',');
    std::string_view item = TrimSpace(list.substr(0, comma));
    if (!item.empty() && f(item)) return true;
    if (comma == std::string_view::npos) break;
    list.remove_prefix(comma + 1);
  }
  return false;
}

Error InvalidPath(std::string message) {
  return Error::BadRequest("request.invalid_path", std::move(message));
}

bool HasDotSegment(std::string_view path) {
  while (!path.empty()) {
    size_t slash = path.find('/');
    std::string_view segment = path.substr(0, slash);
    if (segment == "." || segment == "..") return true;
    if (slash == std::string_view::npos) break;
    path.remove_prefix(slash + 1);
  }
  return false;
}

}  // namespace

Result<Target> ParseTarget(std::string_view target) {
  auto url = boost::urls::parse_origin_form(target);
  if (!url) {
    return Fail(
        InvalidPath("the request target is not a valid path and query; "
                    "percent-encode reserved characters"));
  }
  Target out;
  out.path = url->path();
  if (out.path.find('\0') != std::string::npos) {
    return Fail(InvalidPath("the request path contains a NUL byte"));
  }
  if (HasDotSegment(out.path)) {
    return Fail(InvalidPath("the request path contains a '.' or '..' segment"));
  }
  for (auto param : url->params()) out.query.emplace(param.key, param.value);
  return out;
}

bool IsValidRequestId(std::string_view id) {
  if (id.empty() || id.size() > 64) return false;
  return std::ranges::all_of(id, [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
           c == '_' || c == '-';
  });
}

std::string NewRequestId() {
  thread_local std::mt19937_64 engine{std::random_device{}()};
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(engine()));
  return buf;
}

uint64_t Fnv1a64(std::string_view bytes) {
  uint64_t h = 0xcbf29ce484222325ULL;
  for (unsigned char c : bytes) {
    h ^= c;
    h *= 0x100000001b3ULL;
  }
  return h;
}

std::string EtagFor(std::string_view body) {
  char buf[19];
  std::snprintf(buf, sizeof buf, "\"%016llx\"", static_cast<unsigned long long>(Fnv1a64(body)));
  return buf;
}

bool IfNoneMatchHits(std::string_view if_none_match, std::string_view etag) {
  auto opaque = [](std::string_view tag) { return tag.starts_with("W/") ? tag.substr(2) : tag; };
  return AnyListElement(if_none_match, [&](std::string_view tag) {
    return tag == "*" || opaque(tag) == opaque(etag);
  });
}

bool AcceptsGzip(std::string_view accept_encoding) {
  return AnyListElement(accept_encoding, [](std::string_view item) {
    size_t semi = item.find(';');
    std::string coding = AsciiLower(TrimSpace(item.substr(0, semi)));
    if (coding != "gzip" && coding != "*") return false;
    if (semi == std::string_view::npos) return true;
    std::string params = AsciiLower(item.substr(semi + 1));
    size_t q = params.find("q=");
    if (q == std::string::npos) return true;
    double weight = 1.0;
    std::from_chars(params.data() + q + 2, params.data() + params.size(), weight);
    return weight > 0.0;
  });
}

std::string Gzip(std::string_view body) {
  z_stream z{};
  // windowBits 15 + 16: a gzip header and trailer; level 6 as gzip's own default.
  if (deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
    throw std::runtime_error("gzip: deflateInit2 failed");
  }
  std::string out(deflateBound(&z, static_cast<uLong>(body.size())), '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(body.data()));
  z.avail_in = static_cast<uInt>(body.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  const int done = deflate(&z, Z_FINISH);
  deflateEnd(&z);
  if (done != Z_STREAM_END) throw std::runtime_error("gzip: deflate did not finish");
  out.resize(z.total_out);
  return out;
}

bool Compressible(std::string_view media_type) {
  return media_type.starts_with("text/") || media_type.ends_with("json") ||
         media_type.ends_with("+xml") || media_type == "application/xml" ||
         media_type == "application/x-ndjson" || media_type == "application/javascript";
}

std::string MediaType(std::string_view content_type) {
  return AsciiLower(TrimSpace(content_type.substr(0, content_type.find(';'))));
}

std::string ReasonPhrase(int status) {
  auto reason =
      boost::beast::http::obsolete_reason(static_cast<boost::beast::http::status>(status));
  if (reason.empty() || reason.front() == '<') return "Unknown";
  return std::string(reason);
}

std::string_view AddressOf(std::string_view remote) {
  if (remote.starts_with('[')) {
    size_t close = remote.find(']');
    return close == std::string_view::npos ? remote : remote.substr(0, close + 1);
  }
  size_t colon = remote.find(':');
  // One colon: an IPv4 address and its port; more: a bare IPv6 address.
  return colon == remote.rfind(':') ? remote.substr(0, colon) : remote;
}

namespace {

// An IPv4 or IPv6 address as 16 bytes (IPv4 as ::ffff:a.b.c.d); false when it is neither.
bool ParseAddress(std::string_view text, std::array<unsigned char, 16>& out) {
  if (text.starts_with('[') && text.ends_with(']')) text = text.substr(1, text.size() - 2);
  const std::string s(TrimSpace(text));
  in_addr v4{};
  if (::inet_pton(AF_INET, s.c_str(), &v4) == 1) {
    out.fill(0);
    out[10] = 0xff;
    out[11] = 0xff;
    std::memcpy(out.data() + 12, &v4, 4);
    return true;
  }
  in6_addr v6{};
  if (::inet_pton(AF_INET6, s.c_str(), &v6) == 1) {
    std::memcpy(out.data(), &v6, 16);
    return true;
  }
  return false;
}

}  // namespace

// A network as its address and the number of leading bits that name it (of 128, IPv4 mapped).
std::optional<std::pair<std::array<unsigned char, 16>, int>> ParseNetwork(std::string_view n) {
  const size_t slash = n.find('/');
  std::array<unsigned char, 16> net{};
  if (!ParseAddress(n.substr(0, slash), net)) return std::nullopt;
  const bool v4 = n.find(':') == std::string_view::npos;
  int bits = 128;
  if (slash != std::string_view::npos) {
    int prefix = -1;
    const char* first = n.data() + slash + 1;
    auto [end, ec] = std::from_chars(first, n.data() + n.size(), prefix);
    if (ec != std::errc() || end != n.data() + n.size() || prefix < 0 || prefix > (v4 ? 32 : 128)) {
      return std::nullopt;
    }
    bits = v4 ? prefix + 96 : prefix;
  }
  return std::make_pair(net, bits);
}

bool InNetworks(std::string_view address, const std::vector<std::string>& networks) {
  std::array<unsigned char, 16> a{};
  if (!ParseAddress(address, a)) return false;
  for (const std::string& n : networks) {
    const auto net = ParseNetwork(n);
    if (!net) continue;
    bool same = true;
    for (int i = 0; i < net->second && same; ++i) {
      const int byte = i / 8;
      const int mask = 0x80 >> (i % 8);
      same =
          (a[static_cast<size_t>(byte)] & mask) == (net->first[static_cast<size_t>(byte)] & mask);
    }
    if (same) return true;
  }
  return false;
}

std::string ClientAddress(std::string_view remote, std::string_view forwarded_for,
                          const std::vector<std::string>& proxies) {
  if (proxies.empty() || TrimSpace(forwarded_for).empty() ||
      !InNetworks(AddressOf(remote), proxies)) {
    return std::string(remote);
  }
  std::string_view left;
  while (!forwarded_for.empty()) {
    const size_t comma = forwarded_for.rfind(',');
    const std::string_view hop = TrimSpace(
        comma == std::string_view::npos ? forwarded_for : forwarded_for.substr(comma + 1));
    forwarded_for =
        comma == std::string_view::npos ? std::string_view() : forwarded_for.substr(0, comma);
    std::array<unsigned char, 16> parsed{};
    if (!ParseAddress(hop, parsed)) break;  // not an address: what came before it is not trusted
    if (!InNetworks(hop, proxies)) return std::string(hop);
    left = hop;
  }
  return left.empty() ? std::string(remote) : std::string(left);
}

std::string_view BearerToken(std::string_view authorization) {
  constexpr std::string_view kScheme = "bearer ";
  authorization = TrimSpace(authorization);
  if (authorization.size() <= kScheme.size() ||
      AsciiLower(authorization.substr(0, kScheme.size())) != kScheme) {
    return {};
  }
  return TrimSpace(authorization.substr(kScheme.size()));
}

std::string_view TrimSpace(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::string AsciiLower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

}  // namespace pdh::http::detail

namespace pdh::http {

bool IsAddressOrNetwork(std::string_view text) {
  return detail::ParseNetwork(text).has_value();
}

std::string EtagOf(std::string_view body) {
  return detail::EtagFor(body);
}

}  // namespace pdh::http
