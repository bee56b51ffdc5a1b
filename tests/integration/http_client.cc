// Blocking HTTP client over Boost.Beast, for tests.
#include "integration/http_client.h"

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <algorithm>
#include <cctype>

namespace pdh::test {

namespace beast = boost::beast;
namespace http = beast::http;
namespace asio = boost::asio;

std::vector<HttpResponse> Exchange(const std::string& host, int port,
                                   const std::vector<HttpRequest>& requests) {
  asio::io_context ioc;
  asio::ip::tcp::resolver resolver(ioc);
  beast::tcp_stream stream(ioc);
  stream.connect(resolver.resolve(host, std::to_string(port)));
  std::vector<HttpResponse> out;
  beast::flat_buffer buffer;
  for (const auto& r : requests) {
    http::request<http::string_body> req{http::string_to_verb(r.method), r.target, 11};
    req.set(http::field::host, host);
    for (const auto& [k, v] : r.headers) req.set(k, v);
    req.body() = r.body;
    req.prepare_payload();
    http::write(stream, req);
    http::response_parser<http::string_body> parser;
    parser.body_limit(256 * 1024 * 1024);
    if (r.method == "HEAD") parser.skip(true);
    // An event stream does not end: its answer is the header (the connection is dropped after).
    http::read_header(stream, buffer, parser);
    const bool stream_body =
        parser.get()[http::field::content_type].starts_with("text/event-stream");
    if (!stream_body && !parser.is_done()) http::read(stream, buffer, parser);
    auto res = parser.release();
    HttpResponse h;
    h.status = static_cast<int>(res.result_int());
    for (const auto& f : res) {
      std::string name(f.name_string());
      std::transform(name.begin(), name.end(), name.begin(),
                     [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
      h.headers[name] = std::string(f.value());
    }
    h.body = std::move(res.body());
    out.push_back(std::move(h));
    if (stream_body) break;
  }
  beast::error_code ec;
  stream.socket().shutdown(asio::ip::tcp::socket::shutdown_both, ec);
  return out;
}

HttpResponse Send(const std::string& host, int port, const HttpRequest& request) {
  return Exchange(host, port, {request}).front();
}

boost::json::value Body(const HttpResponse& r) {
  return boost::json::parse(r.body);
}

std::string Code(const HttpResponse& r) {
  return r.body.empty() ? "" : std::string(Body(r).at("code").as_string());
}

}  // namespace pdh::test
