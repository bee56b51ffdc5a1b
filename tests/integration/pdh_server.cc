// The real binary under test.
#include "integration/pdh_server.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/json.hpp>

#include <array>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>

#include "store/test_support.h"

namespace pdh::test {

namespace fs = std::filesystem;

const char* ServerPdhBin() {
  const char* given = std::getenv("PDH_SERVER_BIN");
  return given != nullptr && *given ? given : PDH_BIN;
}

const char* FastPdhBin() {
  const char* fast = std::getenv("PDH_FAST_BIN");
  return fast != nullptr && *fast ? fast : PDH_BIN;
}

namespace {

int RunPdhBin(const char* bin, const std::string& args, std::string* out) {
  std::string cmd = std::string(bin) + " " + args + " 2>&1";
  FILE* p = popen(cmd.c_str(), "r");
  if (!p) return -1;
  std::array<char, 4096> buf{};
  std::string text;
  size_t n;
  while ((n = fread(buf.data(), 1, buf.size(), p)) > 0) text.append(buf.data(), n);
  int status = pclose(p);
  if (out) *out = text;
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

}  // namespace

int RunPdh(const std::string& args, std::string* out) {
  return RunPdhBin(ServerPdhBin(), args, out);
}

int RunFastPdh(const std::string& args, std::string* out) {
  return RunPdhBin(FastPdhBin(), args, out);
}

std::string CopyDatabase(const PdhServer& server, const std::string& path, std::string* out) {
  if (!store::testing::OnPostgres()) {
    return RunPdh("backup " + path + " --db " + server.db(), out) == 0 ? path : "";
  }
  const std::string url = store::testing::Database(path);
  return RunPdh("store copy --from " + server.db() + " --to " + url, out) == 0 ? url : "";
}

bool TamperWith(const std::string& db, const std::string& sql) {
  return store::testing::ExecRaw(db, sql);
}

namespace {

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// The demo database every copy comes from, and what `pdh demo --json` printed for it.
struct DemoTemplate {
  std::string db;
  std::string json;
};

const DemoTemplate& Template() {
  static const DemoTemplate t = [] {
    if (const char* given = std::getenv("PDH_DEMO_TEMPLATE"); given != nullptr && *given) {
      return DemoTemplate{given, ReadFile(std::string(given) + ".json")};
    }
    char tmpl[] = "/tmp/pdh-demo-XXXXXX";
    if (!mkdtemp(tmpl)) throw std::runtime_error("mkdtemp failed");
    static const std::string dir = tmpl;
    std::atexit([] {
      std::error_code ec;
      fs::remove_all(dir, ec);
    });
    DemoTemplate made{dir + "/demo.db", ""};
    if (RunPdh("demo --json --db " + made.db, &made.json) != 0) {
      throw std::runtime_error("pdh demo failed: " + made.json);
    }
    return made;
  }();
  return t;
}

// On PostgreSQL (PDH_TEST_BACKEND=postgresql): a new database of the test cluster, a copy of the
// demo. The demo file goes over once (pdh store copy) into a template database each copy is
// made from; its audit key serves them all (PDH_AUDIT_KEY, which the pdh commands inherit).
// The demo copied into the empty PostgreSQL database `url`.
void CopyDemoTo(const std::string& url) {
  const DemoTemplate& t = Template();
  ::setenv("PDH_AUDIT_KEY", (t.db + ".audit-key").c_str(), 1);
  std::string out;
  if (RunFastPdh("store copy --from " + t.db + " --to '" + url + "'", &out) != 0) {
    throw std::runtime_error("pdh store copy to PostgreSQL failed: " + out);
  }
}

}  // namespace

std::string PostgresDemoDatabase() {
  auto& cluster = store::testing::PostgresCluster::Get();
  static const std::string tmpl = [&cluster] {
    const std::string url = cluster.Create("demo_template");
    CopyDemoTo(url);
    return url;
  }();
  return cluster.Create("demo", tmpl);
}

std::string MakeDemo(const std::string& db) {
  const DemoTemplate& t = Template();
  for (const char* suffix : {"", ".audit-key"}) {
    fs::copy_file(t.db + suffix, db + suffix, fs::copy_options::overwrite_existing);
  }
  for (const char* suffix : {"-wal", "-shm"}) fs::remove(db + suffix);
  return t.json;
}

PdhServer::PdhServer(const std::string& extra_args, const char* bin, const std::string& database) {
  char tmpl[] = "/tmp/pdh-it-XXXXXX";
  if (!mkdtemp(tmpl)) throw std::runtime_error("mkdtemp failed");
  dir_ = tmpl;
  std::string out;
  if (!database.empty()) {
    CopyDemoTo(database);
    db_ = database;
    out = Template().json;
  } else if (store::testing::OnPostgres()) {
    db_ = PostgresDemoDatabase();
    out = Template().json;
  } else {
    db_ = dir_ + "/demo.db";
    out = MakeDemo(db_);
  }
  admin_password_ = std::string(boost::json::parse(out).at("admin").at("password").as_string());
  bin_ = bin;
  if (Pdh("tokens create --user admin --name tests", &out) != 0) {
    throw std::runtime_error("pdh tokens create failed: " + out);
  }
  admin_token_ = out.substr(0, out.find('\n'));
  Start(extra_args, bin);
}

PdhServer::PdhServer(const PdhServer& other, const std::string& extra_args)
    : db_(other.db_),
      bin_(other.bin_),
      admin_password_(other.admin_password_),
      admin_token_(other.admin_token_) {
  char tmpl[] = "/tmp/pdh-it-XXXXXX";
  if (!mkdtemp(tmpl)) throw std::runtime_error("mkdtemp failed");
  dir_ = tmpl;
  Start(extra_args, bin_);
}

void PdhServer::Start(const std::string& extra_args, const char* bin) {
  bin_ = bin;
  int pipefd[2];
  if (pipe(pipefd) != 0) throw std::runtime_error("pipe failed");
  pid_ = fork();
  if (pid_ == 0) {
    // A suite that dies (a sanitizer report, a crash) takes its server with it: a server left
    // behind would keep ctest waiting on the output it shares.
    prctl(PR_SET_PDEATHSIG, SIGTERM);
    dup2(pipefd[1], STDOUT_FILENO);
    close(pipefd[0]);
    close(pipefd[1]);
    const std::string log = dir_ + "/access.log";
    const std::string web = std::string(PDH_SOURCE_DIR) + "/web/dist";
    const std::string cmd = std::string("exec ") + (bin != nullptr ? bin : ServerPdhBin()) +
                            " serve --db '" + db_ + "' --listen 127.0.0.1:0 --web " + web +
                            " --access-log " + log + " --rate-per-address 0 --rate-per-token 0 " +
                            extra_args;
    execl("/bin/sh", "sh", "-c", cmd.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  close(pipefd[1]);
  // The first line says where it listens: "pdh: listening on http://127.0.0.1:PORT".
  std::string line;
  char c;
  while (read(pipefd[0], &c, 1) == 1 && c != '\n') line += c;
  close(pipefd[0]);
  const std::string marker = "listening on http://";
  auto at = line.find(marker);
  if (at == std::string::npos) throw std::runtime_error("pdh serve did not start: " + line);
  std::string addr = line.substr(at + marker.size());
  port_ = std::stoi(addr.substr(addr.rfind(':') + 1));
}

PdhServer::~PdhServer() {
  Stop();
  std::error_code ec;
  fs::remove_all(dir_, ec);
}

HttpResponse PdhServer::Get(const std::string& target) const {
  return Request({"GET", target, "", {}});
}

HttpResponse PdhServer::Request(const HttpRequest& r) const {
  for (const auto& [name, value] : r.headers) {
    std::string lower = name;
    for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (lower == "authorization" || lower == "cookie") return Send(host_, port_, r);
  }
  HttpRequest with = r;
  with.headers.emplace_back("Authorization", "Bearer " + admin_token_);
  return Send(host_, port_, with);
}

int PdhServer::Pdh(const std::string& args, std::string* out) const {
  return RunPdhBin(bin_ != nullptr ? bin_ : ServerPdhBin(), args + " --db '" + db_ + "'", out);
}

int PdhServer::Stop() {
  if (pid_ <= 0) return 0;
  kill(pid_, SIGTERM);
  int status = 0;
  waitpid(pid_, &status, 0);
  pid_ = -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

void PdhServer::Kill() {
  if (pid_ <= 0) return;
  kill(pid_, SIGKILL);
  int status = 0;
  waitpid(pid_, &status, 0);
  pid_ = -1;
}

namespace {
PdhServer* shared_server = nullptr;  // stopped by the suite's last test (see main.cc)
}  // namespace

PdhServer& SharedServer() {
  static std::once_flag made;
  std::call_once(made, [] { shared_server = new PdhServer(); });
  return *shared_server;
}

int StopSharedServer() {
  return shared_server == nullptr ? 0 : shared_server->Stop();
}

namespace {
PdhServer* matrix_server = nullptr;
}  // namespace

PdhServer& MatrixServer() {
  if (matrix_server == nullptr) matrix_server = new PdhServer("", FastPdhBin());
  return *matrix_server;
}

int StopMatrixServer() {
  return matrix_server == nullptr ? 0 : matrix_server->Stop();
}

}  // namespace pdh::test
