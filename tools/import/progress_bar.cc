#include "tools/import/progress_bar.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace contactd::tools {
namespace {

constexpr int kBarWidth = 30;
constexpr absl::Duration kRedrawEvery = absl::Milliseconds(100);

// 1234567 -> "1,234,567".
std::string Grouped(uint64_t n) {
  const std::string digits = absl::StrCat(n);
  std::string out;
  out.reserve(digits.size() + digits.size() / 3);
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out.push_back(',');
    out.push_back(digits[i]);
  }
  return out;
}

}  // namespace

std::string ProgressBar::Render(uint64_t rows, uint64_t bytes,
                                uint64_t total_bytes, absl::Duration elapsed) {
  const double seconds = absl::ToDoubleSeconds(elapsed);
  const uint64_t rate =
      seconds > 0 ? static_cast<uint64_t>(static_cast<double>(rows) / seconds)
                  : 0;
  const std::string counts =
      absl::StrCat(Grouped(rows), " rows  ", Grouped(rate), " rows/s");
  if (total_bytes == 0) {
    return absl::StrFormat("%s  %.1f MiB", counts,
                           static_cast<double>(bytes) / (1024.0 * 1024.0));
  }
  const double fraction = std::min(
      1.0, static_cast<double>(bytes) / static_cast<double>(total_bytes));
  const int filled = static_cast<int>(fraction * kBarWidth);
  return absl::StrCat(
      "[", std::string(filled, '#'), std::string(kBarWidth - filled, '.'), "] ",
      absl::StrFormat("%3d%%", static_cast<int>(fraction * 100)), "  ", counts);
}

void ProgressBar::Update(uint64_t rows, uint64_t bytes, absl::Time now) {
  if (now - last_draw_ < kRedrawEvery) return;
  last_draw_ = now;
  out_ << "\r\033[K" << Render(rows, bytes, total_bytes_, now - start_)
       << std::flush;
  drawn_ = true;
}

void ProgressBar::Clear() {
  if (!drawn_) return;
  out_ << "\r\033[K" << std::flush;
  drawn_ = false;
  last_draw_ = absl::InfinitePast();
}

}  // namespace contactd::tools
