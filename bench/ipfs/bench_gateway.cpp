// The loopback gateway and the Kubo client, in one process over 127.0.0.1 (keep-alive, TCP_NODELAY):
// - BM_BlockGet/<bytes>: block/get round trips through KuboBlockStore (hash verified) per second.
// - BM_CatStream: /api/v0/cat of a 64 MiB file streamed and discarded (the server's streaming rate).
// - BM_CatVerified: KuboClient::cat of the same file: block by block, every block verified.
// - BM_Add: KuboClient::add of 64 MiB (multipart, chunked; the gateway imports into a durable
//   FsBlockStore while the client hashes the same bytes to check the CID).
#include <benchmark/benchmark.h>
#include <stdlib.h>

#include <filesystem>
#include <memory>
#include <span>
#include <string>

#include "ipfs/gateway.hpp"
#include "ipfs/importer.hpp"
#include "ipfs/kubo_client.hpp"
#include "ipfs/local_content_store.hpp"

using namespace dossier;
using namespace dossier::ipfs;
namespace fs = std::filesystem;

namespace {

constexpr std::uint64_t kFile = 64u << 20;

/// xorshift bytes, `size` of them.
class Noise final : public ByteSource {
public:
    Noise(std::uint64_t seed, std::uint64_t size) : x_(seed | 1), left_(size) {}
    std::size_t read(std::span<std::uint8_t> buf) override {
        const std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(buf.size(), left_));
        for (std::size_t i = 0; i < n; ++i) {
            x_ ^= x_ << 13;
            x_ ^= x_ >> 7;
            x_ ^= x_ << 17;
            buf[i] = static_cast<std::uint8_t>(x_);
        }
        left_ -= n;
        return n;
    }

private:
    std::uint64_t x_;
    std::uint64_t left_;
};

struct Fixture {
    fs::path dir;
    std::unique_ptr<LocalContentStore> store;
    std::unique_ptr<Gateway> gateway;
    Cid file;
    Fixture() {
        std::string tmpl = (fs::temp_directory_path() / "dossier-bench-gw-XXXXXX").string();
        if (::mkdtemp(tmpl.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
        dir = tmpl;
        store = std::make_unique<LocalContentStore>(dir / "repo");
        gateway = std::make_unique<Gateway>(*store);
        gateway->start();
        Noise n(7, kFile);
        file = store->add(n).root;
    }
    ~Fixture() {
        gateway.reset();
        store.reset();
        std::error_code ec;
        fs::remove_all(dir, ec);
    }
};

Fixture& fixture() {
    static Fixture f;
    return f;
}

void BM_BlockGet(benchmark::State& state) {
    Fixture& f = fixture();
    Noise n(static_cast<std::uint64_t>(state.range(0)), static_cast<std::uint64_t>(state.range(0)));
    const Cid cid = f.store->add(n).root;  // one raw block
    KuboClient client(f.gateway->url());
    for (auto _ : state) benchmark::DoNotOptimize(client.blocks().get(cid));
    state.SetItemsProcessed(state.iterations());
    state.SetBytesProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_BlockGet)->Arg(1024)->Arg(262144)->UseRealTime();

void BM_CatStream(benchmark::State& state) {
    Fixture& f = fixture();
    KuboClient client(f.gateway->url());
    for (auto _ : state) {
        std::uint64_t total = 0;
        client.post("cat", "arg=" + f.file.to_string(), [&](const char*, std::size_t len) {
            total += len;
            return true;
        });
        if (total != kFile) state.SkipWithError("short cat");
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * kFile));
}
BENCHMARK(BM_CatStream)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_CatVerified(benchmark::State& state) {
    Fixture& f = fixture();
    KuboClient client(f.gateway->url());
    Bytes buf(1 << 20);
    for (auto _ : state) {
        auto s = client.cat(f.file);
        std::uint64_t total = 0;
        while (const std::size_t got = s->read(buf)) total += got;
        if (total != kFile) state.SkipWithError("short cat");
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * kFile));
}
BENCHMARK(BM_CatVerified)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_Add(benchmark::State& state) {
    Fixture& f = fixture();
    KuboClient client(f.gateway->url());
    std::uint64_t seed = 100;
    for (auto _ : state) {
        Noise n(seed += 2, kFile);  // new content each time: every block is written
        AddOptions o;
        o.pin = false;
        benchmark::DoNotOptimize(client.add(n, o));
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * kFile));
}
BENCHMARK(BM_Add)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(3);

}  // namespace
