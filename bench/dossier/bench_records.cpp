/// Throughput of adding records: the library's pipelined add_records() (1, 16 and 64 transactions
/// in flight from one account) next to the same addRecord writes made one by one with foundry's
/// `cast send`, each mode on a fresh anvil with a freshly deployed Dossier (anvil slows down as its
/// chain grows). Usage: bench_records [records, default 1000]. Prints records/s and the
/// per-record latency (median, p90): for the library, from the start of sealing a record to its
/// receipt; for cast, one `cast send` process (which waits for the receipt).
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "dossier/patients.hpp"
#include "dossier/records.hpp"
#include "dossier/sealed_store.hpp"
#include "fhir/builders.hpp"
#include "fixture.hpp"
#include "ipfs/byte_stream.hpp"
#include "support/process.hpp"

using namespace dossier;
using Clock = std::chrono::steady_clock;

namespace {

struct Result {
    std::string mode;
    std::size_t records = 0;
    double seconds = 0;
    double median_ms = 0;
    double p90_ms = 0;
};

double ms(Clock::duration d) { return std::chrono::duration<double, std::milli>(d).count(); }

Result summarise(std::string mode, double seconds, std::vector<Clock::duration> latencies) {
    std::sort(latencies.begin(), latencies.end());
    Result r;
    r.mode = std::move(mode);
    r.records = latencies.size();
    r.seconds = seconds;
    r.median_ms = ms(latencies[latencies.size() / 2]);
    r.p90_ms = ms(latencies[std::min(latencies.size() - 1, latencies.size() * 9 / 10)]);
    return r;
}

/// A fresh chain with a registered patient, who writes its own records.
struct Fresh {
    test::CoreFixture f;
    eth::PrivateKey patient = f.funded_key();
    Fresh() {
        fhir::PatientFields p;
        p.given_name = "Alice";
        p.family_name = "Martin";
        p.birth_date = "1980-04-02";
        (void)core::register_patient(f.ctx(), patient, p);
    }
    std::vector<core::RecordInput> inputs(std::size_t n) const {
        const std::string subject = fhir::reference_to("Patient", patient.address().to_hex());
        std::vector<core::RecordInput> out;
        for (std::size_t i = 0; i < n; ++i) {
            fhir::ConditionFields c;
            c.subject = subject;
            c.code_text = "Condition " + std::to_string(i);
            c.clinical_status = "active";
            c.onset = "2019-03-01";
            out.push_back({core::RecordKind::condition, fhir::condition(c)});
        }
        return out;
    }
};

Result library(std::size_t n, std::size_t in_flight) {
    Fresh fresh;
    const auto inputs = fresh.inputs(n);
    const auto t0 = Clock::now();
    const auto added = core::add_records(fresh.f.ctx(), fresh.patient, fresh.patient.address(), inputs, in_flight);
    const double seconds = std::chrono::duration<double>(Clock::now() - t0).count();
    if (core::record_count(fresh.f.ctx(), fresh.patient.address()) != n) throw Error("records missing after the run");
    std::vector<Clock::duration> lat;
    for (const auto& a : added) lat.push_back(a.latency);
    return summarise("library, " + std::to_string(in_flight) + " in flight", seconds, std::move(lat));
}

Result cast_sequential(std::size_t n) {
    Fresh fresh;
    auto& ctx = fresh.f.ctx();
    // The documents are sealed and stored beforehand (not timed): cast only writes the pointers.
    core::Keyring keyring(ctx, fresh.patient);
    const core::EpochKey key = keyring.current(fresh.patient.address());
    std::vector<core::ObjectRef> refs;
    const auto sealing = Clock::now();
    for (const auto& in : fresh.inputs(n)) {
        const std::string text = core::build_record_document(
            core::RecordDocument{in.kind, in.resource, fresh.patient.address(), 0});
        auto source = ipfs::source_from_bytes(as_bytes(text));
        refs.push_back(core::store_sealed(ctx, key, fresh.patient.address(), core::new_object_id(), 1, *source,
                                          text.size()));
    }
    const double one_by_one = std::chrono::duration<double>(Clock::now() - sealing).count();
    // The same documents again, sealed and stored as add_records() does it (a batch per flush), for a
    // side-by-side figure. These objects are not referenced by anything.
    std::vector<std::string> texts;
    for (const auto& in : fresh.inputs(n))
        texts.push_back(core::build_record_document(core::RecordDocument{in.kind, in.resource, fresh.patient.address(), 0}));
    const auto batching = Clock::now();
    for (std::size_t i = 0; i < n; i += core::kRecordStoreBatch) {
        std::vector<core::SealRequest> batch;
        for (std::size_t j = i; j < std::min(n, i + core::kRecordStoreBatch); ++j)
            batch.push_back(core::SealRequest{core::new_object_id(), 1, as_bytes(texts[j])});
        (void)core::store_sealed_batch(ctx, key, fresh.patient.address(), batch);
    }
    const double batched = std::chrono::duration<double>(Clock::now() - batching).count();
    std::printf("(sealing and storing %zu documents alone: %.2f s one by one, %.2f s %zu per flush)\n", n, one_by_one,
                batched, core::kRecordStoreBatch);
    const std::string cast = test::foundry_tool("cast");
    const std::string contract = ctx.manifest().patient.to_hex();
    const std::string private_key = to_hex(fresh.patient.secret());
    std::vector<Clock::duration> lat;
    const auto t0 = Clock::now();
    for (const auto& ref : refs) {
        const auto s = Clock::now();
        (void)test::run_ok({cast, "send", "--private-key", private_key, "--rpc-url", fresh.f.anvil().url(), contract,
                            "addRecord(address,uint32,bytes32,bytes32)", fresh.patient.address().to_hex(),
                            std::to_string(key.epoch), to_hex(ref.digest),
                            to_hex(ref.meta)});
        lat.push_back(Clock::now() - s);
    }
    const double seconds = std::chrono::duration<double>(Clock::now() - t0).count();
    if (core::record_count(ctx, fresh.patient.address()) != n) throw Error("records missing after the cast run");
    return summarise("cast send, one by one", seconds, std::move(lat));
}

}  // namespace

int main(int argc, char** argv) {
    const std::size_t n = argc > 1 ? std::strtoul(argv[1], nullptr, 10) : 1000;
    if (n == 0) return 2;
    std::vector<Result> results;
    try {
        for (std::size_t in_flight : {1u, 16u, 64u}) results.push_back(library(n, in_flight));
        results.push_back(cast_sequential(n));
    } catch (const std::exception& e) {
        std::fprintf(stderr, "bench_records: %s\n", e.what());
        return 1;
    }
    const double cast_rate = static_cast<double>(results.back().records) / results.back().seconds;
    std::printf("%-26s %8s %9s %10s %11s %8s %13s\n", "mode", "records", "seconds", "records/s", "median ms",
                "p90 ms", "rate vs cast");
    for (const auto& r : results) {
        const double rate = static_cast<double>(r.records) / r.seconds;
        std::printf("%-26s %8zu %9.2f %10.1f %11.2f %8.2f %12.2fx\n", r.mode.c_str(), r.records, r.seconds, rate,
                    r.median_ms, r.p90_ms, rate / cast_rate);
    }
    return 0;
}
