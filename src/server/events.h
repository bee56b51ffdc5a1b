// Server-sent events (text/event-stream): a handler answers with a Response whose `events` is an
// EventHub, the server holds that connection open, and whatever any thread publishes to the hub
// is written to it. Included by server.h.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace pdh::http {

namespace detail {
struct Event;      // one published event (event_queue.h)
class EventQueue;  // one open stream's place on a hub (event_queue.h)
}  // namespace detail

// A broadcaster of server-sent events. Thread-safe. Each event gets an increasing id; the hub
// keeps the last `replay` events so a client reconnecting with Last-Event-ID gets what it missed.
// A stream that falls more than 1,000 events (or `replay`, when more) behind its hub is dropped:
// its client reconnects with Last-Event-ID, and publishers never wait for a slow client.
class EventHub {
 public:
  explicit EventHub(size_t replay = 256);
  EventHub(const EventHub&) = delete;
  EventHub& operator=(const EventHub&) = delete;

  // Sends `data` (one JSON text, say; split at line breaks into several data: lines, which the
  // client joins with "\n") as event type `event` to every open stream. Returns the event id.
  // Throws std::invalid_argument when `event` holds a line break.
  uint64_t Publish(std::string event, std::string data);
  // Streams open now.
  size_t subscribers() const;

 private:
  friend class detail::EventQueue;
  // Adds `queue`, first giving it the kept events after `last_id` when set, in the same step, so
  // that it misses none and gets none twice.
  void Subscribe(detail::EventQueue* queue, std::optional<uint64_t> last_id);
  void Unsubscribe(detail::EventQueue* queue);

  const size_t replay_;
  mutable std::mutex mutex_;
  uint64_t last_id_ = 0;                                   // guarded by mutex_
  std::deque<std::shared_ptr<const detail::Event>> kept_;  // the last replay_; guarded by mutex_
  std::vector<detail::EventQueue*> queues_;                // guarded by mutex_
};

}  // namespace pdh::http
