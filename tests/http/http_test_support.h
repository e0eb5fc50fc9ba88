#pragma once
// Small helpers of the HTTP tests: random tenants, contact bodies, the
// tokens file, the time format of the API.

#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "tests/http/http_client.h"

namespace contactd::testing {

// A fresh random (version 4) UUID, as text: a tenant of one test.
std::string RandomTenant();

// {"first_name": first_name, "phone_numbers": [{"number": phone}],
//  "emails": [{"address": email}]}, without the empty ones.
nlohmann::json ContactBody(const std::string& first_name,
                           const std::string& phone = "",
                           const std::string& email = "");

// Writes `lines` ("TOKEN SCOPES TENANT") to a fresh tokens file; its path.
std::string WriteTokensFile(const std::string& name,
                            const std::vector<std::string>& lines);

// Whether `value` is an RFC 3339 UTC time with microseconds
// ("2026-02-07T14:45:59.038962Z").
bool IsApiTime(const nlohmann::json& value);
// Whether `value` is a lowercase UUID string.
bool IsUuid(const nlohmann::json& value);

// The "id"s of a list of contacts, in order.
std::vector<std::string> Ids(const nlohmann::json& contacts);

// Expects `response` to be an error with this HTTP status and reason, in
// the API's error shape. Takes << like any EXPECT_*.
#define EXPECT_API_ERROR(response, http_status, reason) \
  EXPECT_TRUE(                                          \
      ::contactd::testing::IsApiError((response), (http_status), (reason)))

::testing::AssertionResult IsApiError(const HttpResponse& response,
                                      unsigned http_status,
                                      const std::string& reason);

// {"error": {"status": "<CODE>", "reason": "<REASON>", "message": "..."}}
// with nothing else and a non-empty message.
bool IsErrorShape(const nlohmann::json& body);

}  // namespace contactd::testing
