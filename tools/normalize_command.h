#pragma once
// `contactctl normalize`: prints a phone number or an email address in the
// normalized form contactd stores and looks up.
//
//   contactctl normalize --phone "(555) 123-4567" --region US  ->  +15551234567
//   contactctl normalize --email "  John@Example.COM "         ->
//   john@example.com contactctl normalize --phone anonymous
//       stderr: contactctl: INVALID_PHONE: 'anonymous' is not a phone number
//       exit code 2

#include <ostream>
#include <string>

#include "CLI/CLI.hpp"

namespace contactd::tools {

struct NormalizeOptions {
  enum class Kind { kPhone, kEmail };
  Kind kind = Kind::kPhone;
  std::string value;          // as entered
  std::string region = "US";  // for phone numbers without a country code
};

// Registers `normalize` on `app`. When the subcommand runs, its exit code is
// stored in `*exit_code`, which must outlive app.parse().
void AddNormalizeCommand(CLI::App& app, int* exit_code);

// Prints the normalized value on `out`, or an error on `err`; returns the
// exit code (command.h).
int RunNormalize(const NormalizeOptions& options, std::ostream& out,
                 std::ostream& err);

}  // namespace contactd::tools
