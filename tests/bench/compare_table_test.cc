#include "bench/harness/compare_table.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace contactd::bench {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

nlohmann::json Report(double throughput, double p50, double p99) {
  nlohmann::json j;
  j["throughput_rps"] = throughput;
  j["latency_us"] = {{"p50", p50}, {"p99", p99}, {"p99_9", p99}, {"max", p99}};
  j["errors"] = 0;
  j["unanswered"] = 0;
  return j;
}

CompareInput C50(nlohmann::json contactd, nlohmann::json redis) {
  CompareInput input;
  input.rows.push_back({.key = "c50",
                        .label = "50 connections",
                        .contactd = std::move(contactd),
                        .redis = std::move(redis)});
  return input;
}

TEST(CompareTableTest, ThroughputRatioAndItsTarget) {
  const std::string table = CompareTableMarkdown(
      C50(Report(150'000, 300, 900), Report(100'000, 400, 800)));
  EXPECT_THAT(table, HasSubstr("| 50 connections | 150000 | 100000 | 1.50x |"));
  EXPECT_THAT(table, HasSubstr("| throughput at 50 connections >= 1.5x Redis | "
                               "1.50x | **met** |"));
}

TEST(CompareTableTest, CpuPerRequestTableWhenTheReportsHaveIt) {
  nlohmann::json contactd = Report(120'000, 300, 900);
  contactd["server_cpu_us_per_request"] = 7.5;
  contactd["client_cpu_us_per_request"] = 8.0;
  nlohmann::json redis = Report(100'000, 400, 800);
  redis["server_cpu_us_per_request"] = 10.0;
  redis["client_cpu_us_per_request"] = 9.0;
  EXPECT_THAT(CompareTableMarkdown(C50(contactd, redis)),
              HasSubstr("| 50 connections | 7.50 | 10.00 | 0.75x | 8.00 / "
                        "9.00 |"));
}

TEST(CompareTableTest, NoCpuTableWithoutServerCpu) {
  EXPECT_THAT(CompareTableMarkdown(C50(Report(1, 1, 1), Report(1, 1, 1))),
              Not(HasSubstr("server CPU")));
}

}  // namespace
}  // namespace contactd::bench
