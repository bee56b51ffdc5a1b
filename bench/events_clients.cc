// Many event-stream clients in one process, for bench/events_clients.py: a load generator that
// costs the machine little next to the server it measures (one thread, epoll, no parsing beyond
// finding the event lines).
//
// Usage: events_clients HOST PORT TOKEN CLIENTS EVENTS TIMEOUT_S
// Opens CLIENTS connections to GET /api/v1/events as TOKEN, a few hundred at a time; prints
// "ready" on stdout once every one has its "hello", then for each "values" event a client
// receives records the wall-clock time its bytes arrived. When every client has EVENTS of them
// (or TIMEOUT_S passed since "ready"), prints one line per client: the arrival times in
// microseconds since the epoch, separated by spaces.
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

namespace {

struct Client {
  int fd = -1;
  bool hello = false;
  std::string tail;  // the last bytes read, so that a line cut between two reads is found
  std::vector<long long> arrivals;
};

long long NowMicros() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

int Connect(const sockaddr_in& addr, const std::string& request) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return -1;
  if (::connect(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) != 0 ||
      ::send(fd, request.data(), request.size(), 0) != static_cast<ssize_t>(request.size())) {
    ::close(fd);
    return -1;
  }
  ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK);
  return fd;
}

// Counts the occurrences of `needle` in what arrived, the tail of the previous read included.
int Count(Client& c, const char* data, size_t n, const std::string& needle) {
  std::string text = c.tail;
  text.append(data, n);
  int found = 0;
  for (size_t at = text.find(needle); at != std::string::npos;
       at = text.find(needle, at + needle.size())) {
    ++found;
  }
  const size_t keep = needle.size() - 1;
  c.tail = text.size() > keep ? text.substr(text.size() - keep) : text;
  return found;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 7) {
    std::fprintf(stderr, "usage: events_clients HOST PORT TOKEN CLIENTS EVENTS TIMEOUT_S\n");
    return 2;
  }
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(std::atoi(argv[2])));
  ::inet_pton(AF_INET, argv[1], &addr.sin_addr);
  const std::string request = std::string("GET /api/v1/events HTTP/1.1\r\nHost: ") + argv[1] +
                              "\r\nAuthorization: Bearer " + argv[3] +
                              "\r\nAccept: text/event-stream\r\n\r\n";
  const int clients = std::atoi(argv[4]);
  const size_t events = static_cast<size_t>(std::atoi(argv[5]));
  const int timeout_s = std::atoi(argv[6]);

  const int ep = ::epoll_create1(0);
  std::vector<Client> all(static_cast<size_t>(clients));
  int hellos = 0;
  int opened = 0;
  bool ready = false;
  long long ready_at = 0;
  std::vector<epoll_event> fired(1024);
  char buf[65536];
  const std::string hello_line = "event: hello\n";
  const std::string values_line = "event: values\n";
  for (;;) {
    // A steady arrival of connections, not a SYN flood.
    for (int k = 0; k < 200 && opened < clients; ++k, ++opened) {
      Client& c = all[static_cast<size_t>(opened)];
      c.fd = Connect(addr, request);
      if (c.fd < 0) {
        std::fprintf(stderr, "events_clients: connection %d failed: %s\n", opened,
                     std::strerror(errno));
        return 1;
      }
      epoll_event ev{};
      ev.events = EPOLLIN;
      ev.data.u32 = static_cast<uint32_t>(opened);
      ::epoll_ctl(ep, EPOLL_CTL_ADD, c.fd, &ev);
    }
    const int n = ::epoll_wait(ep, fired.data(), static_cast<int>(fired.size()), 50);
    for (int i = 0; i < n; ++i) {
      Client& c = all[fired[static_cast<size_t>(i)].data.u32];
      for (;;) {
        const ssize_t got = ::recv(c.fd, buf, sizeof buf, 0);
        if (got <= 0) {
          if (got == 0) {
            std::fprintf(stderr, "events_clients: the server closed a stream\n");
            ::epoll_ctl(ep, EPOLL_CTL_DEL, c.fd, nullptr);
          }
          break;
        }
        if (!c.hello) {
          if (Count(c, buf, static_cast<size_t>(got), hello_line) > 0) {
            c.hello = true;
            c.tail.clear();
            ++hellos;
          }
          continue;
        }
        const long long now = NowMicros();
        for (int k = Count(c, buf, static_cast<size_t>(got), values_line); k > 0; --k) {
          c.arrivals.push_back(now);
        }
      }
    }
    if (!ready && hellos == clients) {
      ready = true;
      ready_at = NowMicros();
      std::printf("ready\n");
      std::fflush(stdout);
    }
    if (ready) {
      bool done = true;
      for (const Client& c : all) done = done && c.arrivals.size() >= events;
      if (done || NowMicros() - ready_at > timeout_s * 1000000LL) break;
    }
  }
  std::string out;
  for (const Client& c : all) {
    for (size_t k = 0; k < c.arrivals.size(); ++k) {
      if (k > 0) out += ' ';
      out += std::to_string(c.arrivals[k]);
    }
    out += '\n';
  }
  std::fwrite(out.data(), 1, out.size(), stdout);
  return 0;
}
