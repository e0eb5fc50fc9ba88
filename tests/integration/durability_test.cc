// Durability through the real contactd: writes survive restarts, CHECKPOINT
// and RELOAD over the binary protocol, lookups that never fail during a
// reload, and start-up on damaged data directories (refused, or salvaged).

#include <algorithm>
#include <atomic>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "client/client.h"
#include "gtest/gtest.h"
#include "index/contact_store.h"
#include "index/epoch.h"
#include "snapshot/snapshot_writer.h"
#include "tests/integration/child_process.h"
#include "tests/integration/contactd_process.h"

namespace contactd::testing {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

const index::Uuid kTenant =
    *index::Uuid::Parse("6f1c2a4e-0b7d-4c53-9a8e-2d4f6b8c0e13");

std::unique_ptr<client::Client> Connect(int port) {
  client::ClientOptions options;
  options.server = absl::StrCat("127.0.0.1:", port);
  options.request_timeout = absl::Seconds(60);
  auto c = client::Client::Create(options);
  EXPECT_TRUE(c.ok()) << c.status();
  return c.ok() ? *std::move(c) : nullptr;
}

index::Contact MakeContact(int i, const std::string& first) {
  index::Contact c;
  c.customer_id = kTenant;
  c.first_name = first;
  c.external_id = absl::StrCat("crm-", i);
  c.phone_numbers.push_back({.number = absl::StrCat("+1555", 3000000 + i)});
  return c;
}

// Looks up contact i's phone.
absl::StatusOr<protocol::LookupReply> LookupPhone(client::Client& c, int i) {
  const std::string number = absl::StrCat("+1555", 3000000 + i);
  protocol::LookupRequest r;
  r.tenant = kTenant;
  r.input = number;  // a view: `number` must outlive the call
  return c.LookupPhone(r);
}

// A snapshot file of contacts [first, first + count) named `first_name`.
std::string WriteSnapshotFile(const std::string& path, int first, int count,
                              const std::string& first_name) {
  auto store = *index::ContactStore::Create("US");
  for (int i = first; i < first + count; ++i) {
    EXPECT_TRUE(store->Upsert(MakeContact(i, first_name)).ok());
  }
  auto writer = snapshot::SnapshotWriter::Create(path, 0);
  EXPECT_TRUE(writer.ok()) << writer.status();
  index::EpochGuard guard;
  store->Freeze([] {}).ForEach([&](const index::ContactRecord& r) {
    EXPECT_TRUE((*writer)->Add(r).ok());
  });
  EXPECT_TRUE((*writer)->Finish().ok());
  return path;
}

std::vector<std::string> WalSegments(const std::string& dir) {
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(dir)) {
    const std::string name = e.path().filename().string();
    if (name.starts_with("wal-")) names.push_back(e.path().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

TEST(DurabilityTest, WritesCheckpointsAndRestarts) {
  const std::string dir = FreshTempDir("durability_restart");
  {
    auto server = ContactdProcess::StartInDataDir(dir);
    ASSERT_NE(server, nullptr);
    auto c = Connect(server->port());
    for (int i = 0; i < 50; ++i) {
      ASSERT_TRUE(c->Upsert({MakeContact(i, "before"), ""}).ok());
    }
    auto checkpoint = c->Checkpoint();
    ASSERT_TRUE(checkpoint.ok()) << checkpoint.status();
    EXPECT_EQ(checkpoint->sequence, 50u);
    EXPECT_EQ(checkpoint->contacts, 50u);
    EXPECT_TRUE(
        fs::exists(fs::path(dir) / "snapshot-00000000000000000050.snap"));
    for (int i = 50; i < 60; ++i) {
      ASSERT_TRUE(c->Upsert({MakeContact(i, "after"), ""}).ok());
    }
    EXPECT_EQ(server->Stop(), 0);
  }
  auto server = ContactdProcess::StartInDataDir(dir);
  ASSERT_NE(server, nullptr);
  EXPECT_TRUE(absl::StrContains(server->process().stderr_text(),
                                "10 WAL records replayed"))
      << server->process().stderr_text();
  auto c = Connect(server->port());
  for (int i = 0; i < 60; ++i) {
    auto found = LookupPhone(*c, i);
    ASSERT_TRUE(found.ok()) << i << ": " << found.status();
  }
  auto stats = c->Stats();
  ASSERT_TRUE(stats.ok());
  bool saw_wal_sequence = false;
  for (const auto& counter : stats->counters) {
    if (counter.name == "wal_last_sequence") {
      saw_wal_sequence = true;
      EXPECT_EQ(counter.value, 60u);
    }
  }
  EXPECT_TRUE(saw_wal_sequence);
}

TEST(DurabilityTest, ReloadSwapsWhileLookupsGoOnAndSurvivesARestart) {
  const std::string dir = FreshTempDir("durability_reload");
  const std::string file = WriteSnapshotFile(
      FreshTempDir("durability_reload_file") + "/crm.snap", 0, 2000, "crm");
  {
    auto server = ContactdProcess::StartInDataDir(dir);
    ASSERT_NE(server, nullptr);
    auto writer = Connect(server->port());
    for (int i = 0; i < 100; ++i) {
      ASSERT_TRUE(writer->Upsert({MakeContact(i, "old"), ""}).ok());
    }
    // A client looks up contact 7 (in both datasets) the whole time.
    std::atomic<bool> stop{false};
    std::atomic<int> failures{0}, lookups{0};
    std::thread reader([&] {
      auto c = Connect(server->port());
      while (!stop.load()) {
        auto found = LookupPhone(*c, 7);
        if (!found.ok() || found->match_count != 1) ++failures;
        ++lookups;
      }
    });
    while (lookups.load() == 0) std::this_thread::yield();
    for (int round = 0; round < 3; ++round) {
      auto reloaded = writer->Reload(file);
      ASSERT_TRUE(reloaded.ok()) << reloaded.status();
      EXPECT_EQ(reloaded->contacts, 2000u);
    }
    stop = true;
    reader.join();
    EXPECT_EQ(failures.load(), 0) << "of " << lookups.load() << " lookups";

    auto found = LookupPhone(*writer, 1999);
    ASSERT_TRUE(found.ok()) << found.status();
    ASSERT_TRUE(writer->Upsert({MakeContact(5000, "later"), ""}).ok());

    // A damaged file is refused; the dataset stays.
    const std::string bad = file + ".bad";
    fs::copy_file(file, bad, fs::copy_options::overwrite_existing);
    fs::resize_file(bad, fs::file_size(bad) - 100);
    auto refused = writer->Reload(bad);
    EXPECT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument)
        << refused.status();
    EXPECT_TRUE(absl::StrContains(refused.status().message(), "crm.snap.bad"))
        << refused.status();
    EXPECT_TRUE(LookupPhone(*writer, 1999).ok());
    server->Kill();  // no graceful stop: the reload must already be durable
  }
  auto server = ContactdProcess::StartInDataDir(dir);
  ASSERT_NE(server, nullptr);
  auto c = Connect(server->port());
  EXPECT_TRUE(LookupPhone(*c, 1999).ok());
  EXPECT_TRUE(LookupPhone(*c, 5000).ok());
  auto crm = c->GetByExternalId({kTenant, "crm-3"});
  ASSERT_TRUE(crm.ok());
  EXPECT_EQ(crm->first_name, "crm");
}

// Starts contactd on `dir` and returns its exit code and stderr, expecting
// it to refuse to start.
std::pair<std::optional<int>, std::string> StartExpectingFailure(
    const std::string& dir, const std::vector<std::string>& extra = {}) {
  std::vector<std::string> argv = {
      CONTACTD_PATH, "--listen", "127.0.0.1:0", "--http-listen", "127.0.0.1:0",
      "--data-dir",  dir};
  argv.insert(argv.end(), extra.begin(), extra.end());
  ChildProcess process(argv);
  process.WaitForStderrLine("contactd ready", 30s);  // reads until EOF
  auto code = process.Wait(30s);
  if (!code) process.Signal(SIGKILL);
  return {code, process.stderr_text()};
}

TEST(DurabilityTest, DamagedWalStopsStartUpUnlessSalvaged) {
  const std::string dir = FreshTempDir("durability_damaged");
  {
    auto server = ContactdProcess::StartInDataDir(dir);
    ASSERT_NE(server, nullptr);
    auto c = Connect(server->port());
    for (int i = 0; i < 20; ++i) {
      ASSERT_TRUE(c->Upsert({MakeContact(i, "v"), ""}).ok());
    }
    EXPECT_EQ(server->Stop(), 0);
  }
  const std::vector<std::string> segments = WalSegments(dir);
  ASSERT_FALSE(segments.empty());
  const std::string& segment = segments.front();
  {  // flip one byte in the middle of the first segment
    std::fstream f(segment, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(static_cast<std::streamoff>(fs::file_size(segment) / 2));
    f.put('\x7f');
  }
  auto [code, log] = StartExpectingFailure(dir);
  EXPECT_EQ(code, 1) << log;
  EXPECT_TRUE(absl::StrContains(log, fs::path(segment).filename().string()))
      << log;
  EXPECT_TRUE(absl::StrContains(log, "offset")) << log;

  auto salvaged = ContactdProcess::StartInDataDir(dir, {"--salvage"});
  ASSERT_NE(salvaged, nullptr);
  EXPECT_TRUE(absl::StrContains(salvaged->process().stderr_text(), "salvage"));
  auto c = Connect(salvaged->port());
  EXPECT_TRUE(LookupPhone(*c, 0).ok()) << "what precedes the damage";
  EXPECT_EQ(salvaged->Stop(), 0);
  // The salvaged state was checkpointed: a plain start works again.
  auto plain = ContactdProcess::StartInDataDir(dir);
  ASSERT_NE(plain, nullptr);
}

TEST(DurabilityTest, ATornTailIsCutOffWithAWarning) {
  const std::string dir = FreshTempDir("durability_torn");
  {
    auto server = ContactdProcess::StartInDataDir(dir);
    ASSERT_NE(server, nullptr);
    auto c = Connect(server->port());
    for (int i = 0; i < 5; ++i) {
      ASSERT_TRUE(c->Upsert({MakeContact(i, "v"), ""}).ok());
    }
    server->Kill();
  }
  const std::string segment = WalSegments(dir).back();
  fs::resize_file(segment, fs::file_size(segment) - 7);  // tear record 5
  auto server = ContactdProcess::StartInDataDir(dir);
  ASSERT_NE(server, nullptr);
  EXPECT_TRUE(absl::StrContains(server->process().stderr_text(), "torn"))
      << server->process().stderr_text();
  auto c = Connect(server->port());
  EXPECT_TRUE(LookupPhone(*c, 3).ok());
  EXPECT_EQ(LookupPhone(*c, 4).status().code(), absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace contactd::testing
