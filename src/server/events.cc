// Server-sent events: the hub, the queue of each open stream and the wire format. The streaming
// itself is in server.cc.
#include <algorithm>
#include <charconv>
#include <cstdio>
#include <exception>
#include <stdexcept>
#include <utility>

#include "server/event_queue.h"
#include "server/events.h"

namespace pdh::http {

EventHub::EventHub(size_t replay) : replay_(replay) {}

uint64_t EventHub::Publish(std::string event, std::string data) {
  std::lock_guard lock(mutex_);
  uint64_t id = last_id_ + 1;
  std::string text = detail::EventText(id, event, data);
  last_id_ = id;
  auto published = std::make_shared<const detail::Event>(
      detail::Event{id, std::move(event), std::move(data), std::move(text)});
  kept_.push_back(published);
  if (kept_.size() > replay_) kept_.pop_front();
  for (detail::EventQueue* queue : queues_) queue->Push(published);
  return id;
}

size_t EventHub::subscribers() const {
  std::lock_guard lock(mutex_);
  return queues_.size();
}

void EventHub::Subscribe(detail::EventQueue* queue, std::optional<uint64_t> last_id) {
  std::lock_guard lock(mutex_);
  if (last_id) {
    for (const auto& event : kept_) {
      if (event->id > *last_id) queue->Push(event);
    }
  }
  queues_.push_back(queue);
}

void EventHub::Unsubscribe(detail::EventQueue* queue) {
  std::lock_guard lock(mutex_);
  std::erase(queues_, queue);
}

namespace detail {

std::string EventText(std::optional<uint64_t> id, std::string_view event, std::string_view data) {
  if (event.find_first_of("\r\n") != std::string_view::npos) {
    throw std::invalid_argument("an event type cannot hold a line break");
  }
  std::string text;
  text.reserve(event.size() + data.size() + 32);
  if (id) text.append("id: ").append(std::to_string(*id)).append("\n");
  text.append("event: ").append(event).append("\n");
  for (;;) {
    size_t end = data.find_first_of("\r\n");
    text.append("data: ").append(data.substr(0, end)).append("\n");
    if (end == std::string_view::npos) break;
    bool crlf = data[end] == '\r' && end + 1 < data.size() && data[end + 1] == '\n';
    data.remove_prefix(end + (crlf ? 2 : 1));
  }
  text.append("\n");
  return text;
}

std::optional<uint64_t> LastEventId(std::string_view header) {
  uint64_t id = 0;
  auto [end, ec] = std::from_chars(header.data(), header.data() + header.size(), id);
  if (header.empty() || ec != std::errc() || end != header.data() + header.size()) {
    return std::nullopt;
  }
  return id;
}

EventQueue::EventQueue(
    std::shared_ptr<EventHub> hub, std::optional<uint64_t> last_id,
    std::function<void(bool behind)> wake,
    std::function<bool(const std::string& event, const std::string& data)> filter)
    : hub_(std::move(hub)),
      wake_(std::move(wake)),
      filter_(std::move(filter)),
      limit_(std::max(kMaxBehind, hub_->replay_)) {
  hub_->Subscribe(this, last_id);
}

EventQueue::~EventQueue() {
  hub_->Unsubscribe(this);
}

std::optional<std::vector<std::shared_ptr<const Event>>> EventQueue::Take() {
  std::lock_guard lock(mutex_);
  if (behind_) return std::nullopt;
  return std::exchange(queued_, {});
}

void EventQueue::Push(const std::shared_ptr<const Event>& event) {
  bool refused = false;  // the filter threw: the stream ends, as one too far behind
  if (filter_) {
    try {
      if (!filter_(event->event, event->data)) return;
    } catch (const std::exception& e) {
      std::fprintf(stderr, "pdh: an event stream's filter failed (%s): the stream ends\n",
                   e.what());
      refused = true;
    }
  }
  bool wake = false;
  bool behind = false;
  {
    std::lock_guard lock(mutex_);
    if (behind_) return;
    if (refused || queued_.size() >= limit_) {
      // What is queued will not be sent: free it now rather than when the stream ends.
      behind_ = behind = wake = true;
      queued_ = {};
    } else {
      wake = queued_.empty();
      queued_.push_back(event);
    }
  }
  if (wake) wake_(behind);
}

}  // namespace detail
}  // namespace pdh::http
