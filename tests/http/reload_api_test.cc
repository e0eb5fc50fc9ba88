// POST /admin/reload while a client keeps looking up over HTTP: the swap is
// atomic (zero failed lookups), the new dataset is served afterwards, and
// it survives a SIGKILL.

#include <atomic>
#include <filesystem>
#include <string>
#include <thread>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "index/contact_store.h"
#include "index/epoch.h"
#include "snapshot/snapshot_writer.h"
#include "tests/http/api_client.h"
#include "tests/http/http_test_support.h"
#include "tests/integration/contactd_process.h"

namespace contactd::testing {
namespace {

using nlohmann::json;

constexpr int kContacts = 1000;
constexpr int kRounds = 3;  // reloads of B, A, B while the reader runs

std::string Phone(int i) { return absl::StrCat("+1555", 3000000 + i); }

// A snapshot file of contacts 0..kContacts-1 of `tenant` named
// `first_name`, plus one contact only this file has, with phone Phone(-1)
// for dataset "A" and Phone(-2) for any other.
std::string WriteDataset(const std::string& path, const std::string& tenant,
                         const std::string& first_name) {
  auto store = *index::ContactStore::Create("US");
  const index::Uuid customer = *index::Uuid::Parse(tenant);
  auto add = [&](int i) {
    index::Contact c;
    c.customer_id = customer;
    c.first_name = first_name;
    c.external_id = absl::StrCat("crm-", i);
    c.phone_numbers.push_back({.number = Phone(i)});
    EXPECT_TRUE(store->Upsert(c).ok());
  };
  for (int i = 0; i < kContacts; ++i) add(i);
  add(first_name == "A" ? -1 : -2);
  auto writer = snapshot::SnapshotWriter::Create(path, 0);
  EXPECT_TRUE(writer.ok()) << writer.status();
  index::EpochGuard guard;
  store->Freeze([] {}).ForEach([&](const index::ContactRecord& r) {
    EXPECT_TRUE((*writer)->Add(r).ok());
  });
  EXPECT_TRUE((*writer)->Finish().ok());
  return path;
}

std::string LookupTarget(int i) {
  return "/v1/contacts/lookup?phone=%2B" + Phone(i).substr(1);
}

// POST /admin/reload of `path`; expects 200 and every contact of the file.
void Reload(ApiClient& admin, const std::string& path) {
  const HttpResponse r = admin.Post("/admin/reload", {{"path", path}});
  ASSERT_EQ(r.status, 200u) << Describe(r);
  EXPECT_EQ(r.Json()["contacts"], kContacts + 1) << Describe(r);
  EXPECT_TRUE(r.Json().contains("sequence")) << Describe(r);
  EXPECT_TRUE(r.Json()["duration_ms"].is_number()) << Describe(r);
}

TEST(HttpReloadTest, LookupsNeverFailDuringReloadsAndBIsServedAfter) {
  const std::string tenant = RandomTenant();
  const std::string files = FreshTempDir("http_reload_files");
  const std::string a = WriteDataset(files + "/a.snap", tenant, "A");
  const std::string b = WriteDataset(files + "/b.snap", tenant, "B");
  const std::string dir = FreshTempDir("http_reload");
  auto server = ContactdProcess::StartInDataDir(dir, {"--fsync", "never"});
  ASSERT_NE(server, nullptr);
  ApiClient admin(server->http_port());
  Reload(admin, a);
  ApiClient api(server->http_port(), tenant);
  ASSERT_EQ(api.Get(LookupTarget(7)).Json()["first_name"], "A");

  std::atomic<bool> stop{false};
  std::atomic<int> lookups{0}, failures{0};
  std::string first_failure;
  std::thread reader([&] {
    ApiClient client(server->http_port(), tenant);
    while (!stop.load()) {
      const HttpResponse r = client.Get(LookupTarget(7));
      const json name = r.Json().value("first_name", json());
      if (r.status != 200 || (name != "A" && name != "B")) {
        if (failures.fetch_add(1) == 0) first_failure = Describe(r);
      }
      ++lookups;
    }
  });
  while (lookups.load() == 0) std::this_thread::yield();
  for (int round = 0; round < kRounds; ++round) {
    Reload(admin, round % 2 == 0 ? b : a);
  }
  const int before_stop = lookups.load();
  while (lookups.load() < before_stop + 2) std::this_thread::yield();
  stop = true;
  reader.join();
  EXPECT_EQ(failures.load(), 0)
      << "of " << lookups.load() << " lookups; first: " << first_failure;

  EXPECT_EQ(api.Get(LookupTarget(7)).Json()["first_name"], "B");
  EXPECT_EQ(api.Get(LookupTarget(-2)).status, 200u);
  EXPECT_EQ(api.Get(LookupTarget(-1)).status, 404u);
  server->Kill();  // the reload is durable when it is answered
  server = ContactdProcess::StartInDataDir(dir, {"--fsync", "never"});
  ASSERT_NE(server, nullptr);
  ApiClient restarted(server->http_port(), tenant);
  EXPECT_EQ(restarted.Get(LookupTarget(kContacts - 1)).Json()["first_name"],
            "B");
  EXPECT_EQ(restarted.Get(LookupTarget(-1)).status, 404u);
}

TEST(HttpReloadTest, ADamagedFileIsRefusedAndTheOldDataKeepsServing) {
  const std::string tenant = RandomTenant();
  const std::string files = FreshTempDir("http_reload_damaged_files");
  const std::string a = WriteDataset(files + "/a.snap", tenant, "A");
  const std::string bad = WriteDataset(files + "/bad.snap", tenant, "B");
  std::filesystem::resize_file(bad, std::filesystem::file_size(bad) - 100);
  auto server =
      ContactdProcess::Start("http_reload_damaged", {"--fsync", "never"});
  ASSERT_NE(server, nullptr);
  ApiClient admin(server->http_port());
  Reload(admin, a);
  const HttpResponse refused = admin.Post("/admin/reload", {{"path", bad}});
  EXPECT_GE(refused.status, 400u) << Describe(refused);
  EXPECT_LT(refused.status, 500u) << Describe(refused);
  EXPECT_TRUE(IsErrorShape(refused.Json())) << Describe(refused);
  ApiClient api(server->http_port(), tenant);
  EXPECT_EQ(api.Get(LookupTarget(7)).Json()["first_name"], "A");
  EXPECT_EQ(api.Get(LookupTarget(-1)).status, 200u);
}

}  // namespace
}  // namespace contactd::testing
