// HTTPS: a self-signed certificate made here with OpenSSL, a round trip through a Beast TLS
// client, HSTS, shutdown with a TLS connection open, an event stream, and refused TLS
// configurations.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <memory>
#include <stdexcept>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <boost/json/parse.hpp>

#include "server/server.h"
#include "server/test_support.h"

namespace pdh::http {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
namespace fs = std::filesystem;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;
using RawResponse = bhttp::response<bhttp::string_body>;
using testing::RunningServer;
using testing::TempDir;

using KeyPtr = std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)>;
using CertPtr = std::unique_ptr<X509, decltype(&X509_free)>;

void Check(bool ok, const char* what) {
  if (!ok) throw std::runtime_error(std::string("OpenSSL failed to ") + what);
}

KeyPtr NewKey() {
  KeyPtr key(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"), &EVP_PKEY_free);
  Check(key != nullptr, "make a P-256 key");
  return key;
}

// A certificate for "localhost", signed by its own key, valid for an hour.
CertPtr SelfSigned(EVP_PKEY* key) {
  CertPtr cert(X509_new(), &X509_free);
  Check(cert != nullptr, "allocate a certificate");
  X509* x = cert.get();
  Check(X509_set_version(x, X509_VERSION_3) == 1, "set the version");
  Check(ASN1_INTEGER_set(X509_get_serialNumber(x), 1) == 1, "set the serial number");
  Check(X509_gmtime_adj(X509_getm_notBefore(x), -60) != nullptr, "set notBefore");
  Check(X509_gmtime_adj(X509_getm_notAfter(x), 3600) != nullptr, "set notAfter");
  Check(X509_set_pubkey(x, key) == 1, "set the public key");
  X509_NAME* name = X509_get_subject_name(x);
  const auto* cn = reinterpret_cast<const unsigned char*>("localhost");
  Check(X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, cn, -1, -1, 0) == 1, "name it");
  Check(X509_set_issuer_name(x, name) == 1, "set the issuer");
  Check(X509_sign(x, key, EVP_sha256()) > 0, "sign the certificate");
  return cert;
}

// Opens `path` for writing, runs `write` on it, and checks both went well.
template <class F>
void WritePem(const fs::path& path, F write) {
  std::unique_ptr<std::FILE, decltype(&std::fclose)> file(std::fopen(path.c_str(), "w"),
                                                          &std::fclose);
  Check(file != nullptr, "open a PEM file");
  Check(write(file.get()) == 1, "write a PEM file");
}

// cert.pem and key.pem in a scratch directory, plus other.key.pem, a key that does not match.
struct TlsFiles {
  TempDir dir;
  fs::path cert = dir.path() / "cert.pem";
  fs::path key = dir.path() / "key.pem";
  fs::path other_key = dir.path() / "other.key.pem";

  TlsFiles() {
    KeyPtr k = NewKey();
    CertPtr c = SelfSigned(k.get());
    WritePem(cert, [&](std::FILE* f) { return PEM_write_X509(f, c.get()); });
    WritePem(key, [&](std::FILE* f) {
      return PEM_write_PrivateKey(f, k.get(), nullptr, nullptr, 0, nullptr, nullptr);
    });
    KeyPtr other = NewKey();
    WritePem(other_key, [&](std::FILE* f) {
      return PEM_write_PrivateKey(f, other.get(), nullptr, nullptr, 0, nullptr, nullptr);
    });
  }

  ServerOptions Options() const {
    ServerOptions o;
    o.tls_cert_file = cert.string();
    o.tls_key_file = key.string();
    return o;
  }
};

// A blocking HTTPS client on one connection; it trusts any certificate (the test's own).
class TlsClient {
 public:
  // With `cert` and `key` (PEM files), it presents that client certificate.
  explicit TlsClient(uint16_t port, const fs::path& cert = {}, const fs::path& key = {})
      : context_(WithCertificate(cert, key)), stream_(io_, context_) {
    stream_.set_verify_mode(ssl::verify_none);
    beast::get_lowest_layer(stream_).connect(
        tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
    stream_.handshake(ssl::stream_base::client);
  }

  RawResponse Get(const std::string& target) {
    bhttp::request<bhttp::string_body> req{bhttp::verb::get, target, 11};
    req.set(bhttp::field::host, "localhost");
    bhttp::write(stream_, req);
    RawResponse res;
    bhttp::read(stream_, buffer_, res);
    return res;
  }

 private:
  static ssl::context WithCertificate(const fs::path& cert, const fs::path& key) {
    ssl::context c(ssl::context::tls_client);
    if (!cert.empty()) {
      c.use_certificate_file(cert.string(), ssl::context::pem);
      c.use_private_key_file(key.string(), ssl::context::pem);
    }
    return c;
  }

  asio::io_context io_;
  ssl::context context_;
  beast::ssl_stream<beast::tcp_stream> stream_;
  beast::flat_buffer buffer_;
};

// A handshaken TLS connection, made before the reader that reads it.
struct TlsConnection {
  explicit TlsConnection(uint16_t port) {
    stream.set_verify_mode(ssl::verify_none);
    beast::get_lowest_layer(stream).connect(
        tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
    stream.handshake(ssl::stream_base::client);
  }

  asio::io_context io;
  ssl::context context{ssl::context::tls_client};
  beast::ssl_stream<beast::tcp_stream> stream{io, context};
};

// A client of one event stream over HTTPS.
class TlsStreamClient : private TlsConnection,
                        public testing::StreamReader<beast::ssl_stream<beast::tcp_stream>> {
 public:
  TlsStreamClient(uint16_t port, const std::string& target)
      : TlsConnection(port), StreamReader(io, stream) {
    bhttp::request<bhttp::empty_body> req{bhttp::verb::get, target, 11};
    req.set(bhttp::field::host, "localhost");
    bhttp::write(stream, req);
  }

  void Close() { beast::get_lowest_layer(stream).close(); }
};

Router TlsRoutes(const std::shared_ptr<EventHub>& hub = std::make_shared<EventHub>()) {
  Router r;
  r.Add("GET", "/api/v1/tls", "tls", [](Request& req) {
    return Response::Json({{"tls", req.tls}});
  });
  r.Add("GET", "/api/v1/whoami", "whoami", [](Request& req) {
    return Response::Json({{"cert", req.client_cert_sha256}});
  });
  r.Add("GET", "/api/v1/events", "events", [hub](Request&) {
    Response res;
    res.events = hub;
    return res;
  });
  return r;
}

TEST(Tls, RoundTripWithHsts) {
  TlsFiles files;
  RunningServer server(TlsRoutes(), files.Options());
  TlsClient client(server.port());
  RawResponse health = client.Get("/healthz");
  EXPECT_EQ(health.result_int(), 200);
  EXPECT_EQ(health["Strict-Transport-Security"], "max-age=31536000; includeSubDomains");
  RawResponse tls = client.Get("/api/v1/tls");  // same connection: keep-alive works over TLS
  EXPECT_EQ(tls.result_int(), 200);
  EXPECT_EQ(boost::json::parse(tls.body()), boost::json::parse(R"({"tls":true})"));
  EXPECT_EQ(tls["Strict-Transport-Security"], "max-age=31536000; includeSubDomains");
}

// Mutual TLS: a client certificate the configured authorities sign is named by its digest, a
// client without one is served as before, one they do not sign ends the handshake.
TEST(Tls, AClientCertificateIsCheckedAndNamedByItsDigest) {
  TlsFiles files;
  const fs::path client_cert = files.dir.path() / "client.pem";
  const fs::path client_key = files.dir.path() / "client.key.pem";
  KeyPtr k = NewKey();
  CertPtr c = SelfSigned(k.get());
  WritePem(client_cert, [&](std::FILE* f) { return PEM_write_X509(f, c.get()); });
  WritePem(client_key, [&](std::FILE* f) {
    return PEM_write_PrivateKey(f, k.get(), nullptr, nullptr, 0, nullptr, nullptr);
  });
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  ASSERT_EQ(X509_digest(c.get(), EVP_sha256(), md, &len), 1);
  std::string digest;
  for (unsigned int i = 0; i < len; ++i) {
    char hex[3];
    std::snprintf(hex, sizeof hex, "%02x", md[i]);
    digest += hex;
  }
  ServerOptions options = files.Options();
  options.tls_client_ca_file = client_cert.string();  // the client's own, self-signed
  RunningServer server(TlsRoutes(), options);
  TlsClient with(server.port(), client_cert, client_key);
  EXPECT_EQ(boost::json::parse(with.Get("/api/v1/whoami").body()).at("cert"),
            boost::json::value(digest));
  TlsClient without(server.port());
  EXPECT_EQ(boost::json::parse(without.Get("/api/v1/whoami").body()).at("cert"), "");
  // The server's own certificate is no client's.
  EXPECT_ANY_THROW(TlsClient(server.port(), files.cert, files.key).Get("/api/v1/whoami"));
}

TEST(Tls, PlainHttpGetsNoAnswer) {
  TlsFiles files;
  RunningServer server(TlsRoutes(), files.Options());
  asio::io_context io;
  tcp::socket socket(io);
  socket.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), server.port()));
  asio::write(socket, asio::buffer(std::string_view("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")));
  std::string got;
  boost::system::error_code ec;
  char buf[256];
  while (!ec) got.append(buf, socket.read_some(asio::buffer(buf), ec));
  EXPECT_FALSE(got.starts_with("HTTP/")) << got;
}

TEST(Tls, StopWithAnIdleTlsConnectionIsPrompt) {
  TlsFiles files;
  RunningServer server(TlsRoutes(), files.Options());
  TlsClient client(server.port());
  EXPECT_EQ(client.Get("/healthz").result_int(), 200);
  TlsClient silent(server.port());  // handshaken, never asks
  EXPECT_LT(server.StopAndWait(), std::chrono::milliseconds(2000));
}

TEST(Tls, EventStream) {
  TlsFiles files;
  auto hub = std::make_shared<EventHub>();
  RunningServer server(TlsRoutes(hub), files.Options());
  TlsStreamClient leaving(server.port(), "/api/v1/events");
  TlsStreamClient staying(server.port(), "/api/v1/events");
  ASSERT_TRUE(leaving.HeaderArrives());
  ASSERT_TRUE(staying.HeaderArrives());
  EXPECT_EQ(staying.response()["Strict-Transport-Security"], "max-age=31536000; includeSubDomains");
  hub->Publish("n", "1");
  EXPECT_TRUE(leaving.BodyGets("id: 1\nevent: n\ndata: 1\n\n")) << leaving.body();
  EXPECT_TRUE(staying.BodyGets("id: 1\nevent: n\ndata: 1\n\n")) << staying.body();

  leaving.Close();
  EXPECT_TRUE(testing::Eventually([&] { return hub->subscribers() == 1; }));

  EXPECT_LT(server.StopAndWait(), std::chrono::milliseconds(2000));
  EXPECT_TRUE(staying.ServerCloses());
  EXPECT_TRUE(staying.complete());
}

// The error Listen() gives for `o`, or "" when it succeeds.
Error ListenError(ServerOptions o) {
  o.port = 0;
  o.access_log = "";
  Server server(o, Router{});
  auto address = server.Listen();
  return address ? Error{} : address.error();
}

TEST(Tls, BadFilesFailListenNamingTheFile) {
  TlsFiles files;
  ServerOptions bad_key = files.Options();
  bad_key.tls_key_file = (files.dir.path() / "garbage.pem").string();
  files.dir.Write("garbage.pem", "not a key");
  Error e = ListenError(bad_key);
  EXPECT_EQ(e.code, "server.tls_config");
  EXPECT_NE(e.message.find(bad_key.tls_key_file), std::string::npos) << e.message;

  ServerOptions missing_cert = files.Options();
  missing_cert.tls_cert_file = (files.dir.path() / "absent.pem").string();
  e = ListenError(missing_cert);
  EXPECT_EQ(e.code, "server.tls_config");
  EXPECT_NE(e.message.find(missing_cert.tls_cert_file), std::string::npos) << e.message;

  ServerOptions mismatch = files.Options();
  mismatch.tls_key_file = files.other_key.string();
  EXPECT_EQ(ListenError(mismatch).code, "server.tls_config");

  ServerOptions half = files.Options();
  half.tls_key_file = "";
  EXPECT_EQ(ListenError(half).code, "server.tls_config");

  EXPECT_EQ(ListenError(files.Options()).code, "");
}

}  // namespace
}  // namespace pdh::http
