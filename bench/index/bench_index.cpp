/// The local index without a chain: how fast a page of logs is decoded and stored (the local half
/// of a sync), how long a page of history takes over 1,000,000 audit events for each view and
/// filter, and how long a patient search takes over 10,000 patients. Logs are synthetic but
/// shaped exactly as AuditContract emits them. Latencies are reported as p50/p99 counters (ms).
#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <random>
#include <string>
#include <unistd.h>
#include <vector>

#include "chain/contract_bindings.hpp"
#include "dossier/index/index_db.hpp"
#include "dossier/index/index_queries.hpp"
#include "dossier/index/name_search.hpp"
#include "eth/abi_event.hpp"
#include "eth/uint256.hpp"

namespace {

using namespace dossier;
namespace fs = std::filesystem;

constexpr std::uint64_t kPatients = 1'000, kDoctors = 100, kEvents = 1'000'000, kPerBlock = 100;

eth::Address address_of(std::uint64_t tag, std::uint8_t kind) {
    eth::Address a;
    a.bytes[0] = kind;
    for (int i = 0; i < 8; ++i) a.bytes[19 - i] = static_cast<std::uint8_t>(tag >> (8 * i));
    return a;
}

chain::Manifest manifest() {
    chain::Manifest m;
    m.chain_id = 31337;
    m.deployment_block = 1;
    m.audit = address_of(1, 0xa0);
    m.doctor = address_of(2, 0xa0);
    m.patient = address_of(3, 0xa0);
    return m;
}

/// Entry number `n`: patient n % kPatients, written by a doctor (or the patient), kinds mixed as
/// in a clinic: mostly reads and record writes, a few decisions.
eth::Log entry_log(std::uint64_t n, std::vector<std::uint64_t>& seqs) {
    static const Bytes32 topic = eth::abi::event_topic(chain::gen::AuditContract::ev::Entry.signature);
    const std::uint64_t p = n % kPatients;
    const eth::Address patient = address_of(p, 0xb0);
    const eth::Address doctor = address_of((n / kPatients) % kDoctors, 0xd0);
    static constexpr std::uint8_t kinds[] = {10, 10, 10, 10, 7, 8, 9, 2, 3, 10};  // accessed, written, decided
    const std::uint8_t kind = kinds[n % 10];
    const std::uint64_t block = 2 + n / kPerBlock;
    const std::uint64_t ts = 1'700'000'000 + block * 2;
    eth::U256 info = eth::U256(0);
    info = (eth::from_be(doctor.to_word()) << 96) | (eth::U256(ts) << 56) | (eth::U256(kind) << 48) | eth::U256(++seqs[p]);
    eth::Log log;
    log.address = manifest().audit;
    Bytes32 subject{};
    if (kind == 2 || kind == 3 || kind == 10) subject = doctor.to_word();
    else subject[27] = static_cast<std::uint8_t>(n % 200);  // record id << 32 | number
    log.topics = {topic, patient.to_word(), subject};
    const Bytes32 info_word = eth::to_be32(info);
    log.data.assign(info_word.begin(), info_word.end());
    log.data.resize(64, 0x11);
    log.block_number = block;
    log.block_hash[0] = static_cast<std::uint8_t>(block);
    log.block_hash[1] = static_cast<std::uint8_t>(block >> 8);
    log.block_hash[2] = static_cast<std::uint8_t>(block >> 16);
    log.transaction_hash[0] = static_cast<std::uint8_t>(n);
    log.log_index = n % kPerBlock;
    return log;
}

fs::path scratch(const std::string& name) {
    const auto dir = fs::temp_directory_path() / ("dossier-bench-index-" + std::to_string(::getpid()));
    fs::create_directories(dir);
    return dir / name;
}

/// Decodes and stores pages of 10,000 logs (what a sync does after eth_getLogs answered).
void BM_ApplyPage(benchmark::State& state) {
    const auto file = scratch("apply.sqlite");
    fs::remove(file);
    index::IndexDb db(file, manifest());
    std::vector<std::uint64_t> seqs(kPatients, 0);
    std::uint64_t n = 0;
    for (auto _ : state) {
        state.PauseTiming();
        std::vector<eth::Log> logs;
        for (int i = 0; i < 10'000; ++i) logs.push_back(entry_log(n++, seqs));
        const index::Tip tip{logs.back().block_number, logs.back().block_hash};
        state.ResumeTiming();
        benchmark::DoNotOptimize(db.apply_page(logs, tip, tip.block));
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(n));
    state.counters["bytes_per_event"] =
        static_cast<double>(db.stats().file_bytes) / static_cast<double>(std::max<std::uint64_t>(1, n));
}
BENCHMARK(BM_ApplyPage)->Unit(benchmark::kMillisecond)->Iterations(20);

/// The 1,000,000-event index the query benchmarks share (built once, about a minute).
index::IndexDb& big_index() {
    static std::unique_ptr<index::IndexDb> db = [] {
        const auto file = scratch("big.sqlite");
        fs::remove(file);
        auto d = std::make_unique<index::IndexDb>(file, manifest());
        std::vector<std::uint64_t> seqs(kPatients, 0);
        for (std::uint64_t n = 0; n < kEvents; n += 10'000) {
            std::vector<eth::Log> logs;
            for (std::uint64_t i = n; i < n + 10'000; ++i) logs.push_back(entry_log(i, seqs));
            (void)d->apply_page(logs, index::Tip{logs.back().block_number, logs.back().block_hash},
                                logs.back().block_number);
        }
        d->db().exec("ANALYZE");
        return d;
    }();
    return *db;
}

void report(benchmark::State& state, std::vector<double>& ms) {
    std::sort(ms.begin(), ms.end());
    state.counters["p50_ms"] = ms[ms.size() / 2];
    state.counters["p99_ms"] = ms[ms.size() * 99 / 100];
}

/// A page of 50, newest first or at a random depth (cursor), for one filter.
void BM_History(benchmark::State& state) {
    index::IndexDb& db = big_index();
    const int view = static_cast<int>(state.range(0));
    std::mt19937 rng(7);
    std::vector<double> ms;
    for (auto _ : state) {
        index::HistoryQuery q;
        const bool patient_view = view < 4;
        if (patient_view) q.patient = address_of(rng() % kPatients, 0xb0);
        else q.actor = address_of(rng() % kDoctors, 0xd0);
        switch (view % 4) {
            case 1: q.kind = dossier::core::AuditKind::requested; break;  // a rare kind
            case 2: q.since = 1'700'000'000 + 2 * (2 + rng() % (kEvents / kPerBlock)); break;
            case 3: q.after = std::to_string(1'700'000'000 + 2 * (2 + rng() % (kEvents / kPerBlock))) + ".0"; break;
            default: break;
        }
        const auto t0 = std::chrono::steady_clock::now();
        const auto page = index::history(db, q);
        ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
        benchmark::DoNotOptimize(page);
    }
    report(state, ms);
}
BENCHMARK(BM_History)
    ->ArgName("view")  // 0-3: a patient's trail (all, one kind, since, deep page); 4-7: a doctor's
    ->DenseRange(0, 7)
    ->Iterations(1000)
    ->Unit(benchmark::kMillisecond);

/// A doctor's search over 10,000 patients, as typed (prefixes of names, a year).
void BM_Search(benchmark::State& state) {
    static const char* given[] = {"Zoë", "Peter", "Anna", "Łukasz", "Sofía", "Jean-Paul", "Mei", "Olumide", "Ingrid", "Tomás"};
    static const char* family[] = {"Ångström", "Chalmers", "Peters", "Nowak", "García", "Dubois", "Chen", "Adeyemi", "Berg", "Silva"};
    std::vector<index::PreparedKey> keys;
    std::mt19937 rng(11);
    for (int i = 0; i < 10'000; ++i) {
        index::SearchKey k;
        k.names.push_back(std::string(given[rng() % 10]) + " " + family[rng() % 10] + std::to_string(i % 97));
        k.birth_date = std::to_string(1930 + rng() % 90) + "-0" + std::to_string(1 + rng() % 9) + "-1" + std::to_string(rng() % 9);
        k.address = address_of(static_cast<std::uint64_t>(i), 0xb0).to_hex();
        keys.push_back(index::prepare(k));
    }
    static const char* queries[] = {"zo", "peter ch", "angstrom", "1974", "nowak", "jean", "sof gar", "xyz", "chen12", "b000"};
    std::vector<double> ms;
    std::size_t q = 0;
    for (auto _ : state) {
        const auto t0 = std::chrono::steady_clock::now();
        benchmark::DoNotOptimize(index::search(keys, queries[q++ % 10], 20));
        ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
    }
    report(state, ms);
}
BENCHMARK(BM_Search)->Iterations(2000)->Unit(benchmark::kMillisecond);

}  // namespace
