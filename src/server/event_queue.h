// What the server needs of an EventHub to stream it: the events as written on the wire and a
// queue per open stream. Private to src/server.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "server/events.h"

namespace pdh::http::detail {

// One published event, shared by every stream it goes to.
struct Event {
  uint64_t id = 0;
  std::string event;
  std::string data;
  std::string text;  // as written: "id: 7\nevent: NAME\ndata: LINE\n...\n\n"
};

// The text of an event: an id line (when `id` is set), the event line, a data line per line of
// `data` (split at CR, LF or CRLF, as clients split them) and the blank line that ends it.
// Throws std::invalid_argument when `event` holds a line break.
std::string EventText(std::optional<uint64_t> id, std::string_view event, std::string_view data);

// The id in a Last-Event-ID header, or nullopt when it is absent or not one of ours.
std::optional<uint64_t> LastEventId(std::string_view header);

// One open stream's place on a hub: the events published since it subscribed, oldest first, up
// to a limit. Thread-safe: publishers push, the stream's connection takes.
class EventQueue {
 public:
  // How far a stream may fall behind when its hub keeps fewer events.
  static constexpr size_t kMaxBehind = 1000;

  // Subscribes to `hub`, first queueing its kept events after `last_id` when set. The hub calls
  // `wake` from the publishing thread, with its lock held (so `wake` must only post), when the
  // queue stops being empty (`behind` false) or falls too far behind (true). Events `filter`
  // (when set) refuses are not queued, and wake nothing.
  EventQueue(std::shared_ptr<EventHub> hub, std::optional<uint64_t> last_id,
             std::function<void(bool behind)> wake,
             std::function<bool(const std::string& event, const std::string& data)> filter = {});
  // Unsubscribes.
  ~EventQueue();
  EventQueue(const EventQueue&) = delete;
  EventQueue& operator=(const EventQueue&) = delete;

  // The events queued since the last call, oldest first; nullopt once the stream has fallen too
  // far behind, after which nothing more is queued: the stream is to be dropped.
  std::optional<std::vector<std::shared_ptr<const Event>>> Take();

 private:
  friend class pdh::http::EventHub;
  // Called by the hub with its lock held, so events arrive in id order.
  void Push(const std::shared_ptr<const Event>& event);

  std::shared_ptr<EventHub> hub_;
  std::function<void(bool behind)> wake_;
  std::function<bool(const std::string& event, const std::string& data)> filter_;
  const size_t limit_;
  std::mutex mutex_;
  std::vector<std::shared_ptr<const Event>> queued_;  // guarded by mutex_
  bool behind_ = false;                               // guarded by mutex_
};

}  // namespace pdh::http::detail
