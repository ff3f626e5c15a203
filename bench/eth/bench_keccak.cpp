// Keccak-256 throughput at the sizes Dossier hashes: 32 bytes (topics, keys), 1 KiB (transactions,
// small documents), 1 MiB (file chunks). Bytes/s is Google Benchmark's bytes_per_second counter.
#include <benchmark/benchmark.h>

#include "eth/keccak.hpp"

using namespace dossier;

static void BM_Keccak256(benchmark::State& state) {
    Bytes data(static_cast<std::size_t>(state.range(0)));
    for (std::size_t i = 0; i < data.size(); ++i) data[i] = static_cast<std::uint8_t>(i * 31 + 7);
    for (auto _ : state) {
        Bytes32 h = eth::keccak256(data);
        benchmark::DoNotOptimize(h);
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) * state.range(0));
}
BENCHMARK(BM_Keccak256)->Arg(32)->Arg(1024)->Arg(1 << 20);

// The bare permutation (one call absorbs 136 bytes of input).
static void BM_KeccakF1600(benchmark::State& state) {
    std::uint64_t st[25] = {1};
    for (auto _ : state) {
        eth::keccak_f1600(st);
        benchmark::DoNotOptimize(st);
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) * 136);
}
BENCHMARK(BM_KeccakF1600);
