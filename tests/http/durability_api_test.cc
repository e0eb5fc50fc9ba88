// HTTP writes are durable: every acknowledged create, update, item change
// and delete survives a SIGKILL and a restart on the same data directory,
// with and without a checkpoint in between.

#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "gtest/gtest.h"
#include "tests/http/api_client.h"
#include "tests/http/http_test_support.h"
#include "tests/integration/contactd_process.h"

namespace contactd::testing {
namespace {

using nlohmann::json;

// Writes through every kind of HTTP write; the contacts as acknowledged
// (first) and the id of a deleted one (second).
std::pair<std::vector<json>, std::string> WriteEverything(ApiClient& api) {
  std::vector<json> kept;
  kept.push_back(api.CreateContact(
      {{"first_name", "Ada"},
       {"external_id", "crm-1"},
       {"phone_numbers", {{{"number", "+15558880001"}, {"is_primary", true}}}},
       {"emails", {{{"address", "ada@example.com"}}}},
       {"tags", {"vip"}}}));
  const json& ada = kept.back();
  api.Put(ContactPath(ada["id"]), {{"company", "Acme"}});
  api.Post(ContactPath(ada["id"], "phone-numbers"),
           {{"number", "+15558880002"}});
  api.Delete(ContactPath(
      ada["id"], "emails/" + ada["emails"][0]["id"].get<std::string>()));
  api.Post(ContactPath(ada["id"], "tags"), {{"tag", "renewal"}});
  const HttpResponse last =
      api.Put(ContactPath(ada["id"],
                          "phone-numbers/" +
                              ada["phone_numbers"][0]["id"].get<std::string>()),
              {{"type", "home"}});
  EXPECT_EQ(last.status, 200u) << Describe(last);
  kept.back() = last.Json();
  kept.push_back(api.CreateContact(ContactBody("Grace", "+15558880003")));
  const json gone = api.CreateContact(ContactBody("Gone", "+15558880004"));
  const HttpResponse deleted = api.Delete(ContactPath(gone["id"]));
  EXPECT_EQ(deleted.status, 200u) << Describe(deleted);
  return {kept, gone.value("id", "")};
}

// Restarts on `dir` and checks that it serves exactly what was written.
void ExpectServedAfterRestart(const std::string& dir, const std::string& tenant,
                              const std::vector<json>& kept,
                              const std::string& deleted_id) {
  auto server = ContactdProcess::StartInDataDir(dir, {});
  ASSERT_NE(server, nullptr);
  ApiClient api(server->http_port(), tenant);
  for (const json& contact : kept) {
    const HttpResponse got = api.Get(ContactPath(contact["id"]));
    EXPECT_EQ(got.status, 200u) << Describe(got);
    EXPECT_EQ(got.Json(), contact);
  }
  EXPECT_EQ(api.Get(ContactPath(deleted_id)).status, 404u);
  EXPECT_EQ(api.Get("/v1/contacts/lookup?phone=%2B15558880002").status, 200u);
  EXPECT_EQ(api.Get("/v1/contacts/lookup?phone=%2B15558880004").status, 404u);
  EXPECT_EQ(api.Get("/v1/contacts/lookup?email=ada@example.com").status, 404u);
  EXPECT_EQ(api.Get("/v1/contacts").Json()["result"].size(), kept.size());
  // The external_id still leads to its contact.
  const HttpResponse upsert =
      api.Post("/v1/contacts", {{"external_id", "crm-1"}, {"notes", "again"}});
  EXPECT_EQ(upsert.status, 200u) << Describe(upsert);
  EXPECT_EQ(upsert.Json()["id"], kept[0]["id"]);
}

TEST(HttpDurabilityTest, AcknowledgedWritesSurviveAKill) {
  const std::string dir = FreshTempDir("http_durability_kill");
  const std::string tenant = RandomTenant();
  std::vector<json> kept;
  std::string deleted_id;
  {
    auto server = ContactdProcess::StartInDataDir(dir, {});
    ASSERT_NE(server, nullptr);
    ApiClient api(server->http_port(), tenant);
    std::tie(kept, deleted_id) = WriteEverything(api);
    server->Kill();
  }
  ExpectServedAfterRestart(dir, tenant, kept, deleted_id);
}

TEST(HttpDurabilityTest, WritesAroundACheckpointSurviveAKill) {
  const std::string dir = FreshTempDir("http_durability_checkpoint");
  const std::string tenant = RandomTenant();
  std::vector<json> kept;
  std::string deleted_id;
  {
    auto server = ContactdProcess::StartInDataDir(dir, {});
    ASSERT_NE(server, nullptr);
    ApiClient api(server->http_port(), tenant);
    std::tie(kept, deleted_id) = WriteEverything(api);
    const HttpResponse checkpoint =
        ApiClient(server->http_port())
            .Post("/admin/checkpoint", json::object());
    ASSERT_EQ(checkpoint.status, 200u) << Describe(checkpoint);
    const HttpResponse after = api.Put(ContactPath(kept[1]["id"]),
                                       {{"notes", "after the checkpoint"}});
    ASSERT_EQ(after.status, 200u) << Describe(after);
    kept[1] = after.Json();
    server->Kill();
  }
  ExpectServedAfterRestart(dir, tenant, kept, deleted_id);
}

}  // namespace
}  // namespace contactd::testing
