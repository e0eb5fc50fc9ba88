#include "tools/normalize_command.h"

#include <iostream>
#include <memory>

#include "index/email_normalizer.h"
#include "index/phone_normalizer.h"
#include "tools/command.h"

namespace contactd::tools {
namespace {

int NormalizePhone(const NormalizeOptions& options, std::ostream& out,
                   std::ostream& err) {
  const absl::StatusOr<index::PhoneNormalizer> normalizer =
      index::PhoneNormalizer::Create(options.region);
  if (!normalizer.ok()) return ReportError(normalizer.status(), err);
  const absl::StatusOr<index::E164Number> number =
      normalizer->Normalize(options.value);
  if (!number.ok()) return ReportError(number.status(), err);
  out << number->ToString() << "\n";
  return kExitOk;
}

int NormalizeEmailAddress(const NormalizeOptions& options, std::ostream& out,
                          std::ostream& err) {
  const absl::StatusOr<index::NormalizedEmail> email =
      index::NormalizeEmail(options.value);
  if (!email.ok()) return ReportError(email.status(), err);
  out << email->view() << "\n";
  return kExitOk;
}

}  // namespace

int RunNormalize(const NormalizeOptions& options, std::ostream& out,
                 std::ostream& err) {
  switch (options.kind) {
    case NormalizeOptions::Kind::kPhone:
      return NormalizePhone(options, out, err);
    case NormalizeOptions::Kind::kEmail:
      return NormalizeEmailAddress(options, out, err);
  }
  return kExitError;
}

void AddNormalizeCommand(CLI::App& app, int* exit_code) {
  CLI::App* command = app.add_subcommand(
      "normalize",
      "Print a phone number (E.164) or an email address as contactd stores it");
  command->footer(std::string(kExitCodesHelp));

  // Shared with the callback, which runs inside app.parse().
  auto options = std::make_shared<NormalizeOptions>();
  auto phone = std::make_shared<std::string>();
  auto email = std::make_shared<std::string>();
  CLI::Option_group* input =
      command->add_option_group("input", "What to normalize (exactly one)");
  CLI::Option* phone_option =
      input->add_option("--phone", *phone, "Phone number as entered");
  input->add_option("--email", *email, "Email address as entered");
  input->require_option(1);
  command
      ->add_option("--region", options->region,
                   "Region (ISO 3166) for --phone numbers written without a "
                   "country code")
      ->capture_default_str();

  command->callback([options, phone, email, phone_option, exit_code] {
    const bool is_phone = phone_option->count() > 0;
    options->kind = is_phone ? NormalizeOptions::Kind::kPhone
                             : NormalizeOptions::Kind::kEmail;
    options->value = is_phone ? *phone : *email;
    *exit_code = RunNormalize(*options, std::cout, std::cerr);
  });
}

}  // namespace contactd::tools
