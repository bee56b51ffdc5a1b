// The outbox against real local servers: adding dedupes by key, delivery sends the webhook JSON
// and a UTF-8 e-mail, failures are retried after the backoff on the channel that failed only,
// and a message goes to failed after max_attempts.
#include <gtest/gtest.h>
#include <unistd.h>
#include <boost/json/parse.hpp>

#include <chrono>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "notify/notify.h"
#include "notify/test_servers.h"
#include "store/store.h"

namespace pdh::notify {
namespace {

namespace fs = std::filesystem;
using std::chrono::minutes;
using std::chrono::seconds;

constexpr std::string_view kSubject =
    "Nhiệm vụ sắp đến hạn: Xây dựng cơ sở dữ liệu đất đai tỉnh — còn 3 ngày (hạn 07/11/2025)";
constexpr std::string_view kBody =
    "Kính gửi Sở Tài nguyên và Môi trường,\n\nNhiệm vụ NQ57-T012 đến hạn ngày 07/11/2025.\n"
    ".dòng bắt đầu bằng dấu chấm\nTrân trọng.";

class OutboxTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("pdh-notify-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    auto s = store::Store::Open((dir_ / "notify.db").string());
    ASSERT_TRUE(s) << s.error().message;
    store_ = std::move(*s);
    outbox_ = std::make_unique<Outbox>(store_->outbox(), clock_);
  }
  void TearDown() override {
    outbox_.reset();
    store_.reset();
    fs::remove_all(dir_);
  }

  static Message Msg(const std::string& key, const std::string& unit = "80.STNMT") {
    Message m{"due_soon", key, unit, std::string(kSubject), std::string(kBody), {}};
    m.data["task"] = "NQ57-T012";
    m.data["deadline"] = "2025-11-07";
    return m;
  }

  Config Both() const {
    Config c;
    c.webhook_url = hook_.url();
    c.smtp_url = smtp_.url();
    c.email_default = "vanphong@example.vn";
    c.unit_emails = {{"80.STNMT", "stnmt@example.vn"}};
    c.timeout_seconds = 5;
    return c;
  }

  Entry Only() {
    auto all = outbox_->List(std::nullopt);
    EXPECT_TRUE(all) << all.error().message;
    EXPECT_EQ(all->size(), 1U);
    return all->empty() ? Entry{} : all->front();
  }

  DeliveryReport Deliver(const Config& c) {
    auto r = outbox_->Deliver(c);
    EXPECT_TRUE(r) << r.error().message;
    return r ? *r : DeliveryReport{};
  }

  fs::path dir_;
  ManualClock clock_{*ParseTime("2025-11-04T01:00:00Z")};
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<Outbox> outbox_;
  testing::SmtpSink smtp_;
  testing::WebhookReceiver hook_;
};

TEST_F(OutboxTest, AddDedupesByKey) {
  auto added = outbox_->Add({Msg("due_soon:NQ57-T012:2025-11-07"), Msg("overdue:NQ57-T013"),
                             Msg("due_soon:NQ57-T012:2025-11-07")});
  ASSERT_TRUE(added) << added.error().message;
  EXPECT_EQ(*added, 2U);
  added = outbox_->Add({Msg("overdue:NQ57-T013"), Msg("overdue:NQ57-T014")});
  ASSERT_TRUE(added) << added.error().message;
  EXPECT_EQ(*added, 1U);
  auto all = outbox_->List(std::nullopt);
  ASSERT_TRUE(all);
  ASSERT_EQ(all->size(), 3U);
  const Entry& e = all->back();  // newest first: the first added is last
  EXPECT_EQ(e.message.key, "due_soon:NQ57-T012:2025-11-07");
  EXPECT_EQ(e.message.subject, kSubject);
  EXPECT_EQ(e.message.data.at("task").as_string(), "NQ57-T012");
  EXPECT_EQ(e.state, DeliveryState::kPending);
  EXPECT_EQ(e.created_at, "2025-11-04T01:00:00Z");
  EXPECT_EQ(e.next_attempt_at, "2025-11-04T01:00:00Z");
  EXPECT_EQ(e.attempts, 0);

  Message no_key = Msg("");
  EXPECT_FALSE(outbox_->Add({no_key}));
}

TEST_F(OutboxTest, DeliversWebhookJsonAndUtf8Email) {
  ASSERT_TRUE(outbox_->Add({Msg("due_soon:NQ57-T012:2025-11-07")}));
  const DeliveryReport r = Deliver(Both());
  EXPECT_EQ(r.attempted, 1U);
  EXPECT_EQ(r.delivered, 1U);
  EXPECT_EQ(r.failed, 0U);

  const auto requests = hook_.requests();
  ASSERT_EQ(requests.size(), 1U);
  EXPECT_EQ(requests[0].method, "POST");
  EXPECT_EQ(requests[0].target, "/hook");
  EXPECT_EQ(requests[0].headers.at("content-type"), "application/json");
  const auto json = boost::json::parse(requests[0].body).as_object();
  EXPECT_EQ(json.size(), 6U);
  EXPECT_EQ(json.at("kind").as_string(), "due_soon");
  EXPECT_EQ(json.at("key").as_string(), "due_soon:NQ57-T012:2025-11-07");
  EXPECT_EQ(json.at("unit").as_string(), "80.STNMT");
  EXPECT_EQ(json.at("subject").as_string(), kSubject);
  EXPECT_EQ(json.at("body").as_string(), kBody);
  EXPECT_EQ(json.at("data").as_object().at("deadline").as_string(), "2025-11-07");

  const auto mails = smtp_.messages();
  ASSERT_EQ(mails.size(), 1U);
  const auto& m = mails[0];
  EXPECT_EQ(m.mail_from, "<pdh@localhost>");
  EXPECT_EQ(m.rcpt_to, std::vector<std::string>{"<stnmt@example.vn>"});
  EXPECT_EQ(m.Subject(), kSubject);
  EXPECT_NE(m.Header("Subject").find("=?UTF-8?B?"), std::string::npos);
  EXPECT_EQ(m.Header("From"), "pdh@localhost");
  EXPECT_EQ(m.Header("To"), "stnmt@example.vn");
  EXPECT_EQ(m.Header("Date"), "Tue, 04 Nov 2025 01:00:00 +0000");
  EXPECT_EQ(m.Header("Message-ID"), "<20251104T010000Z.1.outbox@localhost>");
  EXPECT_EQ(m.Header("MIME-Version"), "1.0");
  EXPECT_EQ(m.Header("Content-Type"), "text/plain; charset=UTF-8");
  std::string crlf_body;
  for (char c : kBody) crlf_body += c == '\n' ? std::string("\r\n") : std::string(1, c);
  EXPECT_EQ(m.Body(), crlf_body);
  for (size_t pos = 0, eol = 0; pos < m.data.size(); pos = eol + 2) {
    eol = m.data.find("\r\n", pos);
    ASSERT_NE(eol, std::string::npos);
    EXPECT_LE(eol - pos, 78U) << m.data.substr(pos, eol - pos);
  }

  const Entry e = Only();
  EXPECT_EQ(e.state, DeliveryState::kDelivered);
  EXPECT_EQ(e.attempts, 1);
  EXPECT_TRUE(e.webhook_done);
  EXPECT_TRUE(e.email_done);
  EXPECT_EQ(e.delivered_at, "2025-11-04T01:00:00Z");
  EXPECT_EQ(e.last_error, "");

  // Delivered once: nothing more is sent.
  clock_.Advance(minutes(30));
  EXPECT_EQ(Deliver(Both()).attempted, 0U);
  EXPECT_EQ(hook_.count(), 1U);
  EXPECT_EQ(smtp_.count(), 1U);
}

TEST_F(OutboxTest, DefaultAddressForUnitsWithoutTheirOwn) {
  ASSERT_TRUE(outbox_->Add({Msg("k1", "25459")}));
  Config c = Both();
  c.webhook_url.clear();
  c.email_default = "a@example.vn; b@example.vn";
  EXPECT_EQ(Deliver(c).delivered, 1U);
  const auto mails = smtp_.messages();
  ASSERT_EQ(mails.size(), 1U);
  EXPECT_EQ(mails[0].rcpt_to, (std::vector<std::string>{"<a@example.vn>", "<b@example.vn>"}));
  EXPECT_EQ(mails[0].Header("To"), "a@example.vn, b@example.vn");
  EXPECT_EQ(hook_.count(), 0U);
}

TEST_F(OutboxTest, WebhookFailureIsRetriedAfterBackoffWithoutResendingEmail) {
  ASSERT_TRUE(outbox_->Add({Msg("overdue:NQ57-T013")}));
  hook_.set_status(500);
  DeliveryReport r = Deliver(Both());
  EXPECT_EQ(r.attempted, 1U);
  EXPECT_EQ(r.delivered, 0U);
  EXPECT_EQ(r.failed, 1U);
  EXPECT_EQ(hook_.count(), 1U);
  EXPECT_EQ(smtp_.count(), 1U);
  Entry e = Only();
  EXPECT_EQ(e.state, DeliveryState::kPending);
  EXPECT_EQ(e.attempts, 1);
  EXPECT_FALSE(e.webhook_done);
  EXPECT_TRUE(e.email_done);
  EXPECT_EQ(e.next_attempt_at, "2025-11-04T01:01:00Z");
  EXPECT_NE(e.last_error.find("webhook: HTTP 500"), std::string::npos) << e.last_error;

  // Not due before the backoff has passed.
  EXPECT_EQ(Deliver(Both()).attempted, 0U);
  clock_.Advance(seconds(59));
  EXPECT_EQ(Deliver(Both()).attempted, 0U);
  EXPECT_EQ(hook_.count(), 1U);

  clock_.Advance(seconds(1));
  r = Deliver(Both());
  EXPECT_EQ(r.attempted, 1U);
  EXPECT_EQ(r.failed, 1U);
  e = Only();
  EXPECT_EQ(e.attempts, 2);
  EXPECT_EQ(e.next_attempt_at, "2025-11-04T01:03:00Z");  // 2 minutes
  EXPECT_EQ(hook_.count(), 2U);
  EXPECT_EQ(smtp_.count(), 1U);

  hook_.set_status(204);
  clock_.Advance(minutes(1));
  EXPECT_EQ(Deliver(Both()).attempted, 0U);
  clock_.Advance(minutes(1));
  r = Deliver(Both());
  EXPECT_EQ(r.attempted, 1U);
  EXPECT_EQ(r.delivered, 1U);
  e = Only();
  EXPECT_EQ(e.state, DeliveryState::kDelivered);
  EXPECT_EQ(e.attempts, 3);
  EXPECT_TRUE(e.webhook_done);
  EXPECT_EQ(e.last_error, "");
  EXPECT_EQ(e.delivered_at, "2025-11-04T01:03:00Z");
  EXPECT_EQ(hook_.count(), 3U);
  EXPECT_EQ(smtp_.count(), 1U);  // the e-mail went once
}

TEST_F(OutboxTest, RefusedConnectionFailsAfterMaxAttempts) {
  ASSERT_TRUE(outbox_->Add({Msg("report_missing:80.STNMT:2025-10")}));
  Config c;
  c.webhook_url = "http://127.0.0.1:" + std::to_string(testing::ClosedPort()) + "/hook";
  c.smtp_url = "smtp://127.0.0.1:" + std::to_string(testing::ClosedPort());
  c.email_default = "vanphong@example.vn";
  c.max_attempts = 3;
  c.timeout_seconds = 5;

  EXPECT_EQ(Deliver(c).failed, 1U);
  Entry e = Only();
  EXPECT_EQ(e.state, DeliveryState::kPending);
  EXPECT_NE(e.last_error.find("webhook: "), std::string::npos) << e.last_error;
  EXPECT_NE(e.last_error.find("e-mail: "), std::string::npos) << e.last_error;
  clock_.Advance(minutes(1));
  EXPECT_EQ(Deliver(c).failed, 1U);
  clock_.Advance(minutes(2));
  EXPECT_EQ(Deliver(c).failed, 1U);
  e = Only();
  EXPECT_EQ(e.state, DeliveryState::kFailed);
  EXPECT_EQ(e.attempts, 3);
  EXPECT_FALSE(e.webhook_done);
  EXPECT_FALSE(e.email_done);

  // Given up: not tried again.
  clock_.Advance(std::chrono::hours(24));
  EXPECT_EQ(Deliver(c).attempted, 0U);
  auto failed = outbox_->List(DeliveryState::kFailed);
  ASSERT_TRUE(failed);
  EXPECT_EQ(failed->size(), 1U);
  auto pending = outbox_->List(DeliveryState::kPending);
  ASSERT_TRUE(pending);
  EXPECT_TRUE(pending->empty());
}

TEST_F(OutboxTest, NoAddressMarksEmailDone) {
  ASSERT_TRUE(outbox_->Add({Msg("k1", "25459")}));
  Config c = Both();
  c.email_default.clear();
  const DeliveryReport r = Deliver(c);
  EXPECT_EQ(r.delivered, 1U);
  EXPECT_EQ(smtp_.count(), 0U);
  EXPECT_EQ(hook_.count(), 1U);
  const Entry e = Only();
  EXPECT_EQ(e.state, DeliveryState::kDelivered);
  EXPECT_TRUE(e.email_done);
  EXPECT_EQ(e.last_error, "e-mail: no address for unit 25459");
}

TEST_F(OutboxTest, NothingConfiguredLeavesMessagesPending) {
  ASSERT_TRUE(outbox_->Add({Msg("k1")}));
  EXPECT_EQ(Deliver(Config{}).attempted, 0U);
  EXPECT_EQ(Only().state, DeliveryState::kPending);
  // Turned on later, it goes out.
  EXPECT_EQ(Deliver(Both()).delivered, 1U);
}

TEST_F(OutboxTest, ListsByState) {
  Config c;
  c.webhook_url = hook_.url();
  ASSERT_TRUE(outbox_->Add({Msg("a")}));
  EXPECT_EQ(Deliver(c).delivered, 1U);
  hook_.set_status(500);
  ASSERT_TRUE(outbox_->Add({Msg("b")}));
  EXPECT_EQ(Deliver(c).failed, 1U);  // b: pending, next attempt in 1 minute
  ASSERT_TRUE(outbox_->Add({Msg("c")}));
  c.max_attempts = 1;
  EXPECT_EQ(Deliver(c).failed, 1U);  // c: out of attempts at once

  auto keys = [&](std::optional<DeliveryState> s) {
    std::vector<std::string> out;
    auto l = outbox_->List(s);
    EXPECT_TRUE(l);
    if (l) {
      for (const auto& e : *l) out.push_back(e.message.key);
    }
    return out;
  };
  EXPECT_EQ(keys(DeliveryState::kDelivered), std::vector<std::string>{"a"});
  EXPECT_EQ(keys(DeliveryState::kPending), std::vector<std::string>{"b"});
  EXPECT_EQ(keys(DeliveryState::kFailed), std::vector<std::string>{"c"});
  EXPECT_EQ(keys(std::nullopt), (std::vector<std::string>{"c", "b", "a"}));
  auto limited = outbox_->List(std::nullopt, 2);
  ASSERT_TRUE(limited);
  EXPECT_EQ(limited->size(), 2U);

  const auto json = ToJson(outbox_->List(DeliveryState::kFailed)->front());
  EXPECT_EQ(json.at("state").as_string(), "failed");
  EXPECT_EQ(json.at("attempts").as_int64(), 1);
  EXPECT_EQ(json.at("key").as_string(), "c");
}

TEST_F(OutboxTest, LoadsConfigFromSettings) {
  auto c = LoadConfig(*store_);
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_TRUE(c->webhook_url.empty());
  EXPECT_TRUE(c->smtp_url.empty());
  EXPECT_EQ(c->email_from, "pdh@localhost");
  EXPECT_EQ(c->max_attempts, 8);

  ASSERT_TRUE(store_->SetSetting("notify.webhook_url", "http://127.0.0.1:9/hook"));
  ASSERT_TRUE(store_->SetSetting("notify.smtp_url", "smtp://127.0.0.1:25"));
  ASSERT_TRUE(store_->SetSetting("notify.smtp_user", "pdh"));
  ASSERT_TRUE(store_->SetSetting("notify.smtp_password", "bí mật"));
  ASSERT_TRUE(store_->SetSetting("notify.email_from", "noreply@example.vn"));
  ASSERT_TRUE(store_->SetSetting("notify.email_default", "vanphong@example.vn"));
  ASSERT_TRUE(store_->SetSetting("notify.email.80.STNMT", "stnmt@example.vn"));
  ASSERT_TRUE(store_->SetSetting("notify.email.25459", "xa@example.vn, ubnd@example.vn"));
  ASSERT_TRUE(store_->SetSetting("notify.max_attempts", "5"));
  ASSERT_TRUE(store_->SetSetting("notify.timeout_seconds", "3"));
  ASSERT_TRUE(store_->SetSetting("notify.emailx", "not a unit address"));
  c = LoadConfig(*store_);
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_EQ(c->webhook_url, "http://127.0.0.1:9/hook");
  EXPECT_EQ(c->smtp_url, "smtp://127.0.0.1:25");
  EXPECT_EQ(c->smtp_user, "pdh");
  EXPECT_EQ(c->smtp_password, "bí mật");
  EXPECT_EQ(c->email_from, "noreply@example.vn");
  EXPECT_EQ(c->email_default, "vanphong@example.vn");
  EXPECT_EQ(c->unit_emails,
            (std::vector<std::pair<std::string, std::string>>{
                {"25459", "xa@example.vn, ubnd@example.vn"}, {"80.STNMT", "stnmt@example.vn"}}));
  EXPECT_EQ(c->max_attempts, 5);
  EXPECT_EQ(c->timeout_seconds, 3);

  ASSERT_TRUE(store_->SetSetting("notify.max_attempts", "năm"));
  auto bad = LoadConfig(*store_);
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, "notify.invalid_config");
  ASSERT_TRUE(store_->SetSetting("notify.max_attempts", "5"));
  ASSERT_TRUE(store_->SetSetting("notify.webhook_url", "file:///etc/passwd"));
  EXPECT_FALSE(LoadConfig(*store_));
  ASSERT_TRUE(store_->SetSetting("notify.webhook_url", ""));
  ASSERT_TRUE(store_->SetSetting("notify.email.80.STNMT", "Sở <stnmt@example.vn>"));
  EXPECT_FALSE(LoadConfig(*store_));
}

TEST_F(OutboxTest, DeliverRejectsAnInvalidConfig) {
  Config c;
  c.webhook_url = "ftp://127.0.0.1/hook";
  auto r = outbox_->Deliver(c);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, "notify.invalid_config");
}

}  // namespace
}  // namespace pdh::notify
