// Robustness of the HTTP port: body and header limits (413), keep-alive
// with a cap, the request timeout, the connection limit, and malformed
// HTTP — each a clean answer or close, never a crash.

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "tests/http/server_per_suite.h"

namespace contactd::testing {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

constexpr auto kCloseDeadline = 20s;

// Small limits, so that going over them is cheap.
class LimitsApiTest : public ServerPerSuite<LimitsApiTest> {
 public:
  static constexpr char kName[] = "http_limits";
  static std::vector<std::string> Args() {
    return {"--fsync",
            "never",
            "--http-max-body-bytes",
            "4096",
            "--http-max-header-bytes",
            "2048",
            "--http-max-keepalive-requests",
            "3"};
  }

 protected:
  void TearDown() override {
    // Whatever the test sent, the server still serves.
    HttpConnection c(http_port());
    EXPECT_EQ(c.Send({.method = "GET", .target = "/healthz"}).status, 200u);
  }
};

// A POST /v1/contacts of a body of exactly `size` bytes: {"notes":"xx..."}.
HttpRequest PostOfSize(const std::string& tenant, size_t size) {
  const std::string frame = "{\"notes\":\"\"}";
  return {
      .method = "POST",
      .target = "/v1/contacts",
      .headers = {{"X-Customer-Id", tenant}},
      .body = "{\"notes\":\"" + std::string(size - frame.size(), 'n') + "\"}"};
}

TEST_F(LimitsApiTest, ABodyOverTheLimitIs413AndClosesTheConnection) {
  HttpConnection c(http_port());
  const HttpResponse r = c.Send(PostOfSize(RandomTenant(), 4097));
  EXPECT_API_ERROR(r, 413, "BODY_TOO_LARGE");
  EXPECT_FALSE(r.keep_alive);
  EXPECT_TRUE(c.WaitForClose(kCloseDeadline));
}

TEST_F(LimitsApiTest, ABodyAtTheLimitIsServed) {
  HttpConnection c(http_port());
  const HttpResponse r = c.Send(PostOfSize(RandomTenant(), 4096));
  EXPECT_EQ(r.status, 201u) << Describe(r);
}

TEST_F(LimitsApiTest, ADeclaredLengthOverTheLimitIsRefusedBeforeTheBody) {
  HttpConnection c(http_port());
  ASSERT_TRUE(c.SendRaw(
      "POST /v1/contacts HTTP/1.1\r\nHost: x\r\nContent-Length: 100000000\r\n"
      "\r\n{\"notes\":"));
  EXPECT_API_ERROR(c.ReadResponse(), 413, "BODY_TOO_LARGE");
  EXPECT_TRUE(c.WaitForClose(kCloseDeadline));
}

TEST_F(LimitsApiTest, AChunkedBodyCountsAgainstTheLimitToo) {
  const std::string chunk(3000, ' ');
  HttpConnection small(http_port());
  ASSERT_TRUE(small.SendRaw(
      "POST /v1/contacts HTTP/1.1\r\nHost: x\r\nX-Customer-Id: " +
      RandomTenant() +
      "\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n"));
  const HttpResponse created = small.ReadResponse();
  EXPECT_EQ(created.status, 201u) << Describe(created);

  HttpConnection large(http_port());
  ASSERT_TRUE(large.SendRaw(
      "POST /v1/contacts HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked"
      "\r\n\r\nbb8\r\n" +
      chunk + "\r\nbb8\r\n" + chunk + "\r\n0\r\n\r\n"));
  EXPECT_API_ERROR(large.ReadResponse(), 413, "BODY_TOO_LARGE");
  EXPECT_TRUE(large.WaitForClose(kCloseDeadline));
}

TEST_F(LimitsApiTest, HeadersOverTheLimitAre413AndCloseTheConnection) {
  HttpConnection c(http_port());
  const HttpResponse r =
      c.Send({.method = "GET",
              .target = "/healthz",
              .headers = {{"X-Pad", std::string(4096, 'p')}}});
  EXPECT_API_ERROR(r, 413, "HEADERS_TOO_LARGE");
  EXPECT_TRUE(c.WaitForClose(kCloseDeadline));

  HttpConnection long_target(http_port());
  const HttpResponse t = long_target.Send(
      {.method = "GET", .target = "/healthz?" + std::string(3000, 'q')});
  EXPECT_API_ERROR(t, 413, "HEADERS_TOO_LARGE");
}

TEST_F(LimitsApiTest, TheLastResponseOfTheKeepAliveCapSaysClose) {
  HttpConnection c(http_port());
  const HttpRequest health{.method = "GET", .target = "/healthz"};
  for (int i = 1; i <= 2; ++i) {
    const HttpResponse r = c.Send(health);
    EXPECT_EQ(r.status, 200u) << i << ": " << Describe(r);
    EXPECT_TRUE(r.keep_alive) << i;
  }
  const HttpResponse third = c.Send(health);
  EXPECT_EQ(third.status, 200u) << Describe(third);
  EXPECT_FALSE(third.keep_alive);
  EXPECT_EQ(third.Header("Connection"), "close");
  EXPECT_TRUE(c.WaitForClose(kCloseDeadline));
}

TEST_F(LimitsApiTest, AnHttp10RequestIsAnsweredAndClosed) {
  HttpConnection c(http_port());
  ASSERT_TRUE(c.SendRaw("GET /healthz HTTP/1.0\r\n\r\n"));
  const HttpResponse r = c.ReadResponse();
  EXPECT_EQ(r.status, 200u) << Describe(r);
  EXPECT_TRUE(c.WaitForClose(kCloseDeadline));
}

TEST_F(LimitsApiTest, PipelinedRequestsAreAnsweredInOrder) {
  HttpConnection c(http_port());
  ASSERT_TRUE(
      c.SendRaw("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"
                "GET /nope HTTP/1.1\r\nHost: x\r\n\r\n"
                "GET /readyz HTTP/1.1\r\nHost: x\r\n\r\n"));
  EXPECT_EQ(c.ReadResponse().Json(), json({{"status", "ok"}}));
  EXPECT_EQ(c.ReadResponse().status, 404u);
  EXPECT_EQ(c.ReadResponse().Json(), json({{"status", "ready"}}));
}

TEST_F(LimitsApiTest, MalformedHttpIs400AndClosesTheConnection) {
  for (const std::string& bytes : std::vector<std::string>{
           "GARBAGE\r\n\r\n", "\x16\x03\x01\x02\x01\x01\xfc\x03\x03\r\n\r\n",
           "GET /healthz HTTP/1.1\r\nHost x\r\n\r\n",
           "GET /healthz HTTP/1.1\r\nContent-Length: abc\r\n\r\n",
           "GET /healthz HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: "
           "2\r\n\r\n",
           "POST /v1/contacts HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"
           "zz\r\n",
           "GET /healthz HTTP/1.1 extra\r\n\r\n",
           "GET  /healthz HTTP/1.1\r\n\r\n"}) {
    HttpConnection c(http_port());
    ASSERT_TRUE(c.SendRaw(bytes));
    const HttpResponse r = c.ReadResponse();
    EXPECT_API_ERROR(r, 400, "MALFORMED_REQUEST")
        << ::testing::PrintToString(bytes);
    EXPECT_TRUE(c.WaitForClose(kCloseDeadline))
        << ::testing::PrintToString(bytes);
  }
}

TEST_F(LimitsApiTest, ATargetThatIsNotAPathIs400) {
  HttpConnection c(http_port());
  ASSERT_TRUE(c.SendRaw("GET healthz HTTP/1.1\r\nHost: x\r\n\r\n"));
  EXPECT_API_ERROR(c.ReadResponse(), 400, "MALFORMED_REQUEST");
}

TEST_F(LimitsApiTest, AnUnknownMethodIsNotAllowed) {
  HttpConnection c(http_port());
  const HttpResponse r = c.Send({.method = "BREW", .target = "/healthz"});
  EXPECT_API_ERROR(r, 405, "METHOD_NOT_ALLOWED");
  EXPECT_EQ(r.Header("Allow"), "GET");
}

TEST_F(LimitsApiTest, AClientThatVanishesMidRequestHarmsNothing) {
  for (int i = 0; i < 5; ++i) {
    HttpConnection c(http_port());
    ASSERT_TRUE(c.SendRaw(
        "POST /v1/contacts HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n"
        "\r\n{\"first"));
  }  // closed mid-body; TearDown checks the server still serves
}

TEST(HttpDefaultLimitsTest, TheDefaultBodyLimitIs1MiB) {
  auto server =
      ContactdProcess::Start("http_default_limits", {"--fsync", "never"});
  ASSERT_NE(server, nullptr);
  const std::string tenant = RandomTenant();
  HttpConnection c(server->http_port());
  EXPECT_API_ERROR(c.Send(PostOfSize(tenant, 2 << 20)), 413, "BODY_TOO_LARGE");
  // Just under 1 MiB is read and parsed (and then too long for notes).
  HttpConnection under(server->http_port());
  EXPECT_API_ERROR(under.Send(PostOfSize(tenant, (1 << 20) - 16)), 400,
                   "FIELD_TOO_LONG");
}

TEST(HttpTimeoutTest, AnUnfinishedRequestIsClosedAfterTheTimeout) {
  auto server = ContactdProcess::Start(
      "http_timeout", {"--fsync", "never", "--http-request-timeout", "1"});
  ASSERT_NE(server, nullptr);
  HttpConnection half_headers(server->http_port());
  ASSERT_TRUE(half_headers.SendRaw("GET /healthz HTTP/1.1\r\nHost: x\r\n"));
  HttpConnection half_body(server->http_port());
  ASSERT_TRUE(half_body.SendRaw(
      "POST /v1/contacts HTTP/1.1\r\nHost: x\r\nContent-Length: 50\r\n\r\n{"));
  HttpConnection idle(server->http_port());
  EXPECT_TRUE(half_headers.WaitForClose(kCloseDeadline));
  EXPECT_TRUE(half_body.WaitForClose(kCloseDeadline));
  EXPECT_TRUE(idle.WaitForClose(kCloseDeadline));
  HttpConnection fresh(server->http_port());
  EXPECT_EQ(fresh.Send({.method = "GET", .target = "/healthz"}).status, 200u);
}

// Polls (with a deadline) until a new connection gets `status` for
// GET /healthz.
bool EventuallyHealthzAnswers(int port, unsigned status) {
  const auto deadline = std::chrono::steady_clock::now() + kCloseDeadline;
  while (std::chrono::steady_clock::now() < deadline) {
    HttpConnection c(port);
    if (c.Send({.method = "GET", .target = "/healthz"}).status == status) {
      return true;
    }
  }
  return false;
}

TEST(HttpConnectionLimitTest, OneConnectionTooManyIs503AndClosed) {
  auto server = ContactdProcess::Start(
      "http_connection_limit",
      {"--fsync", "never", "--http-max-connections", "2"});
  ASSERT_NE(server, nullptr);
  auto first = std::make_unique<HttpConnection>(server->http_port());
  HttpConnection second(server->http_port());
  const HttpRequest health{.method = "GET", .target = "/healthz"};
  ASSERT_EQ(first->Send(health).status, 200u);
  ASSERT_EQ(second.Send(health).status, 200u);
  HttpConnection third(server->http_port());
  ASSERT_TRUE(third.connected());
  EXPECT_API_ERROR(third.ReadResponse(), 503, "TOO_MANY_CONNECTIONS");
  EXPECT_TRUE(third.WaitForClose(kCloseDeadline));
  first.reset();  // frees a place
  EXPECT_TRUE(EventuallyHealthzAnswers(server->http_port(), 200));
  EXPECT_EQ(second.Send(health).status, 200u);
}

}  // namespace
}  // namespace contactd::testing
