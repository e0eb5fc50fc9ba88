#pragma once
// ServerPerSuite<Suite>: one contactd for all the tests of a suite (tests
// that do not interfere: each works in its own random tenant). The suite
// names its data directory and flags:
//
//   class LookupApiTest : public ServerPerSuite<LookupApiTest> {
//    public:
//     static constexpr char kName[] = "http_lookup";
//     static std::vector<std::string> Args() { return {"--fsync", "never"}; }
//   };
//   TEST_F(LookupApiTest, X) { ApiClient api = TenantApi(); ... }

#include <memory>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "tests/http/api_client.h"
#include "tests/http/http_test_support.h"
#include "tests/integration/contactd_process.h"

namespace contactd::testing {

template <typename Suite>
class ServerPerSuite : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    data_dir_ = FreshTempDir(Suite::kName);
    server_ = ContactdProcess::StartInDataDir(data_dir_, Suite::Args());
  }
  static void TearDownTestSuite() { server_.reset(); }
  void SetUp() override {
    ASSERT_NE(server_, nullptr) << "contactd did not start";
  }

  static ContactdProcess& server() { return *server_; }
  static int http_port() { return server_->http_port(); }
  static const std::string& data_dir() { return data_dir_; }
  // A client of a tenant no other test uses.
  static ApiClient TenantApi(const std::string& token = "") {
    return ApiClient(http_port(), RandomTenant(), token);
  }

 private:
  inline static std::string data_dir_;
  inline static std::unique_ptr<ContactdProcess> server_;
};

}  // namespace contactd::testing
