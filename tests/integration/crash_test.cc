// Crash test: contactd with --fsync always is killed with SIGKILL at random
// moments while several connections write; after every restart, every
// acknowledged write must be there, and the data directory must always
// open. Checkpoints and WAL rotations are made frequent (small thresholds)
// so kills also land in the middle of them.
//
// Each writer owns its keys (external ids) and has one write in flight at a
// time, so after a kill each key holds either its last acknowledged value
// or the value that was in flight.

#include <csignal>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "client/client.h"
#include "gtest/gtest.h"
#include "tests/integration/contactd_process.h"

namespace contactd::testing {
namespace {

const index::Uuid kTenant =
    *index::Uuid::Parse("6f1c2a4e-0b7d-4c53-9a8e-2d4f6b8c0e13");
constexpr int kRounds = 20;
constexpr int kWriters = 4;
constexpr int kKeysPerWriter = 40;

const std::vector<std::string> kServerArgs = {"--fsync",
                                              "always",
                                              "--threads",
                                              "2",
                                              "--wal-segment-bytes",
                                              "8192",
                                              "--checkpoint-wal-bytes",
                                              "32768"};

// What a key should hold: its last acknowledged value, or the one in flight
// when the server died. A nullopt value: no contact (never written, or
// deleted).
struct Expectation {
  std::optional<std::string> acked;
  std::optional<std::optional<std::string>> in_flight;
};

class Ledger {
 public:
  void Sending(const std::string& key, std::optional<std::string> value) {
    std::lock_guard lock(mu_);
    keys_[key].in_flight = std::move(value);
  }
  void Acked(const std::string& key) {
    std::lock_guard lock(mu_);
    Expectation& e = keys_[key];
    e.acked = *e.in_flight;
    e.in_flight.reset();
    ++acks_;
  }
  // After a restart: a value that was in flight may have been applied.
  void Settle(const std::string& key, std::optional<std::string> found) {
    std::lock_guard lock(mu_);
    Expectation& e = keys_[key];
    e.acked = std::move(found);
    e.in_flight.reset();
  }
  int acks() {
    std::lock_guard lock(mu_);
    return acks_;
  }
  std::map<std::string, Expectation> keys() {
    std::lock_guard lock(mu_);
    return keys_;
  }

 private:
  std::mutex mu_;
  std::map<std::string, Expectation> keys_;
  int acks_ = 0;
};

std::unique_ptr<client::Client> Connect(int port) {
  client::ClientOptions options;
  options.server = absl::StrCat("127.0.0.1:", port);
  options.client_name = "crash_test";
  options.request_timeout = absl::Seconds(20);
  auto c = client::Client::Create(options);
  return c.ok() ? *std::move(c) : nullptr;
}

index::Contact Value(const std::string& key, const std::string& value) {
  index::Contact c;
  c.customer_id = kTenant;
  c.external_id = key;
  c.first_name = value;
  c.phone_numbers.push_back({.number = "+15557654321"});
  return c;
}

// Writes (upserts, and now and then a delete) until the connection fails.
void Write(int port, int writer, int round, Ledger& ledger, uint32_t seed) {
  auto c = Connect(port);
  if (c == nullptr) return;
  std::mt19937 random(seed);
  for (int n = 0;; ++n) {
    const std::string key =
        absl::StrCat("w", writer, "-", random() % kKeysPerWriter);
    if (random() % 8 == 0) {
      auto found = c->GetByExternalId({kTenant, key});
      if (!found.ok()) {
        if (found.status().code() == absl::StatusCode::kNotFound) continue;
        return;  // the server is gone
      }
      ledger.Sending(key, std::nullopt);
      if (!c->Delete({kTenant, found->id}).ok()) return;
    } else {
      const std::string value = absl::StrCat("r", round, "-", n);
      ledger.Sending(key, value);
      if (!c->Upsert({Value(key, value), ""}).ok()) return;
    }
    ledger.Acked(key);
  }
}

// Checks every key against the ledger; settles in-flight writes.
void Verify(int port, Ledger& ledger, int round) {
  auto c = Connect(port);
  ASSERT_NE(c, nullptr);
  for (const auto& [key, e] : ledger.keys()) {
    auto found = c->GetByExternalId({kTenant, key});
    ASSERT_TRUE(found.ok() ||
                found.status().code() == absl::StatusCode::kNotFound)
        << found.status();
    std::optional<std::string> value;
    if (found.ok()) value = found->first_name;
    const bool is_acked = value == e.acked;
    const bool is_in_flight = e.in_flight.has_value() && value == *e.in_flight;
    EXPECT_TRUE(is_acked || is_in_flight)
        << "round " << round << ", key " << key << ": found "
        << value.value_or("(deleted)") << ", acknowledged "
        << e.acked.value_or("(none)");
    ledger.Settle(key, value);
  }
}

TEST(CrashTest, AcknowledgedWritesSurviveKillNine) {
  const std::string data_dir = FreshTempDir("crash_test");
  Ledger ledger;
  std::mt19937 random(20261124);
  for (int round = 0; round < kRounds; ++round) {
    auto server = ContactdProcess::StartInDataDir(data_dir, kServerArgs);
    ASSERT_NE(server, nullptr)
        << "round " << round << ": the data directory did not open";
    Verify(server->port(), ledger, round);
    if (::testing::Test::HasFailure()) return;

    // Kill after a random number of acknowledged writes (not a random
    // time: no sleeping), while the writers keep going.
    const int kill_after =
        ledger.acks() + 20 + static_cast<int>(random() % 200);
    std::vector<std::thread> writers;
    for (int w = 0; w < kWriters; ++w) {
      writers.emplace_back(Write, server->port(), w, round, std::ref(ledger),
                           static_cast<uint32_t>(random()));
    }
    const auto deadline =
        std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (ledger.acks() < kill_after &&
           std::chrono::steady_clock::now() < deadline) {
      std::this_thread::yield();
    }
    server->Kill();
    for (std::thread& t : writers) t.join();
    ASSERT_GE(ledger.acks(), kill_after)
        << "round " << round << ": the writers stalled";
  }
  auto server = ContactdProcess::StartInDataDir(data_dir, kServerArgs);
  ASSERT_NE(server, nullptr);
  Verify(server->port(), ledger, kRounds);
  EXPECT_EQ(server->Stop(), 0);
}

}  // namespace
}  // namespace contactd::testing
