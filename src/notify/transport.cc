// The transports, over libcurl: an HTTP POST for the webhook and SMTP for e-mail. Requests go
// only to the configured URL: no proxy (not even one from the environment), no redirects, only
// the expected protocols, and a time limit on each.
#include <curl/curl.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "notify/internal.h"

namespace pdh::notify::internal {
namespace {

void GlobalInit() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

struct EasyDeleter {
  void operator()(CURL* h) const { curl_easy_cleanup(h); }
};
struct ListDeleter {
  void operator()(curl_slist* l) const { curl_slist_free_all(l); }
};
using Easy = std::unique_ptr<CURL, EasyDeleter>;
using List = std::unique_ptr<curl_slist, ListDeleter>;

// Appends `item` to `list`; false when out of memory.
bool Append(List& list, const std::string& item) {
  curl_slist* grown = curl_slist_append(list.get(), item.c_str());
  if (!grown) return false;
  (void)list.release();  // now owned by `grown`
  list.reset(grown);
  return true;
}

// Keeps the start of an answer's body, for error messages.
size_t KeepSome(char* data, size_t size, size_t count, void* user) {
  auto* out = static_cast<std::string*>(user);
  const size_t n = size * count;
  if (out->size() < 200) out->append(data, std::min(n, 200 - out->size()));
  return n;
}

struct Upload {
  std::string_view data;
  size_t pos = 0;
};

size_t ReadUpload(char* buffer, size_t size, size_t count, void* user) {
  auto* up = static_cast<Upload*>(user);
  const size_t n = std::min(size * count, up->data.size() - up->pos);
  std::memcpy(buffer, up->data.data() + up->pos, n);
  up->pos += n;
  return n;
}

// The options every request shares. `errors` must outlive the handle's use.
Easy NewHandle(const std::string& url, const char* protocols, int timeout_seconds, char* errors) {
  GlobalInit();
  Easy h(curl_easy_init());
  if (!h) return h;
  errors[0] = '\0';
  CURL* c = h.get();
  curl_easy_setopt(c, CURLOPT_URL, url.c_str());
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, protocols);
  curl_easy_setopt(c, CURLOPT_PROXY, "");  // never a proxy, whatever the environment says
  curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_TIMEOUT, static_cast<long>(timeout_seconds));
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, static_cast<long>(timeout_seconds));
  curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errors);
  return h;
}

std::string Describe(CURLcode rc, const char* errors) {
  std::string out = curl_easy_strerror(rc);
  if (errors[0] != '\0') out += std::string(": ") + errors;
  return out;
}

}  // namespace

std::string PostJson(const std::string& url, const std::string& json, int timeout_seconds,
                     const std::vector<std::string>& extra) {
  std::array<char, CURL_ERROR_SIZE> errors{};
  Easy h = NewHandle(url, "http,https", timeout_seconds, errors.data());
  if (!h) return "could not start a request (libcurl)";
  List headers;
  if (!Append(headers, "Content-Type: application/json") || !Append(headers, "Expect:")) {
    return "out of memory";
  }
  for (const auto& line : extra) {
    if (!Append(headers, line)) return "out of memory";
  }
  std::string answer;
  CURL* c = h.get();
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers.get());
  curl_easy_setopt(c, CURLOPT_USERAGENT, "pdh-notify");
  curl_easy_setopt(c, CURLOPT_POSTFIELDS, json.data());
  curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(json.size()));
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, KeepSome);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &answer);
  const CURLcode rc = curl_easy_perform(c);
  if (rc != CURLE_OK) return Describe(rc, errors.data());
  long status = 0;
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
  if (status >= 200 && status < 300) return "";
  std::string out = "HTTP " + std::to_string(status);
  for (char& ch : answer) {
    if (static_cast<unsigned char>(ch) < ' ') ch = ' ';
  }
  if (!answer.empty()) out += ": " + answer;
  return out;
}

std::string SendMail(const Config& config, const std::vector<std::string>& to,
                     const std::string& message) {
  std::array<char, CURL_ERROR_SIZE> errors{};
  Easy h = NewHandle(config.smtp_url, "smtp,smtps", config.timeout_seconds, errors.data());
  if (!h) return "could not start a request (libcurl)";
  List rcpt;
  for (const auto& a : to) {
    if (!Append(rcpt, "<" + a + ">")) return "out of memory";
  }
  const std::string from = "<" + config.email_from + ">";
  Upload up{message};
  CURL* c = h.get();
  curl_easy_setopt(c, CURLOPT_MAIL_FROM, from.c_str());
  curl_easy_setopt(c, CURLOPT_MAIL_RCPT, rcpt.get());
  curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
  curl_easy_setopt(c, CURLOPT_READFUNCTION, ReadUpload);
  curl_easy_setopt(c, CURLOPT_READDATA, &up);
  curl_easy_setopt(c, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(message.size()));
  // smtp://: STARTTLS when the server offers it; smtps:// is TLS from the start.
  curl_easy_setopt(c, CURLOPT_USE_SSL, static_cast<long>(CURLUSESSL_TRY));
  if (!config.smtp_user.empty()) {
    curl_easy_setopt(c, CURLOPT_USERNAME, config.smtp_user.c_str());
    curl_easy_setopt(c, CURLOPT_PASSWORD, config.smtp_password.c_str());
  }
  const CURLcode rc = curl_easy_perform(c);
  if (rc != CURLE_OK) return Describe(rc, errors.data());
  return "";
}

}  // namespace pdh::notify::internal
