#include "tests/http/http_test_support.h"

#include <fstream>
#include <string_view>

#include "index/uuid.h"
#include "tests/integration/contactd_process.h"

namespace contactd::testing {

std::string RandomTenant() { return index::Uuid::Random().ToString(); }

nlohmann::json ContactBody(const std::string& first_name,
                           const std::string& phone, const std::string& email) {
  nlohmann::json body = {{"first_name", first_name}};
  if (!phone.empty()) body["phone_numbers"] = {{{"number", phone}}};
  if (!email.empty()) body["emails"] = {{{"address", email}}};
  return body;
}

std::string WriteTokensFile(const std::string& name,
                            const std::vector<std::string>& lines) {
  const std::string path = FreshTempDir(name) + "/tokens";
  std::ofstream out(path);
  out << "# token scopes tenant\n";
  for (const std::string& line : lines) out << line << "\n";
  return path;
}

namespace {

// Whether `text` has `shape`: 'd' a decimal digit, 'h' a lowercase hex
// digit, any other character itself. (Not std::regex: GCC 12 reports a
// false maybe-uninitialized inside <regex> at -O1.)
bool HasShape(const nlohmann::json& value, std::string_view shape) {
  if (!value.is_string()) return false;
  const std::string& text = value.get_ref<const std::string&>();
  if (text.size() != shape.size()) return false;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    const bool digit = c >= '0' && c <= '9';
    const bool ok = shape[i] == 'd'   ? digit
                    : shape[i] == 'h' ? digit || (c >= 'a' && c <= 'f')
                                      : c == shape[i];
    if (!ok) return false;
  }
  return true;
}

}  // namespace

bool IsApiTime(const nlohmann::json& value) {
  return HasShape(value, "dddd-dd-ddTdd:dd:dd.ddddddZ");
}

bool IsUuid(const nlohmann::json& value) {
  return HasShape(value, "hhhhhhhh-hhhh-hhhh-hhhh-hhhhhhhhhhhh");
}

std::vector<std::string> Ids(const nlohmann::json& contacts) {
  std::vector<std::string> ids;
  if (!contacts.is_array()) return ids;
  for (const auto& contact : contacts) {
    ids.push_back(contact.value("id", std::string()));
  }
  return ids;
}

bool IsErrorShape(const nlohmann::json& body) {
  if (!body.is_object() || body.size() != 1 || !body.contains("error")) {
    return false;
  }
  const nlohmann::json& error = body["error"];
  return error.is_object() && error.size() == 3 && error.contains("status") &&
         error["status"].is_string() &&
         !error["status"].get<std::string>().empty() &&
         error.contains("reason") && error["reason"].is_string() &&
         error.contains("message") && error["message"].is_string() &&
         !error["message"].get<std::string>().empty();
}

::testing::AssertionResult IsApiError(const HttpResponse& response,
                                      unsigned http_status,
                                      const std::string& reason) {
  if (response.status != http_status || response.ErrorReason() != reason ||
      !IsErrorShape(response.Json())) {
    return ::testing::AssertionFailure()
           << "expected " << http_status << " " << reason << ", got "
           << Describe(response);
  }
  return ::testing::AssertionSuccess();
}

}  // namespace contactd::testing
