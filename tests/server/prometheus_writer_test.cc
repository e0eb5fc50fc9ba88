#include "server/http/prometheus_writer.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace contactd::server::http {
namespace {

using ::testing::HasSubstr;

TEST(PrometheusWriterTest, WritesFamiliesSamplesAndEscapedLabels) {
  PrometheusWriter out;
  out.Family("contactd_lookups_total", "counter", "Lookups.");
  out.Sample("contactd_lookups_total", {{"kind", "phone"}, {"result", "hit"}},
             123456789012);
  out.Sample("contactd_odd", {{"v", "a\"b\\c\nd"}}, 0.25);
  EXPECT_EQ(out.Take(),
            "# HELP contactd_lookups_total Lookups.\n"
            "# TYPE contactd_lookups_total counter\n"
            "contactd_lookups_total{kind=\"phone\",result=\"hit\"} "
            "123456789012\n"
            "contactd_odd{v=\"a\\\"b\\\\c\\nd\"} 0.25\n");
}

TEST(PrometheusWriterTest, HistogramHasCumulativeBucketsSumAndCount) {
  LatencyHistogram histogram;
  histogram.Record(absl::Microseconds(3));
  histogram.Record(absl::Milliseconds(2));
  PrometheusWriter out;
  out.Histogram("h_seconds", "Help.", histogram.Snapshot());
  const std::string text = out.Take();
  EXPECT_THAT(text, HasSubstr("# TYPE h_seconds histogram\n"));
  EXPECT_THAT(text, HasSubstr("h_seconds_bucket{le=\"1e-06\"} 0\n"));
  EXPECT_THAT(text, HasSubstr("h_seconds_bucket{le=\"5e-06\"} 1\n"));
  EXPECT_THAT(text, HasSubstr("h_seconds_bucket{le=\"0.002\"} 2\n"));
  EXPECT_THAT(text, HasSubstr("h_seconds_bucket{le=\"+Inf\"} 2\n"));
  EXPECT_THAT(text, HasSubstr("h_seconds_sum 0.002003\n"));
  EXPECT_THAT(text, HasSubstr("h_seconds_count 2\n"));
}

}  // namespace
}  // namespace contactd::server::http
