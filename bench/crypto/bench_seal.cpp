// Throughput of the sealed-object format on a 64 MiB object (default 64 KiB segments): seal and
// open in memory, and raw AES-256-GCM on the same data for comparison.
#include <benchmark/benchmark.h>

#include <algorithm>

#include "crypto/sealed_object.hpp"

using namespace dossier;
using namespace dossier::crypto;

namespace {

constexpr std::size_t kSize = std::size_t{64} << 20;

const Bytes& plaintext() {
    static const Bytes b = random_bytes(kSize);
    return b;
}

ObjectId id() {
    ObjectId i;
    i.version = 1;
    i.epoch = 1;
    return i;
}

void BM_SealObject64MiB(benchmark::State& state) {
    const SecretKey32 key = SecretKey32::random();
    const auto log2 = static_cast<std::uint8_t>(state.range(0));
    for (auto _ : state) {
        Bytes sealed = seal_object(key, id(), plaintext(), {log2});
        benchmark::DoNotOptimize(sealed.data());
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * kSize));
}
BENCHMARK(BM_SealObject64MiB)->Arg(16)->Arg(20)->Unit(benchmark::kMillisecond);

void BM_OpenObject64MiB(benchmark::State& state) {
    const SecretKey32 key = SecretKey32::random();
    const auto log2 = static_cast<std::uint8_t>(state.range(0));
    const Bytes sealed = seal_object(key, id(), plaintext(), {log2});
    for (auto _ : state) {
        OpenedObject o = open_object(key, sealed);
        benchmark::DoNotOptimize(o.plaintext.data());
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * kSize));
}
BENCHMARK(BM_OpenObject64MiB)->Arg(16)->Arg(20)->Unit(benchmark::kMillisecond);

/// The file path: read 1 MiB chunks, write each piece of ciphertext to a sink (no 64 MiB buffer).
ReadFn reader(ByteView src, std::size_t& pos) {
    return [src, &pos](std::span<std::uint8_t> buf) {
        const std::size_t n = std::min(buf.size(), src.size() - pos);
        std::copy_n(src.begin() + static_cast<std::ptrdiff_t>(pos), n, buf.begin());
        pos += n;
        return n;
    };
}

void BM_SealStream64MiB(benchmark::State& state) {
    const SecretKey32 key = SecretKey32::random();
    for (auto _ : state) {
        std::size_t pos = 0, written = 0;
        (void)seal_stream(key, id(), reader(plaintext(), pos), [&](ByteView b) { written += b.size(); });
        benchmark::DoNotOptimize(written);
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * kSize));
}
BENCHMARK(BM_SealStream64MiB)->Unit(benchmark::kMillisecond);

void BM_OpenStream64MiB(benchmark::State& state) {
    const SecretKey32 key = SecretKey32::random();
    const Bytes sealed = seal_object(key, id(), plaintext());
    for (auto _ : state) {
        std::size_t pos = 0, written = 0;
        (void)open_stream([&key](const ObjectHeader&) { return key; }, reader(sealed, pos),
                          [&](ByteView b) { written += b.size(); });
        benchmark::DoNotOptimize(written);
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * kSize));
}
BENCHMARK(BM_OpenStream64MiB)->Unit(benchmark::kMillisecond);

void BM_AesGcm64MiB(benchmark::State& state) {
    Aes256Gcm gcm(SecretKey32::random());
    Bytes out(kSize);
    for (auto _ : state) {
        const GcmTag tag = gcm.encrypt(GcmNonce{}, {}, plaintext(), out);
        benchmark::DoNotOptimize(tag.data());
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * kSize));
}
BENCHMARK(BM_AesGcm64MiB)->Unit(benchmark::kMillisecond);

}  // namespace
