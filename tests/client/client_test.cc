// client::Client against the real contactd: every opcode, errors with their
// reasons, pipelining, reconnection, authentication.

#include "client/client.h"

#include <atomic>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "index/errors.h"
#include "tests/client/test_contactd.h"

namespace contactd::client {
namespace {

using ::contactd::testing::TestContactd;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

const index::Uuid kTenant =
    *index::Uuid::Parse("0b7e3f4c-9a2d-4c1e-8f00-1234567890ab");
const index::Uuid kOtherTenant =
    *index::Uuid::Parse("5f1c0000-0000-4000-8000-000000000002");

index::Contact MakeContact(const std::string& name, const std::string& number,
                           const std::string& email = "") {
  index::Contact c;
  c.customer_id = kTenant;
  c.first_name = name;
  c.display_name = name + " Display";
  c.company = "Acme";
  c.tags = {"vip"};
  index::PhoneNumber phone;
  phone.number = number;
  phone.is_primary = true;
  c.phone_numbers.push_back(phone);
  if (!email.empty()) {
    index::Email e;
    e.address = email;
    c.emails.push_back(e);
  }
  return c;
}

std::unique_ptr<Client> MakeClient(const std::string& address,
                                   const std::string& token = "") {
  ClientOptions options;
  options.server = address;
  options.token = token;
  options.client_name = "client_test";
  options.connect_timeout = absl::Seconds(10);
  options.request_timeout = absl::Seconds(20);
  absl::StatusOr<std::unique_ptr<Client>> client = Client::Create(options);
  EXPECT_TRUE(client.ok()) << client.status();
  return client.ok() ? *std::move(client) : nullptr;
}

// Polls `condition` until it holds or 20 s pass.
bool Eventually(const std::function<bool()>& condition) {
  const auto deadline =
      std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (std::chrono::steady_clock::now() < deadline) {
    if (condition()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return condition();
}

class ClientTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_ = TestContactd::Start("client_test");
    ASSERT_NE(server_, nullptr);
    client_ = MakeClient(server_->address());
    ASSERT_NE(client_, nullptr);
  }

  index::Contact Put(const index::Contact& contact) {
    absl::StatusOr<protocol::UpsertReply> reply =
        client_->Upsert({contact, ""});
    EXPECT_TRUE(reply.ok()) << reply.status();
    return reply.ok() ? reply->contact : index::Contact();
  }

  std::unique_ptr<TestContactd> server_;
  std::unique_ptr<Client> client_;
};

TEST(ClientCreateTest, RejectsABadAddress) {
  ClientOptions options;
  options.server = "localhost";
  EXPECT_TRUE(absl::IsInvalidArgument(Client::Create(options).status()));
  options.server = "localhost:99999";
  EXPECT_TRUE(absl::IsInvalidArgument(Client::Create(options).status()));
}

TEST_F(ClientTest, PingConnectsAndSaysHello) {
  EXPECT_FALSE(client_->connected());
  ASSERT_TRUE(client_->Ping().ok());
  EXPECT_TRUE(client_->connected());
  const std::optional<protocol::HelloReply> hello = client_->hello();
  ASSERT_TRUE(hello.has_value());
  EXPECT_EQ(hello->version, protocol::kProtocolVersion);
  EXPECT_THAT(hello->server_name, HasSubstr("contactd"));
  EXPECT_TRUE(hello->tenant.is_nil());
  EXPECT_EQ(hello->scopes, protocol::kKnownScopes);
}

TEST_F(ClientTest, UpsertThenGetLookupAndList) {
  const index::Contact stored =
      Put(MakeContact("Ada", "(555) 123-4567", "Ada@Acme.com"));
  ASSERT_FALSE(stored.id.is_nil());
  EXPECT_EQ(stored.phone_numbers[0].number_e164, "+15551234567");

  absl::StatusOr<index::Contact> got = client_->Get({kTenant, stored.id});
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_EQ(*got, stored);

  protocol::LookupRequest lookup{.tenant = kTenant, .input = "+15551234567"};
  absl::StatusOr<protocol::LookupReply> phone = client_->LookupPhone(lookup);
  ASSERT_TRUE(phone.ok()) << phone.status();
  EXPECT_EQ(phone->match_count, 1u);
  ASSERT_EQ(phone->contacts.size(), 1u);
  EXPECT_EQ(phone->contacts[0].id, stored.id);

  lookup.input = "ADA@acme.com";
  lookup.flags = protocol::kLookupSummary;
  absl::StatusOr<protocol::LookupReply> email = client_->LookupEmail(lookup);
  ASSERT_TRUE(email.ok()) << email.status();
  ASSERT_EQ(email->summaries.size(), 1u);
  EXPECT_EQ(email->summaries[0].display_name, "Ada Display");

  absl::StatusOr<protocol::ListByTagReply> list =
      client_->ListByTag({kTenant, "vip", {}, 10});
  ASSERT_TRUE(list.ok()) << list.status();
  EXPECT_EQ(list->total, 1u);
  ASSERT_EQ(list->contacts.size(), 1u);
  EXPECT_EQ(list->next_after, stored.id);
}

TEST_F(ClientTest, GetByExternalIdAndUpsertDedup) {
  index::Contact contact = MakeContact("Bob", "+15550001111");
  contact.external_id = "crm-42";
  const index::Contact first = Put(contact);
  contact.first_name = "Robert";
  absl::StatusOr<protocol::UpsertReply> again = client_->Upsert({contact, ""});
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_FALSE(again->created);
  EXPECT_EQ(again->contact.id, first.id);
  absl::StatusOr<index::Contact> got =
      client_->GetByExternalId({kTenant, "crm-42"});
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_EQ(got->first_name, "Robert");
}

TEST_F(ClientTest, LookupBatchHasPerItemStatuses) {
  Put(MakeContact("Cy", "+15550002222"));
  protocol::LookupBatchRequest batch;
  batch.items.push_back({protocol::LookupKind::kPhone,
                         {.tenant = kTenant, .input = "+15550002222"}});
  batch.items.push_back({protocol::LookupKind::kPhone,
                         {.tenant = kTenant, .input = "+15559999999"}});
  absl::StatusOr<protocol::LookupBatchReply> reply =
      client_->LookupBatch(batch);
  ASSERT_TRUE(reply.ok()) << reply.status();
  ASSERT_EQ(reply->results.size(), 2u);
  EXPECT_TRUE(reply->results[0].status.ok());
  EXPECT_EQ(reply->results[0].reply.contacts.at(0).first_name, "Cy");
  EXPECT_TRUE(absl::IsNotFound(reply->results[1].status));
}

TEST_F(ClientTest, PartialMutations) {
  const index::Contact stored = Put(MakeContact("Di", "+15550003333"));
  protocol::UpdateFieldsRequest fields{kTenant, stored.id, {}};
  fields.update.company = "Initech";
  absl::StatusOr<index::Contact> c = client_->UpdateFields(fields);
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->company, "Initech");

  protocol::AddPhoneRequest add_phone{kTenant, stored.id, {}, ""};
  add_phone.phone.number = "+15550004444";
  add_phone.phone.type = index::PhoneType::kWork;
  c = client_->AddPhone(add_phone);
  ASSERT_TRUE(c.ok()) << c.status();
  ASSERT_EQ(c->phone_numbers.size(), 2u);
  const index::Uuid work_id = c->phone_numbers[1].id;

  protocol::UpdatePhoneRequest update_phone{
      kTenant, stored.id, work_id, {}, ""};
  update_phone.update.type = index::PhoneType::kHome;
  c = client_->UpdatePhone(update_phone);
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->phone_numbers[1].type, index::PhoneType::kHome);
  c = client_->RemovePhone({kTenant, stored.id, work_id});
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->phone_numbers.size(), 1u);

  protocol::AddEmailRequest add_email{kTenant, stored.id, {}};
  add_email.email.address = "di@example.com";
  c = client_->AddEmail(add_email);
  ASSERT_TRUE(c.ok()) << c.status();
  ASSERT_EQ(c->emails.size(), 1u);
  protocol::UpdateEmailRequest update_email{
      kTenant, stored.id, c->emails[0].id, {}};
  update_email.update.type = index::EmailType::kPersonal;
  c = client_->UpdateEmail(update_email);
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->emails[0].type, index::EmailType::kPersonal);
  c = client_->RemoveEmail({kTenant, stored.id, c->emails[0].id});
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_TRUE(c->emails.empty());

  c = client_->AddTag({kTenant, stored.id, "gold"});
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_THAT(c->tags, ElementsAre("vip", "gold"));
  c = client_->RemoveTag({kTenant, stored.id, "vip"});
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_THAT(c->tags, ElementsAre("gold"));
}

TEST_F(ClientTest, DeleteReturnsTheContactThenNotFound) {
  const index::Contact stored = Put(MakeContact("Ed", "+15550005555"));
  absl::StatusOr<index::Contact> deleted =
      client_->Delete({kTenant, stored.id});
  ASSERT_TRUE(deleted.ok()) << deleted.status();
  EXPECT_EQ(deleted->id, stored.id);
  const absl::Status again = client_->Get({kTenant, stored.id}).status();
  EXPECT_TRUE(absl::IsNotFound(again)) << again;
  EXPECT_EQ(index::ReasonOf(again), index::Reason::kContactNotFound);
}

TEST_F(ClientTest, LookupMissIsNotFoundWithReason) {
  const absl::Status s =
      client_->LookupPhone({.tenant = kTenant, .input = "+15557654321"})
          .status();
  EXPECT_TRUE(absl::IsNotFound(s)) << s;
  EXPECT_EQ(index::ReasonOf(s), index::Reason::kContactNotFound);
}

TEST_F(ClientTest, InvalidPhoneIsInvalidArgumentWithReason) {
  const absl::Status s =
      client_->Upsert({MakeContact("Fay", "anonymous"), ""}).status();
  EXPECT_TRUE(absl::IsInvalidArgument(s)) << s;
  EXPECT_EQ(index::ReasonOf(s), index::Reason::kInvalidPhone);
}

TEST_F(ClientTest, StatsHasCounters) {
  ASSERT_TRUE(client_->Ping().ok());
  absl::StatusOr<protocol::StatsReply> stats = client_->Stats();
  ASSERT_TRUE(stats.ok()) << stats.status();
  EXPECT_FALSE(stats->counters.empty());
}

TEST_F(ClientTest, TenThousandPipelinedLookupsAreMatchedById) {
  constexpr int kContacts = 50;
  constexpr int kLookups = 10000;
  std::vector<std::string> numbers;
  for (int i = 0; i < kContacts; ++i) {
    numbers.push_back(absl::StrCat("+1555010", 1000 + i));
    Put(MakeContact(absl::StrCat("P", i), numbers.back()));
  }
  std::atomic<int> ok{0};
  std::atomic<int> wrong{0};
  for (int i = 0; i < kLookups; ++i) {
    const int k = (i * 7) % kContacts;
    client_->LookupPhoneAsync(
        {.tenant = kTenant, .input = numbers[k]},
        [&, k](absl::StatusOr<protocol::LookupReply> reply) {
          if (reply.ok() && reply->contacts.size() == 1 &&
              reply->contacts[0].first_name == absl::StrCat("P", k)) {
            ok.fetch_add(1);
          } else {
            wrong.fetch_add(1);
          }
        });
  }
  ASSERT_TRUE(client_->WaitIdle(absl::Seconds(60)).ok());
  EXPECT_EQ(ok.load(), kLookups);
  EXPECT_EQ(wrong.load(), 0);
  EXPECT_EQ(client_->in_flight(), 0u);
}

TEST_F(ClientTest, CallsFromManyThreadsShareTheConnection) {
  Put(MakeContact("T", "+15550006666"));
  std::atomic<int> ok{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 200; ++i) {
        if (client_->LookupPhone({.tenant = kTenant, .input = "+15550006666"})
                .ok()) {
          ok.fetch_add(1);
        }
      }
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(ok.load(), 800);
}

TEST_F(ClientTest, SyncCallInsideACallbackIsRefused) {
  absl::Status inner = absl::UnknownError("not run");
  client_->PingAsync([&](absl::Status) { inner = client_->Ping(); });
  ASSERT_TRUE(client_->WaitIdle(absl::Seconds(20)).ok());
  EXPECT_TRUE(absl::IsFailedPrecondition(inner)) << inner;
}

TEST_F(ClientTest, ReconnectsAfterTheServerRestarts) {
  ASSERT_TRUE(client_->Ping().ok());
  const int port = server_->port();
  ASSERT_EQ(server_->Stop(), 0);
  ASSERT_TRUE(Eventually([&] { return !client_->connected(); }));
  const absl::Status down = client_->Ping();
  EXPECT_TRUE(absl::IsUnavailable(down)) << down;

  server_ = TestContactd::Start("client_test", {}, port);
  ASSERT_NE(server_, nullptr);
  EXPECT_TRUE(client_->Ping().ok());  // reconnects, HELLO again
  EXPECT_TRUE(client_->connected());
  Put(MakeContact("After", "+15550007777"));
  EXPECT_TRUE(
      client_->LookupPhone({.tenant = kTenant, .input = "+15550007777"}).ok());
}

TEST_F(ClientTest, InFlightCallsFailUnavailableWhenTheServerDies) {
  Put(MakeContact("K", "+15550008888"));
  std::atomic<int> ok{0};
  std::atomic<int> unavailable{0};
  std::atomic<int> other{0};
  for (int i = 0; i < 5000; ++i) {
    client_->LookupPhoneAsync(
        {.tenant = kTenant, .input = "+15550008888"},
        [&](absl::StatusOr<protocol::LookupReply> reply) {
          if (reply.ok()) {
            ok.fetch_add(1);
          } else if (absl::IsUnavailable(reply.status())) {
            unavailable.fetch_add(1);
          } else {
            other.fetch_add(1);
          }
        });
  }
  server_->Kill();
  ASSERT_TRUE(client_->WaitIdle(absl::Seconds(30)).ok());
  EXPECT_EQ(ok.load() + unavailable.load(), 5000);
  EXPECT_EQ(other.load(), 0);
}

TEST(ClientIdleTest, ReconnectsAfterTheServerClosesAnIdleConnection) {
  auto server =
      TestContactd::Start("client_idle_test", {"--idle-timeout", "0.2"});
  ASSERT_NE(server, nullptr);
  std::unique_ptr<Client> client = MakeClient(server->address());
  ASSERT_TRUE(client->Ping().ok());
  ASSERT_TRUE(Eventually([&] { return !client->connected(); }));
  EXPECT_TRUE(client->Ping().ok());
}

TEST(ClientUnreachableTest, NoServerIsUnavailable) {
  // A port that was free a moment ago: nothing listens on it.
  auto server = TestContactd::Start("client_unreachable_test");
  ASSERT_NE(server, nullptr);
  const std::string address = server->address();
  server->Kill();
  std::unique_ptr<Client> client = MakeClient(address);
  const absl::Status s = client->Ping();
  EXPECT_TRUE(absl::IsUnavailable(s)) << s;
  EXPECT_THAT(s.message(), HasSubstr(address));
}

class ClientAuthTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const std::string tokens = testing::WriteTempFile(
        "client_auth_tokens.txt",
        absl::StrCat("# token scopes tenant\n",
                     "admin-token-0123456789abcdef lookup,write,admin *\n",
                     "edge-token-0123456789abcdef lookup ", kTenant.ToString(),
                     "\n"));
    server_ = TestContactd::Start("client_auth_test", {"--tokens", tokens});
    ASSERT_NE(server_, nullptr);
  }
  std::unique_ptr<TestContactd> server_;
};

TEST_F(ClientAuthTest, BadTokenIsUnauthenticated) {
  std::unique_ptr<Client> client =
      MakeClient(server_->address(), "wrong-token-0123456789abcdef");
  const absl::Status s = client->Ping();
  EXPECT_TRUE(absl::IsUnauthenticated(s)) << s;
  EXPECT_FALSE(client->connected());
}

TEST_F(ClientAuthTest, TenantBoundTokenSaysSoAndIsEnforced) {
  std::unique_ptr<Client> admin =
      MakeClient(server_->address(), "admin-token-0123456789abcdef");
  ASSERT_TRUE(admin->Upsert({MakeContact("Gil", "+15550009999"), ""}).ok());

  std::unique_ptr<Client> edge =
      MakeClient(server_->address(), "edge-token-0123456789abcdef");
  ASSERT_TRUE(edge->Connect().ok());
  ASSERT_TRUE(edge->hello().has_value());
  EXPECT_EQ(edge->hello()->tenant, kTenant);
  EXPECT_EQ(edge->hello()->scopes, protocol::kScopeLookup);
  EXPECT_TRUE(
      edge->LookupPhone({.tenant = kTenant, .input = "+15550009999"}).ok());
  const absl::Status other =
      edge->LookupPhone({.tenant = kOtherTenant, .input = "+15550009999"})
          .status();
  EXPECT_TRUE(absl::IsPermissionDenied(other)) << other;
  const absl::Status write =
      edge->Upsert({MakeContact("X", "+15550001234"), ""}).status();
  EXPECT_TRUE(absl::IsPermissionDenied(write)) << write;
}

}  // namespace
}  // namespace contactd::client
