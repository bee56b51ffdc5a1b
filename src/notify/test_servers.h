// Test servers for notifications, header-only so any test can include them: an SMTP sink and a
// webhook receiver, each a thread with a loopback listener on an ephemeral port that records
// what it receives. Also the decoding a test needs to read a recorded e-mail (RFC 2047 subject,
// base64 body) and a port where nothing listens.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <atomic>
#include <cctype>
#include <chrono>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

namespace pdh::notify::testing {

// --- Decoding ---------------------------------------------------------------------------------

// Decodes standard base64, skipping whitespace and line breaks; stops at '='.
inline std::string DecodeBase64(std::string_view in) {
  std::string out;
  uint32_t acc = 0;
  int bits = 0;
  for (char c : in) {
    int v = -1;
    if (c >= 'A' && c <= 'Z') v = c - 'A';
    if (c >= 'a' && c <= 'z') v = c - 'a' + 26;
    if (c >= '0' && c <= '9') v = c - '0' + 52;
    if (c == '+') v = 62;
    if (c == '/') v = 63;
    if (c == '=') break;
    if (v < 0) continue;
    acc = (acc << 6U) | static_cast<uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((acc >> static_cast<uint32_t>(bits)) & 0xFFU);
    }
  }
  return out;
}

// Decodes a header value: unfolds it and replaces each =?charset?B|Q?...?= word by its bytes
// (charset ignored; UTF-8 assumed), dropping whitespace between adjacent encoded words.
inline std::string DecodeHeader(std::string_view value) {
  std::string unfolded;
  for (size_t i = 0; i < value.size(); ++i) {
    if (value[i] == '\r' && i + 1 < value.size() && value[i + 1] == '\n') {
      ++i;
      continue;
    }
    unfolded += value[i];
  }
  std::string out;
  std::string pending_space;  // whitespace after an encoded word, kept unless another follows
  bool after_word = false;
  size_t i = 0;
  while (i < unfolded.size()) {
    if (unfolded.compare(i, 2, "=?") == 0) {
      const size_t q1 = unfolded.find('?', i + 2);
      const size_t q2 = q1 == std::string::npos ? q1 : unfolded.find('?', q1 + 1);
      const size_t end = q2 == std::string::npos ? q2 : unfolded.find("?=", q2 + 1);
      if (end != std::string::npos) {
        const char enc =
            static_cast<char>(std::toupper(static_cast<unsigned char>(unfolded[q1 + 1])));
        const std::string_view text = std::string_view(unfolded).substr(q2 + 1, end - q2 - 1);
        if (!after_word) out += pending_space;
        pending_space.clear();
        if (enc == 'B') {
          out += DecodeBase64(text);
        } else {
          for (size_t k = 0; k < text.size(); ++k) {
            if (text[k] == '_') {
              out += ' ';
            } else if (text[k] == '=' && k + 2 < text.size()) {
              out += static_cast<char>(std::stoi(std::string(text.substr(k + 1, 2)), nullptr, 16));
              k += 2;
            } else {
              out += text[k];
            }
          }
        }
        after_word = true;
        i = end + 2;
        continue;
      }
    }
    if (unfolded[i] == ' ' || unfolded[i] == '\t') {
      pending_space += unfolded[i];
    } else {
      out += pending_space;
      pending_space.clear();
      out += unfolded[i];
      after_word = false;
    }
    ++i;
  }
  return out + pending_space;
}

// --- A loopback listener ------------------------------------------------------------------------

// Accepts connections on 127.0.0.1:<ephemeral port> on its own thread and hands each, one at a
// time, to `serve` (reads on it time out after 5 s, so a stuck client cannot hang a test).
class LoopbackServer {
 public:
  explicit LoopbackServer(std::function<void(int fd)> serve) : serve_(std::move(serve)) {
    listener_ = ::socket(AF_INET, SOCK_STREAM, 0);
    if (listener_ < 0) throw std::runtime_error("socket failed");
    int one = 1;
    ::setsockopt(listener_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    if (::bind(listener_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
        ::listen(listener_, 16) != 0) {
      ::close(listener_);
      throw std::runtime_error("bind/listen failed");
    }
    socklen_t len = sizeof addr;
    ::getsockname(listener_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    thread_ = std::thread([this] { Loop(); });
  }
  LoopbackServer(const LoopbackServer&) = delete;
  LoopbackServer& operator=(const LoopbackServer&) = delete;
  ~LoopbackServer() {
    stop_ = true;
    thread_.join();
    ::close(listener_);
  }

  int port() const { return port_; }

 private:
  void Loop() {
    while (!stop_) {
      pollfd p{listener_, POLLIN, 0};
      if (::poll(&p, 1, 50) <= 0) continue;
      const int fd = ::accept(listener_, nullptr, nullptr);
      if (fd < 0) continue;
      timeval tv{5, 0};
      ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
      serve_(fd);
      ::close(fd);
    }
  }

  std::function<void(int)> serve_;
  int listener_ = -1;
  int port_ = 0;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

// Buffered reads from a connected socket.
class Connection {
 public:
  explicit Connection(int fd) : fd_(fd) {}

  // The next line without its CRLF (or LF); nullopt when the peer closed or went silent.
  std::optional<std::string> ReadLine() {
    for (;;) {
      const size_t nl = buffer_.find('\n');
      if (nl != std::string::npos) {
        std::string line = buffer_.substr(0, nl);
        buffer_.erase(0, nl + 1);
        if (!line.empty() && line.back() == '\r') line.pop_back();
        return line;
      }
      if (!Fill()) return std::nullopt;
    }
  }

  // Exactly `n` bytes; nullopt when the peer closed first.
  std::optional<std::string> Read(size_t n) {
    while (buffer_.size() < n) {
      if (!Fill()) return std::nullopt;
    }
    std::string out = buffer_.substr(0, n);
    buffer_.erase(0, n);
    return out;
  }

  void Write(std::string_view s) const {
    while (!s.empty()) {
      const ssize_t n = ::send(fd_, s.data(), s.size(), MSG_NOSIGNAL);
      if (n <= 0) return;
      s.remove_prefix(static_cast<size_t>(n));
    }
  }

 private:
  bool Fill() {
    char chunk[4096];
    const ssize_t n = ::recv(fd_, chunk, sizeof chunk, 0);
    if (n <= 0) return false;
    buffer_.append(chunk, static_cast<size_t>(n));
    return true;
  }

  int fd_;
  std::string buffer_;
};

// A port on 127.0.0.1 where nothing listens (bound, then released): connections are refused.
inline int ClosedPort() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  (void)::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  socklen_t len = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  ::close(fd);
  return ntohs(addr.sin_port);
}

// --- SMTP sink ----------------------------------------------------------------------------------

struct SmtpMessage {
  std::string mail_from;             // as given: "<pdh@localhost>"
  std::vector<std::string> rcpt_to;  // as given: "<a@b>"
  std::string data;                  // the message, dot-unstuffed, lines ended by CRLF

  // The raw (still folded, encoded) value of the first header called `name` (any case), or "".
  std::string Header(std::string_view name) const {
    const size_t end = data.find("\r\n\r\n");
    const std::string head = data.substr(0, end == std::string::npos ? data.size() : end + 2);
    size_t pos = 0;
    while (pos < head.size()) {
      size_t eol = head.find("\r\n", pos);
      // A header's value runs on over continuation lines (starting with a space or tab).
      while (eol != std::string::npos && eol + 2 < head.size() &&
             (head[eol + 2] == ' ' || head[eol + 2] == '\t')) {
        eol = head.find("\r\n", eol + 2);
      }
      if (eol == std::string::npos) eol = head.size();
      const std::string line = head.substr(pos, eol - pos);
      const size_t colon = line.find(':');
      if (colon != std::string::npos && colon == name.size()) {
        bool same = true;
        for (size_t i = 0; i < colon; ++i) {
          same = same && std::tolower(static_cast<unsigned char>(line[i])) ==
                             std::tolower(static_cast<unsigned char>(name[i]));
        }
        if (same) {
          size_t v = colon + 1;
          while (v < line.size() && line[v] == ' ') ++v;
          return line.substr(v);
        }
      }
      pos = eol + 2;
    }
    return "";
  }
  std::string Subject() const { return DecodeHeader(Header("Subject")); }
  // The body after the blank line, decoded when it is base64.
  std::string Body() const {
    const size_t end = data.find("\r\n\r\n");
    const std::string raw = end == std::string::npos ? "" : data.substr(end + 4);
    std::string cte = Header("Content-Transfer-Encoding");
    for (char& c : cte) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return cte == "base64" ? DecodeBase64(raw) : raw;
  }
};

// Speaks enough SMTP for libcurl: greeting, EHLO/HELO, MAIL, RCPT, DATA, RSET, NOOP, QUIT.
// A message is recorded before its DATA is acknowledged.
class SmtpSink {
 public:
  SmtpSink() : server_([this](int fd) { Serve(fd); }) {}

  int port() const { return server_.port(); }
  std::string url() const { return "smtp://127.0.0.1:" + std::to_string(port()); }
  std::vector<SmtpMessage> messages() const {
    std::lock_guard lock(mu_);
    return messages_;
  }
  size_t count() const {
    std::lock_guard lock(mu_);
    return messages_.size();
  }

 private:
  static std::string Upper(std::string s) {
    for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return s;
  }

  void Serve(int fd) {
    Connection c(fd);
    c.Write("220 sink.test ESMTP\r\n");
    SmtpMessage m;
    for (;;) {
      auto line = c.ReadLine();
      if (!line) return;
      const std::string verb = Upper(line->substr(0, line->find(' ')));
      const std::string arg =
          line->find(':') == std::string::npos ? "" : line->substr(line->find(':') + 1);
      if (verb == "EHLO") {
        c.Write("250-sink.test\r\n250 8BITMIME\r\n");
      } else if (verb == "HELO" || verb == "NOOP") {
        c.Write("250 ok\r\n");
      } else if (verb == "RSET") {
        m = {};
        c.Write("250 ok\r\n");
      } else if (verb == "MAIL") {
        m = {};
        m.mail_from = arg.substr(0, arg.find(' '));
        c.Write("250 ok\r\n");
      } else if (verb == "RCPT") {
        m.rcpt_to.push_back(arg.substr(0, arg.find(' ')));
        c.Write("250 ok\r\n");
      } else if (verb == "DATA") {
        c.Write("354 end with <CRLF>.<CRLF>\r\n");
        for (;;) {
          auto l = c.ReadLine();
          if (!l) return;
          if (*l == ".") break;
          if (!l->empty() && l->front() == '.') l->erase(0, 1);
          m.data += *l + "\r\n";
        }
        {
          std::lock_guard lock(mu_);
          messages_.push_back(std::move(m));
        }
        m = {};
        c.Write("250 queued\r\n");
      } else if (verb == "QUIT") {
        c.Write("221 bye\r\n");
        return;
      } else {
        c.Write("502 not implemented\r\n");
      }
    }
  }

  mutable std::mutex mu_;
  std::vector<SmtpMessage> messages_;
  LoopbackServer server_;  // last: its thread uses the members above
};

// --- Webhook receiver ---------------------------------------------------------------------------

struct HttpRequest {
  std::string method;
  std::string target;
  std::map<std::string, std::string> headers;  // names lowercased
  std::string body;
};

// An HTTP/1.1 server answering every request with the configured status (200 unless set) and
// closing the connection. A request is recorded before it is answered.
class WebhookReceiver {
 public:
  WebhookReceiver() : server_([this](int fd) { Serve(fd); }) {}

  int port() const { return server_.port(); }
  std::string url(std::string_view path = "/hook") const {
    return "http://127.0.0.1:" + std::to_string(port()) + std::string(path);
  }
  void set_status(int status) { status_ = status; }
  std::vector<HttpRequest> requests() const {
    std::lock_guard lock(mu_);
    return requests_;
  }
  size_t count() const {
    std::lock_guard lock(mu_);
    return requests_.size();
  }

 private:
  void Serve(int fd) {
    Connection c(fd);
    auto start = c.ReadLine();
    if (!start) return;
    HttpRequest r;
    const size_t sp1 = start->find(' ');
    const size_t sp2 = start->find(' ', sp1 + 1);
    r.method = start->substr(0, sp1);
    r.target = start->substr(sp1 + 1, sp2 - sp1 - 1);
    for (;;) {
      auto line = c.ReadLine();
      if (!line) return;
      if (line->empty()) break;
      const size_t colon = line->find(':');
      if (colon == std::string::npos) continue;
      std::string name = line->substr(0, colon);
      for (char& ch : name) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
      size_t v = colon + 1;
      while (v < line->size() && (*line)[v] == ' ') ++v;
      r.headers[name] = line->substr(v);
    }
    const auto length = r.headers.find("content-length");
    if (length != r.headers.end()) {
      auto body = c.Read(std::stoul(length->second));
      if (!body) return;
      r.body = std::move(*body);
    }
    const int status = status_;
    {
      std::lock_guard lock(mu_);
      requests_.push_back(std::move(r));
    }
    const std::string text = status / 100 == 2 ? "OK" : "Error";
    c.Write("HTTP/1.1 " + std::to_string(status) + " " + text +
            "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
  }

  std::atomic<int> status_{200};
  mutable std::mutex mu_;
  std::vector<HttpRequest> requests_;
  LoopbackServer server_;  // last: its thread uses the members above
};

}  // namespace pdh::notify::testing
