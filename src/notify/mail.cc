// What notifications look like on the wire: the webhook's JSON and the e-mail's RFC 5322 text
// (RFC 2047 subject, base64 UTF-8 body), and the checks on the configuration they rely on.
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

#include "notify/internal.h"

namespace pdh::notify::internal {
namespace {

constexpr std::string_view kBase64Chars =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

// Bytes of UTF-8 per encoded word: 39 bytes make 52 base64 characters, so a word
// ("=?UTF-8?B?" + 52 + "?=") is 64 characters and "Subject: " + the first stays under 78.
constexpr size_t kWordBytes = 39;

bool IsContinuation(char c) {
  return (static_cast<unsigned char>(c) & 0xC0U) == 0x80U;
}

bool StartsWith(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

Error Invalid(const std::string& message) {
  return Error::Invalid("notify.invalid_config", message);
}

}  // namespace

std::string Base64(std::string_view bytes, size_t wrap) {
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4 + (wrap ? bytes.size() / wrap * 2 + 2 : 0));
  size_t line = 0;
  auto put = [&](char c) {
    if (wrap && line == wrap) {
      out += "\r\n";
      line = 0;
    }
    out += c;
    ++line;
  };
  size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3) {
    const uint32_t n = (static_cast<uint32_t>(static_cast<unsigned char>(bytes[i])) << 16U) |
                       (static_cast<uint32_t>(static_cast<unsigned char>(bytes[i + 1])) << 8U) |
                       static_cast<uint32_t>(static_cast<unsigned char>(bytes[i + 2]));
    put(kBase64Chars[(n >> 18U) & 63U]);
    put(kBase64Chars[(n >> 12U) & 63U]);
    put(kBase64Chars[(n >> 6U) & 63U]);
    put(kBase64Chars[n & 63U]);
  }
  const size_t rest = bytes.size() - i;
  if (rest > 0) {
    uint32_t n = static_cast<uint32_t>(static_cast<unsigned char>(bytes[i])) << 16U;
    if (rest == 2) n |= static_cast<uint32_t>(static_cast<unsigned char>(bytes[i + 1])) << 8U;
    put(kBase64Chars[(n >> 18U) & 63U]);
    put(kBase64Chars[(n >> 12U) & 63U]);
    put(rest == 2 ? kBase64Chars[(n >> 6U) & 63U] : '=');
    put('=');
  }
  return out;
}

std::string EncodeHeader(std::string_view text) {
  std::string clean(text);
  for (char& c : clean) {
    if (c == '\r' || c == '\n') c = ' ';
  }
  std::string out;
  size_t start = 0;
  if (clean.empty()) return out;
  do {
    size_t end = std::min(start + kWordBytes, clean.size());
    while (end < clean.size() && end > start && IsContinuation(clean[end])) --end;
    if (end == start) end = std::min(start + kWordBytes, clean.size());  // not UTF-8: cut anyway
    if (!out.empty()) out += "\r\n ";
    out += "=?UTF-8?B?" + Base64(std::string_view(clean).substr(start, end - start)) + "?=";
    start = end;
  } while (start < clean.size());
  return out;
}

std::string MailDate(TimePoint t) {
  using namespace std::chrono;
  static constexpr std::array<const char*, 7> kDays = {"Sun", "Mon", "Tue", "Wed",
                                                       "Thu", "Fri", "Sat"};
  static constexpr std::array<const char*, 12> kMonths = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                          "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  const auto day = floor<days>(t);
  const year_month_day ymd{day};
  const weekday wd{day};
  const hh_mm_ss hms{floor<seconds>(t - day)};
  std::array<char, 64> buf{};
  std::snprintf(buf.data(), buf.size(), "%s, %02u %s %04d %02d:%02d:%02d +0000",
                kDays[wd.c_encoding()], static_cast<unsigned>(ymd.day()),
                kMonths[static_cast<unsigned>(ymd.month()) - 1], static_cast<int>(ymd.year()),
                static_cast<int>(hms.hours().count()), static_cast<int>(hms.minutes().count()),
                static_cast<int>(hms.seconds().count()));
  return buf.data();
}

bool IsPlainAddress(std::string_view address) {
  if (address.empty() || address.size() > 254) return false;
  const size_t at = address.find('@');
  if (at == 0 || at == std::string_view::npos || at + 1 == address.size()) return false;
  if (address.find('@', at + 1) != std::string_view::npos) return false;
  for (char c : address) {
    if (c <= ' ' || c > '~') return false;
    if (std::string_view("<>()[],;:\"\\").find(c) != std::string_view::npos) return false;
  }
  return true;
}

std::vector<std::string> SplitAddresses(std::string_view value) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= value.size()) {
    size_t end = value.find_first_of(",;", start);
    if (end == std::string_view::npos) end = value.size();
    std::string_view part = value.substr(start, end - start);
    while (!part.empty() && (part.front() == ' ' || part.front() == '\t')) part.remove_prefix(1);
    while (!part.empty() && (part.back() == ' ' || part.back() == '\t')) part.remove_suffix(1);
    if (!part.empty()) out.emplace_back(part);
    start = end + 1;
  }
  return out;
}

std::string FormatMail(const Mail& m) {
  std::string to;
  for (const auto& a : m.to) to += (to.empty() ? "" : ", ") + a;
  // The body in canonical form: every line ended by CRLF.
  std::string body;
  body.reserve(m.body.size() + m.body.size() / 32);
  for (size_t i = 0; i < m.body.size(); ++i) {
    const char c = m.body[i];
    if (c == '\r') {
      body += "\r\n";
      if (i + 1 < m.body.size() && m.body[i + 1] == '\n') ++i;
    } else if (c == '\n') {
      body += "\r\n";
    } else {
      body += c;
    }
  }
  std::string out;
  out += "Date: " + MailDate(m.date) + "\r\n";
  out += "From: " + m.from + "\r\n";
  out += "To: " + to + "\r\n";
  out += "Subject: " + EncodeHeader(m.subject) + "\r\n";
  out += "Message-ID: <" + m.message_id + ">\r\n";
  out += "MIME-Version: 1.0\r\n";
  out += "Auto-Submitted: auto-generated\r\n";
  if (m.attachments.empty()) {
    out += "Content-Type: text/plain; charset=UTF-8\r\n";
    out += "Content-Transfer-Encoding: base64\r\n";
    out += "\r\n";
    out += Base64(body, 76);
    out += "\r\n";
    return out;
  }
  // The boundary cannot occur in base64 text ('=' and '_' are not among its letters' runs).
  const std::string boundary = "=_pdh_" + m.message_id;
  out += "Content-Type: multipart/mixed; boundary=\"" + boundary + "\"\r\n";
  out += "\r\n";
  out += "--" + boundary + "\r\n";
  out += "Content-Type: text/plain; charset=UTF-8\r\n";
  out += "Content-Transfer-Encoding: base64\r\n\r\n";
  out += Base64(body, 76);
  out += "\r\n";
  for (const auto& a : m.attachments) {
    out += "--" + boundary + "\r\n";
    out += "Content-Type: " + a.content_type + "; name=\"" + a.name + "\"\r\n";
    out += "Content-Transfer-Encoding: base64\r\n";
    out += "Content-Disposition: attachment; filename=\"" + a.name + "\"\r\n\r\n";
    for (size_t i = 0; i < a.base64.size(); i += 76) out += a.base64.substr(i, 76) + "\r\n";
  }
  out += "--" + boundary + "--\r\n";
  return out;
}

std::string WebhookJson(const Message& m) {
  boost::json::object o;
  o["kind"] = m.kind;
  o["key"] = m.key;
  o["unit"] = m.unit;
  o["subject"] = m.subject;
  o["body"] = m.body;
  o["data"] = m.data;
  return boost::json::serialize(o);
}

Status Validate(const Config& c) {
  if (!c.webhook_url.empty() && !StartsWith(c.webhook_url, "http://") &&
      !StartsWith(c.webhook_url, "https://")) {
    return Fail(Invalid("notify.webhook_url must start with http:// or https://"));
  }
  if (!c.smtp_url.empty() && !StartsWith(c.smtp_url, "smtp://") &&
      !StartsWith(c.smtp_url, "smtps://")) {
    return Fail(Invalid("notify.smtp_url must start with smtp:// or smtps://"));
  }
  if (!IsPlainAddress(c.email_from)) {
    return Fail(Invalid("notify.email_from '" + c.email_from +
                        "' is not a plain e-mail address (name@domain)"));
  }
  auto check = [](const std::string& setting, const std::string& value) -> Status {
    for (const auto& a : SplitAddresses(value)) {
      if (!IsPlainAddress(a)) {
        std::string message = setting;
        message += " holds '";
        message += a;
        message += "', which is not a plain e-mail address (name@domain)";
        return Fail(Invalid(message));
      }
    }
    return Ok();
  };
  if (auto s = check("notify.email_default", c.email_default); !s) return s;
  for (const auto& [unit, value] : c.unit_emails) {
    if (auto s = check("notify.email." + unit, value); !s) return s;
  }
  if (c.max_attempts < 1) return Fail(Invalid("notify.max_attempts must be at least 1"));
  if (c.timeout_seconds < 1) return Fail(Invalid("notify.timeout_seconds must be at least 1"));
  if (c.backoff_seconds < 1) return Fail(Invalid("notify.backoff_seconds must be at least 1"));
  return Ok();
}

std::vector<std::string> Recipients(const Config& c, const std::string& unit) {
  for (const auto& [code, value] : c.unit_emails) {
    if (code == unit) {
      auto to = SplitAddresses(value);
      if (!to.empty()) return to;
    }
  }
  return SplitAddresses(c.email_default);
}

}  // namespace pdh::notify::internal
