// What writes cost (snapshot/database.h): how fast the WAL replays, what an
// upsert costs the writer thread, the disk's fdatasync floor, and how many
// acknowledged upserts a contactd server takes under each fsync policy.
//
//   BM_WalReplay/<n>
//                  snapshot::Recover on a data directory holding only a WAL
//                  of n new-contact upserts (written through a Database,
//                  --fsync never, outside the timing); scan_s / decode_s /
//                  apply_s split it.
//   BM_StoreUpserts/wal:<0|1>
//                  what one upsert costs the server's writer thread without
//                  the network: ContactStore::Upsert of new contacts from
//                  one thread, alone or through a Database (WAL appended,
//                  --fsync never).
//   BM_Fdatasync/prealloc:<0|1>
//                  the disk's floor for --fsync always: a 330-byte write +
//                  fdatasync, back to back, appending or overwriting a
//                  zero-filled file.
//   BM_AckedUpserts/fsync:<policy>/writers:<w>/depth:<d>
//                  a contactd Server in this process (data directory on
//                  disk, starts empty) and w client connections, each with
//                  d upserts of distinct new contacts in flight (depth 1:
//                  send, wait for the reply, send the next — "w concurrent
//                  writers"; depth 8: pipelined, the server's ceiling). One
//                  thread drives all connections with poll() over raw
//                  sockets (the lightest client possible on a 2-core box).
//                  policy 0: always, 1: interval:10, 2: never. Runs
//                  kUpsertSeconds.

#include <utility>  // Boost 1.74 Asio needs it first under GCC 12 in C++20.

#include <benchmark/benchmark.h>
#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "bench/dataset.h"
#include "bench/durability/bench_support.h"
#include "index/contact_store.h"
#include "index/epoch.h"
#include "protocol/contact_messages.h"
#include "protocol/frame.h"
#include "protocol/wire_reader.h"
#include "server/server.h"
#include "snapshot/contact_payload.h"
#include "snapshot/database.h"
#include "snapshot/fsync_policy.h"
#include "snapshot/recovery.h"
#include "snapshot/wal_format.h"
#include "snapshot/wal_replay.h"
#include "spdlog/spdlog.h"

namespace contactd::bench {
namespace {

constexpr double kUpsertSeconds = 3;
// Distinct contacts the upsert benchmarks can send (encoded once).
constexpr size_t kUpsertPool = 600'000;

// ---- BM_WalReplay

struct WalDirectory {
  std::unique_ptr<TempDir> dir;
  uint64_t records = 0;
  uint64_t bytes = 0;
  double append_seconds = 0;
};

const WalDirectory& GetWal(size_t records) {
  static std::mutex mu;
  // Not leaked: destroying it at exit removes the files.
  static std::map<size_t, std::unique_ptr<WalDirectory>> cache;
  std::lock_guard<std::mutex> lock(mu);
  std::unique_ptr<WalDirectory>& slot = cache[records];
  if (slot != nullptr) return *slot;
  auto wal = std::make_unique<WalDirectory>();
  wal->dir = std::make_unique<TempDir>("wal");
  snapshot::FsyncPolicy never;
  never.mode = snapshot::FsyncPolicy::Mode::kNever;
  auto db = snapshot::Database::Open(
      {.dir = wal->dir->path(), .fsync = never, .checkpoint_wal_bytes = 0});
  if (!db.ok()) Die("Database::Open", db.status());
  const ContactGenerator gen(
      DatasetOptions{.contacts = records, .seed = 0x3a1'5eed});
  const Clock::time_point start = Clock::now();
  for (size_t i = 0; i < records; ++i) {
    auto done = (*db)->store().Upsert(gen.Make(i));
    if (!done.ok()) Die("Upsert", done.status());
    (*db)->CommitBatch();
  }
  wal->append_seconds = Seconds(Clock::now() - start);
  wal->records = (*db)->stats().wal_last_sequence;
  wal->bytes = (*db)->stats().wal_bytes_appended;
  (*db)->Close();
  slot = std::move(wal);
  return *slot;
}

void BM_WalReplay(benchmark::State& state) {
  const WalDirectory& wal = GetWal(static_cast<size_t>(state.range(0)));
  double seconds = 0;
  uint64_t replayed = 0;
  for (auto _ : state) {
    auto store = index::ContactStore::Create("US");
    if (!store.ok()) Die("ContactStore::Create", store.status());
    const Clock::time_point start = Clock::now();
    auto recovered = snapshot::Recover({.dir = wal.dir->path()}, **store);
    const double took = Seconds(Clock::now() - start);
    if (!recovered.ok()) Die("Recover", recovered.status());
    replayed = recovered->wal_records_replayed;
    seconds += took;
    state.SetIterationTime(took);
    store->reset();
    index::Epochs().Synchronize();
  }
  seconds /= static_cast<double>(state.iterations());

  // Diagnostics (not timed): the same log read with ReplayWal alone
  // (framing + checksums), then also decoded (DecodeStoredContact), without
  // applying anything; the rest of Recover's time is ContactStore::Restore.
  auto scan = [&](bool decode) {
    const Clock::time_point start = Clock::now();
    auto r = snapshot::ReplayWal(
        wal.dir->path(), 0, {},
        [&](const snapshot::WalRecord& record) -> absl::Status {
          if (!decode) return absl::OkStatus();
          protocol::WireReader reader(record.payload, "WAL record");
          auto contact = snapshot::DecodeStoredContact(reader);
          return contact.ok() ? absl::OkStatus() : contact.status();
        });
    if (!r.ok()) Die("ReplayWal", r.status());
    return Seconds(Clock::now() - start);
  };
  const double scan_s = scan(false);
  const double decode_s = scan(true);
  state.counters["scan_s"] = scan_s;
  state.counters["decode_s"] = decode_s - scan_s;
  state.counters["apply_s"] = seconds - decode_s;
  state.counters["records"] = static_cast<double>(replayed);
  state.counters["records_per_s"] = static_cast<double>(replayed) / seconds;
  state.counters["MB_per_s"] = static_cast<double>(wal.bytes) / 1e6 / seconds;
  state.counters["wal_MB"] = static_cast<double>(wal.bytes) / 1e6;
  // For comparison: the same upserts applied + appended by Upsert (one
  // thread, no network, fsync never) when the WAL was written.
  state.counters["upsert_per_s"] =
      static_cast<double>(wal.records) / wal.append_seconds;
  if (replayed != wal.records) state.SkipWithError("replayed count differs");
}
BENCHMARK(BM_WalReplay)
    ->Arg(200'000)
    ->Iterations(3)
    ->UseManualTime()
    ->Unit(benchmark::kMillisecond);

// ---- What one upsert costs the writer thread, without the network

// Upserts kDirectUpserts new contacts from one thread into a store that
// starts empty: alone (wal:0), or a Database's store whose writes are
// appended to the WAL (wal:1, --fsync never). The ceiling of the server's
// writer thread, which runs exactly this per UPSERT (plus decoding the
// request and encoding the reply).
constexpr size_t kDirectUpserts = 100'000;

void BM_StoreUpserts(benchmark::State& state) {
  const bool with_wal = state.range(0) != 0;
  const ContactGenerator gen(
      DatasetOptions{.contacts = kDirectUpserts, .seed = 0xd1ec7});
  std::vector<index::Contact> contacts;
  double seconds = 0;
  for (auto _ : state) {
    contacts.clear();
    for (size_t i = 0; i < kDirectUpserts; ++i) contacts.push_back(gen.Make(i));
    TempDir dir("store");
    std::unique_ptr<snapshot::Database> db;
    std::unique_ptr<index::ContactStore> plain;
    index::ContactStore* store = nullptr;
    if (with_wal) {
      snapshot::FsyncPolicy never;
      never.mode = snapshot::FsyncPolicy::Mode::kNever;
      auto opened = snapshot::Database::Open(
          {.dir = dir.path(), .fsync = never, .checkpoint_wal_bytes = 0});
      if (!opened.ok()) Die("Database::Open", opened.status());
      db = *std::move(opened);
      store = &db->store();
    } else {
      auto created = index::ContactStore::Create("US");
      if (!created.ok()) Die("ContactStore::Create", created.status());
      plain = *std::move(created);
      store = plain.get();
    }
    const Clock::time_point start = Clock::now();
    for (index::Contact& c : contacts) {
      if (auto done = store->Upsert(std::move(c)); !done.ok())
        Die("Upsert", done.status());
      if (db != nullptr) db->CommitBatch();
    }
    const double took = Seconds(Clock::now() - start);
    seconds += took;
    state.SetIterationTime(took);
    db.reset();
    plain.reset();
    index::Epochs().Synchronize();
  }
  seconds /= static_cast<double>(state.iterations());
  state.counters["upserts_per_s"] =
      static_cast<double>(kDirectUpserts) / seconds;
  state.counters["us_per_upsert"] =
      1e6 * seconds / static_cast<double>(kDirectUpserts);
}
BENCHMARK(BM_StoreUpserts)
    ->ArgNames({"wal"})
    ->Arg(0)
    ->Arg(1)
    ->Iterations(2)
    ->UseManualTime()
    ->Unit(benchmark::kMillisecond);

// The disk's floor for --fsync always: one WAL-record-sized write (330
// bytes) and fdatasync, back to back. prealloc:0 appends (the file grows, so
// each fdatasync also commits the inode's new size: an ext4 journal commit);
// prealloc:1 overwrites a file written with zeros and synced beforehand
// (data only, as a preallocated or recycled WAL segment would be).
void BM_Fdatasync(benchmark::State& state) {
  const bool prealloc = state.range(0) != 0;
  TempDir dir("fsync");
  const std::string path = dir / "probe";
  const int fd = ::open(path.c_str(), O_CREAT | O_WRONLY, 0644);
  if (fd < 0) Die("open", absl::UnavailableError(std::strerror(errno)));
  const std::string record(330, 'x');
  if (prealloc) {
    const std::string zeros(1 << 20, '\0');
    for (int i = 0; i < 8; ++i) WriteAll(fd, zeros.data(), zeros.size());
    if (::fsync(fd) != 0 || ::lseek(fd, 0, SEEK_SET) != 0)
      Die("preallocating", absl::UnavailableError(std::strerror(errno)));
  }
  std::vector<double> ms;
  for (auto _ : state) {
    const Clock::time_point start = Clock::now();
    if (!WriteAll(fd, record.data(), record.size()) || ::fdatasync(fd) != 0)
      Die("write/fdatasync", absl::UnavailableError(std::strerror(errno)));
    ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - start)
                     .count());
  }
  ::close(fd);
  std::sort(ms.begin(), ms.end());
  state.counters["p50_ms"] = ms[ms.size() / 2];
  state.counters["p99_ms"] = ms[ms.size() * 99 / 100];
  state.counters["max_ms"] = ms.back();
}
BENCHMARK(BM_Fdatasync)
    ->ArgNames({"prealloc"})
    ->Arg(0)
    ->Arg(1)
    ->Iterations(300)
    ->Unit(benchmark::kMillisecond);

// ---- BM_AckedUpserts

// UPSERT frames of kUpsertPool distinct new contacts (bench/dataset.h
// contacts of another seed), encoded once.
const std::vector<std::string>& UpsertFrames() {
  static const auto* frames = [] {
    auto* out = new std::vector<std::string>();
    out->reserve(kUpsertPool);
    const ContactGenerator gen(
        DatasetOptions{.contacts = kUpsertPool, .seed = 0xacced});
    std::string body;
    for (size_t i = 0; i < kUpsertPool; ++i) {
      body.clear();
      protocol::EncodeUpsertRequest(body, {.contact = gen.Make(i)});
      std::string frame;
      const size_t start = protocol::BeginFrame(
          frame, protocol::Opcode::kUpsert, static_cast<uint32_t>(i + 1));
      frame += body;
      protocol::EndFrame(frame, start);
      out->push_back(std::move(frame));
    }
    return out;
  }();
  return *frames;
}

// contactd in this process on an empty data directory of its own.
class InProcessServer {
 public:
  explicit InProcessServer(const snapshot::FsyncPolicy& fsync)
      : dir_("server") {
    spdlog::set_level(spdlog::level::warn);
    server::ServerOptions options;
    options.listen = "127.0.0.1:0";
    options.http_listen = "127.0.0.1:0";
    options.data_dir = dir_.path();
    options.threads = 0;  // the default: one I/O thread per core
    options.fsync = fsync;
    auto created = server::Server::Create(options);
    if (!created.ok()) Die("Server::Create", created.status());
    server_ = *std::move(created);
    thread_ = std::thread([this] { server_->Run(); });
  }
  ~InProcessServer() {
    server_->Stop();
    thread_.join();
    server_.reset();
  }
  int port() const { return server_->port(); }
  server::Server& server() { return *server_; }

 private:
  TempDir dir_;
  std::unique_ptr<server::Server> server_;
  std::thread thread_;
};

struct UpsertRun {
  double client_cpu_s = 0;  // the driving thread's CPU time
  uint64_t acked = 0;
  uint64_t errors = 0;
  double seconds = 0;
  std::vector<float> latency_us;  // one per acknowledged upsert
  bool pool_exhausted = false;
};

// `connections` connections, `depth` upserts in flight on each (a reply
// lets the next one go), for `seconds`.
UpsertRun DriveUpserts(int port, int connections, int depth, double seconds) {
  const std::vector<std::string>& frames = UpsertFrames();
  // When each frame went out, by frame (request id - 1).
  static auto* sent = new std::vector<Clock::time_point>(kUpsertPool);
  struct Conn {
    int fd = -1;
    std::string in;
  };
  std::vector<Conn> conns(static_cast<size_t>(connections));
  std::vector<pollfd> polls(conns.size());
  for (size_t c = 0; c < conns.size(); ++c) {
    conns[c].fd = Connect(port);
    if (conns[c].fd < 0) Die("connect", absl::UnavailableError("refused"));
    polls[c] = {conns[c].fd, POLLIN, 0};
  }
  UpsertRun run;
  run.latency_us.reserve(frames.size());
  size_t next = 0;
  size_t waiting = 0;
  auto thread_cpu = [] {
    timespec t{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) / 1e9;
  };
  const double cpu0 = thread_cpu();
  const Clock::time_point start = Clock::now();
  const Clock::time_point deadline =
      start + std::chrono::duration_cast<Clock::duration>(
                  std::chrono::duration<double>(seconds));
  auto send_next = [&](Conn& conn) {
    if (next == frames.size()) {
      run.pool_exhausted = true;
      return;
    }
    if (Clock::now() >= deadline) return;
    const std::string& frame = frames[next];
    (*sent)[next++] = Clock::now();
    if (!WriteAll(conn.fd, frame.data(), frame.size()))
      Die("write", absl::UnavailableError("connection lost"));
    ++waiting;
  };
  for (int d = 0; d < depth; ++d) {
    for (Conn& conn : conns) send_next(conn);
  }
  Clock::time_point last_ack = start;
  char chunk[64 << 10];
  while (waiting > 0) {
    if (poll(polls.data(), polls.size(), 1000) < 0) {
      Die("poll", absl::InternalError(std::strerror(errno)));
    }
    for (size_t c = 0; c < conns.size(); ++c) {
      if ((polls[c].revents & (POLLIN | POLLERR | POLLHUP)) == 0) continue;
      Conn& conn = conns[c];
      const ssize_t n = read(conn.fd, chunk, sizeof(chunk));
      if (n <= 0) Die("read", absl::UnavailableError("connection lost"));
      conn.in.append(chunk, static_cast<size_t>(n));
      size_t offset = 0;
      for (;;) {
        const auto* bytes = reinterpret_cast<const uint8_t*>(conn.in.data());
        const auto d =
            protocol::DecodeFrame({bytes + offset, conn.in.size() - offset});
        if (d.result == protocol::DecodeResult::kNeedMore) break;
        if (d.result == protocol::DecodeResult::kError)
          Die("reply", absl::DataLossError(std::string(d.message)));
        offset += d.consumed;
        const Clock::time_point now = Clock::now();
        // The reply's first body byte is its WireStatus (0: OK).
        const size_t frame = d.header.request_id - size_t{1};
        if (frame >= frames.size())
          Die("reply", absl::DataLossError("unknown request id"));
        if (!d.body.empty() && d.body[0] == 0) {
          ++run.acked;
          run.latency_us.push_back(static_cast<float>(
              std::chrono::duration<double, std::micro>(now - (*sent)[frame])
                  .count()));
        } else {
          ++run.errors;
        }
        last_ack = now;
        --waiting;
        send_next(conn);
      }
      conn.in.erase(0, offset);
    }
  }
  run.seconds = Seconds(last_ack - start);
  run.client_cpu_s = thread_cpu() - cpu0;
  for (Conn& conn : conns) close(conn.fd);
  return run;
}

snapshot::FsyncPolicy PolicyOf(int64_t arg) {
  static constexpr const char* kNames[] = {"always", "interval:10", "never"};
  auto policy = snapshot::ParseFsyncPolicy(kNames[arg]);
  if (!policy.ok()) Die("ParseFsyncPolicy", policy.status());
  return *policy;
}

void BM_AckedUpserts(benchmark::State& state) {
  const snapshot::FsyncPolicy policy = PolicyOf(state.range(0));
  const int writers = static_cast<int>(state.range(1));
  const int depth = static_cast<int>(state.range(2));
  state.SetLabel(policy.ToString());
  UpsertFrames();  // encoded before the clock starts
  UpsertRun run;
  snapshot::DurabilityStats stats;
  ProcessUsage used;
  for (auto _ : state) {
    InProcessServer server(policy);
    const ProcessUsage before = ProcessUsage::Now();
    run = DriveUpserts(server.port(), writers, depth, kUpsertSeconds);
    used = ProcessUsage::Now() - before;
    stats = server.server().database().stats();
    state.SetIterationTime(run.seconds);
  }
  // CPU per acknowledged upsert, all threads of the process (server and
  // client), and the client's part of it: on 2 cores, 2 s / cpu_us_per_upsert
  // is the best rate the box can give.
  const double acked = std::max<double>(1, static_cast<double>(run.acked));
  state.counters["cpu_us_per_upsert"] = 1e6 * used.cpu_s() / acked;
  state.counters["client_cpu_us_per_upsert"] = 1e6 * run.client_cpu_s / acked;
  state.counters["cpu_cores_used"] = used.cpu_s() / run.seconds;
  std::sort(run.latency_us.begin(), run.latency_us.end());
  auto at = [&](double q) -> double {
    if (run.latency_us.empty()) return 0;
    return run.latency_us[std::min(
        run.latency_us.size() - 1,
        static_cast<size_t>(q * static_cast<double>(run.latency_us.size())))];
  };
  state.counters["upserts_per_s"] =
      static_cast<double>(run.acked) / run.seconds;
  state.counters["errors"] = static_cast<double>(run.errors);
  state.counters["p50_us"] = at(0.5);
  state.counters["p99_us"] = at(0.99);
  state.counters["max_us"] = run.latency_us.empty() ? 0 : run.latency_us.back();
  state.counters["fsyncs"] = static_cast<double>(stats.fsyncs);
  state.counters["fsync_ms"] =
      stats.fsyncs == 0 ? 0
                        : absl::ToDoubleMilliseconds(stats.fsync_time) /
                              static_cast<double>(stats.fsyncs);
  state.counters["per_fsync"] =
      stats.fsyncs == 0
          ? 0
          : static_cast<double>(run.acked) / static_cast<double>(stats.fsyncs);
  state.counters["wal_MB"] =
      static_cast<double>(stats.wal_bytes_appended) / 1e6;
  if (run.pool_exhausted) state.counters["pool_exhausted"] = 1;
  if (run.errors != 0) state.SkipWithError("some upserts failed");
}
BENCHMARK(BM_AckedUpserts)
    ->ArgNames({"fsync", "writers", "depth"})
    ->ArgsProduct({{0, 1, 2}, {1, 32}, {1}})
    // Pipelined: 8 in flight per connection (the server's ceiling).
    ->Args({0, 32, 8})
    ->Args({1, 32, 8})
    ->Iterations(1)
    ->UseManualTime()
    ->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace contactd::bench
