// A small blocking HTTP/1.1 client for tests (loopback only).
#pragma once

#include <boost/json.hpp>

#include <map>
#include <string>
#include <utility>
#include <vector>

namespace pdh::test {

struct HttpResponse {
  int status = 0;
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;
  std::string Header(const std::string& lower) const {
    auto it = headers.find(lower);
    return it == headers.end() ? std::string() : it->second;
  }
};

// The response's body parsed as JSON (throws when it is not JSON).
boost::json::value Body(const HttpResponse& r);
// The `code` of a problem response; "" when the body is empty.
std::string Code(const HttpResponse& r);

struct HttpRequest {
  std::string method = "GET";
  std::string target = "/";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
};

// Sends each request in order on one keep-alive connection.
std::vector<HttpResponse> Exchange(const std::string& host, int port,
                                   const std::vector<HttpRequest>& requests);
HttpResponse Send(const std::string& host, int port, const HttpRequest& request);

}  // namespace pdh::test
