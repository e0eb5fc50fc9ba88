// Admin and observability over HTTP: /healthz, /readyz, /admin/stats,
// /admin/checkpoint, refused reloads, and /metrics that change after
// traffic. (A reload that succeeds: reload_api_test.)

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "tests/http/prometheus_text.h"
#include "tests/http/server_per_suite.h"

namespace contactd::testing {
namespace {

using nlohmann::json;

class AdminApiTest : public ServerPerSuite<AdminApiTest> {
 public:
  static constexpr char kName[] = "http_admin";
  // The default --fsync (always), so that writes feed the fsync histogram.
  static std::vector<std::string> Args() { return {}; }

 protected:
  static std::string Scrape() {
    const HttpResponse r = ApiClient(http_port()).Get("/metrics");
    EXPECT_EQ(r.status, 200u) << Describe(r);
    return r.body;
  }
  static json Stats() {
    const HttpResponse r = ApiClient(http_port()).Get("/admin/stats");
    EXPECT_EQ(r.status, 200u) << Describe(r);
    return r.Json();
  }
};

std::string Lookups(const std::string& kind, const std::string& result) {
  return "contactd_lookups_total{kind=\"" + kind + "\",result=\"" + result +
         "\"}";
}

TEST_F(AdminApiTest, HealthAndReadinessAnswer200) {
  ApiClient api(http_port());
  const HttpResponse health = api.Get("/healthz");
  EXPECT_EQ(health.status, 200u) << Describe(health);
  EXPECT_EQ(health.Json(), json({{"status", "ok"}}));
  const HttpResponse ready = api.Get("/readyz");
  EXPECT_EQ(ready.status, 200u) << Describe(ready);
  EXPECT_EQ(ready.Json(), json({{"status", "ready"}}));
}

TEST_F(AdminApiTest, StatsHasEverySectionAndCountsContacts) {
  const json before = Stats();
  for (const char* key :
       {"contacts", "tenants", "indexes", "memory", "connections", "requests",
        "lookups", "wal", "checkpoint", "reload"}) {
    EXPECT_TRUE(before.contains(key)) << key << " in " << before;
  }
  EXPECT_GT(before["memory"]["resident_bytes"].get<double>(), 0);
  EXPECT_GE(before["connections"]["http"]["active"].get<int>(), 1);
  ApiClient api = TenantApi();
  api.CreateContact(ContactBody("A", "+15557770001"));
  api.CreateContact(ContactBody("B", "", "b@example.com"));
  api.Get("/v1/contacts/lookup?phone=%2B15557770001");
  const json after = Stats();
  EXPECT_EQ(after["contacts"], before["contacts"].get<int>() + 2);
  EXPECT_EQ(after["tenants"], before["tenants"].get<int>() + 1);
  EXPECT_EQ(after["indexes"]["phone_keys"],
            before["indexes"]["phone_keys"].get<int>() + 1);
  EXPECT_EQ(after["wal"]["last_sequence"],
            before["wal"]["last_sequence"].get<int>() + 2);
  EXPECT_EQ(after["lookups"]["phone"]["hit"],
            before["lookups"]["phone"]["hit"].get<int>() + 1);
  EXPECT_GE(after["requests"]["http"]["201"].get<int>(), 2) << after;
}

TEST_F(AdminApiTest, CheckpointWritesASnapshotFile) {
  ApiClient api = TenantApi();
  api.CreateContact(ContactBody("A"));
  const json before = Stats();
  const HttpResponse r =
      ApiClient(http_port()).Post("/admin/checkpoint", json::object());
  ASSERT_EQ(r.status, 200u) << Describe(r);
  const json result = r.Json();
  for (const char* key : {"sequence", "contacts", "bytes", "duration_ms"}) {
    EXPECT_TRUE(result.contains(key)) << key << " in " << result;
  }
  EXPECT_EQ(result["contacts"], before["contacts"]);
  EXPECT_EQ(result["sequence"], before["wal"]["last_sequence"]);
  bool found = false;
  for (const auto& entry : std::filesystem::directory_iterator(data_dir())) {
    const std::string name = entry.path().filename().string();
    found = found || (name.rfind("snapshot-", 0) == 0 &&
                      name.find(std::to_string(result["sequence"].get<int>()) +
                                ".snap") != std::string::npos);
  }
  EXPECT_TRUE(found) << "no snapshot file for " << result;
  EXPECT_EQ(Stats()["checkpoint"]["count"],
            before["checkpoint"]["count"].get<int>() + 1);
}

TEST_F(AdminApiTest, ABadReloadIsRefusedAndTheDataStays) {
  ApiClient api = TenantApi();
  const json c = api.CreateContact(ContactBody("Stays"));
  ApiClient admin(http_port());
  for (const char* body : {"", "{}", "{\"path\": \"\"}", "{\"path\": 5}",
                           "{\"path\": \"/x\", \"now\": true}", "[]"}) {
    EXPECT_API_ERROR(admin.Call("POST", "/admin/reload", body), 400,
                     "INVALID_JSON_BODY")
        << body;
  }
  const HttpResponse missing = admin.Post(
      "/admin/reload", {{"path", data_dir() + "/no-such-file.snap"}});
  EXPECT_GE(missing.status, 400u) << Describe(missing);
  EXPECT_LT(missing.status, 500u) << Describe(missing);
  EXPECT_TRUE(IsErrorShape(missing.Json())) << Describe(missing);
  const std::string not_a_snapshot = data_dir() + "/../not-a-snapshot.snap";
  std::ofstream(not_a_snapshot) << "this is not a snapshot file\n";
  const HttpResponse damaged =
      admin.Post("/admin/reload", {{"path", not_a_snapshot}});
  EXPECT_GE(damaged.status, 400u) << Describe(damaged);
  EXPECT_LT(damaged.status, 500u) << Describe(damaged);
  EXPECT_EQ(api.Get(ContactPath(c["id"])).status, 200u);
}

TEST_F(AdminApiTest, MetricsAreWellFormedWithEveryFamily) {
  const HttpResponse r = ApiClient(http_port()).Get("/metrics");
  ASSERT_EQ(r.status, 200u) << Describe(r);
  EXPECT_EQ(r.Header("Content-Type"),
            "text/plain; version=0.0.4; charset=utf-8");
  EXPECT_EQ(MalformedLines(r.body), std::vector<std::string>{});
  const std::vector<std::string> families = Families(r.body);
  for (const char* family :
       {"contactd_lookups_total", "contactd_lookup_duration_seconds",
        "contactd_connections", "contactd_frames_rejected_total",
        "contactd_wal_appends_total", "contactd_fsync_duration_seconds",
        "contactd_checkpoint_duration_seconds",
        "contactd_reload_duration_seconds", "contactd_contacts",
        "contactd_http_responses_total", "contactd_writes_total"}) {
    EXPECT_NE(std::find(families.begin(), families.end(), family),
              families.end())
        << family;
  }
  EXPECT_TRUE(
      IsConsistentHistogram(r.body, "contactd_lookup_duration_seconds"));
  EXPECT_TRUE(IsConsistentHistogram(r.body, "contactd_fsync_duration_seconds"));
}

TEST_F(AdminApiTest, MetricsChangeAfterTraffic) {
  Samples before = ParseSamples(Scrape());
  ApiClient api = TenantApi();
  api.CreateContact(ContactBody("M", "+15557770002", "m@example.com"));
  EXPECT_EQ(api.Get("/v1/contacts/lookup?phone=%2B15557770002").status, 200u);
  EXPECT_EQ(api.Get("/v1/contacts/lookup?phone=%2B15557770003").status, 404u);
  EXPECT_EQ(api.Get("/v1/contacts/lookup?email=m@example.com").status, 200u);
  EXPECT_EQ(api.Get("/v1/contacts/lookup?email=n@example.com").status, 404u);
  Samples after = ParseSamples(Scrape());
  EXPECT_EQ(after[Lookups("phone", "hit")],
            before[Lookups("phone", "hit")] + 1);
  EXPECT_EQ(after[Lookups("phone", "miss")],
            before[Lookups("phone", "miss")] + 1);
  EXPECT_EQ(after[Lookups("email", "hit")],
            before[Lookups("email", "hit")] + 1);
  EXPECT_EQ(after[Lookups("email", "miss")],
            before[Lookups("email", "miss")] + 1);
  EXPECT_EQ(after["contactd_lookup_duration_seconds_count"],
            before["contactd_lookup_duration_seconds_count"] + 4);
  EXPECT_GT(after["contactd_lookup_duration_seconds_sum"],
            before["contactd_lookup_duration_seconds_sum"]);
  EXPECT_EQ(after["contactd_writes_total"],
            before["contactd_writes_total"] + 1);
  EXPECT_EQ(after["contactd_wal_appends_total"],
            before["contactd_wal_appends_total"] + 1);
  EXPECT_GT(after["contactd_fsync_duration_seconds_count"],
            before["contactd_fsync_duration_seconds_count"]);
  EXPECT_EQ(after["contactd_contacts"], before["contactd_contacts"] + 1);
  EXPECT_GE(after["contactd_http_responses_total{code=\"404\"}"],
            before["contactd_http_responses_total{code=\"404\"}"] + 2);
  EXPECT_GE(after["contactd_connections_accepted_total{port=\"http\"}"],
            before["contactd_connections_accepted_total{port=\"http\"}"] + 1);
}

TEST_F(AdminApiTest, MetricsCountCheckpoints) {
  Samples before = ParseSamples(Scrape());
  ASSERT_EQ(
      ApiClient(http_port()).Post("/admin/checkpoint", json::object()).status,
      200u);
  Samples after = ParseSamples(Scrape());
  EXPECT_EQ(after["contactd_checkpoint_duration_seconds_count"],
            before["contactd_checkpoint_duration_seconds_count"] + 1);
  EXPECT_GT(after["contactd_last_checkpoint_timestamp_seconds"], 0);
}

}  // namespace
}  // namespace contactd::testing
