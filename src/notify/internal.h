// The notify module's parts below the outbox: what goes over the wire (the webhook's JSON, the
// e-mail's RFC 5322 text) and the libcurl transports. Private to src/notify and its tests.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/error.h"
#include "notify/notify.h"

namespace pdh::notify::internal {

// --- Formatting (mail.cc) ---------------------------------------------------------------------

// Standard base64 with padding; with `wrap` > 0, lines of at most `wrap` characters separated
// by CRLF.
std::string Base64(std::string_view bytes, size_t wrap = 0);

// `text` as RFC 2047 encoded words (=?UTF-8?B?...?=), each at most 75 characters, split only
// between whole UTF-8 characters and joined by CRLF + space (a folded header). CR and LF in
// `text` become spaces.
std::string EncodeHeader(std::string_view text);

// RFC 5322 date in UTC: "Fri, 07 Nov 2025 08:15:00 +0000".
std::string MailDate(TimePoint t);

// True for a bare address "name@domain" that can go into headers and SMTP commands as is:
// printable ASCII, one '@' with something on each side, none of the characters that delimit
// addresses or headers.
bool IsPlainAddress(std::string_view address);

// The addresses in a setting value, separated by ',' or ';', trimmed, empty ones dropped.
std::vector<std::string> SplitAddresses(std::string_view value);

struct Mail {
  std::string from;
  std::vector<std::string> to;
  std::string subject;     // UTF-8, one line
  std::string body;        // UTF-8 plain text; line ends become CRLF
  std::string message_id;  // without the angle brackets: "20251107T081500Z.12.outbox@localhost"
  TimePoint date;
  // Files after the text (then the message is multipart/mixed): name, type, base64 bytes.
  struct Part {
    std::string name;
    std::string content_type;
    std::string base64;
  };
  std::vector<Part> attachments;
};

// The whole message: headers (Date, From, To, Subject, Message-ID, MIME-Version, Content-Type
// text/plain; charset=UTF-8, Content-Transfer-Encoding: base64, Auto-Submitted), a blank line
// and the base64 body, every line ended by CRLF. With attachments, a multipart/mixed message:
// the text part first, then each file (base64, Content-Disposition: attachment).
std::string FormatMail(const Mail& m);

// {"kind","key","unit","subject","body","data"} as JSON text.
std::string WebhookJson(const Message& m);

// Checks what Deliver relies on: URL schemes, addresses, positive limits.
// Errors: notify.invalid_config.
Status Validate(const Config& c);

// The addresses a message for `unit` goes to: the unit's own, else the default; empty when
// neither is set.
std::vector<std::string> Recipients(const Config& c, const std::string& unit);

// --- Transports (transport.cc); each returns "" on success, else what went wrong ----------------

// POSTs `json` to `url` with the extra `headers` ("Name: value"); success is a 2xx answer.
std::string PostJson(const std::string& url, const std::string& json, int timeout_seconds,
                     const std::vector<std::string>& headers = {});

// Sends `message` (from FormatMail) through c.smtp_url from c.email_from to `to`.
std::string SendMail(const Config& c, const std::vector<std::string>& to,
                     const std::string& message);

}  // namespace pdh::notify::internal
