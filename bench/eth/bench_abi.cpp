// ABI encoding and decoding of typical Dossier calls:
//  - addRecord(address patient, bytes32 recordId, bytes32 cidDigest, bytes envelope), ~100-byte envelope
//  - addNote(string text, uint256[] refs), a 200-character string and 16 integers
//  - decode_revert of an Error(string) revert
// "Call" variants take the signature text (parsed each time, as one-off callers do); the others
// use pre-parsed types, as generated contract bindings do.
#include <benchmark/benchmark.h>

#include "eth/abi.hpp"

using namespace dossier;
using namespace dossier::eth;
using namespace dossier::eth::abi;

namespace {

const char* kAddRecord = "addRecord(address patient, bytes32 recordId, bytes32 cidDigest, bytes envelope)";
const char* kAddNote = "addNote(string text, uint256[] refs)";

std::vector<Value> add_record_args() {
    Address patient;
    for (std::size_t i = 0; i < 20; ++i) patient.bytes[i] = static_cast<std::uint8_t>(0xa0 + i);
    Bytes id(32, 0x11), cid(32, 0x22), envelope(100);
    for (std::size_t i = 0; i < envelope.size(); ++i) envelope[i] = static_cast<std::uint8_t>(i * 13);
    return {Value::address(patient), Value::fixed_bytes(id), Value::fixed_bytes(cid), Value::bytes(envelope)};
}

std::vector<Value> add_note_args() {
    Value::List refs;
    for (std::uint64_t i = 0; i < 16; ++i) refs.push_back(Value::uint(U256(1000003) * (i + 1)));
    return {Value::string(std::string(200, 'n')), Value::list(std::move(refs))};
}

void encode_bench(benchmark::State& state, const char* sig, const std::vector<Value>& args) {
    const std::vector<Type> types = Signature::parse(sig).types();
    std::size_t bytes = 0;
    for (auto _ : state) {
        Bytes out = encode(types, args);
        bytes = out.size();
        benchmark::DoNotOptimize(out);
    }
    state.counters["encoded_bytes"] = static_cast<double>(bytes);
}

void decode_bench(benchmark::State& state, const char* sig, const std::vector<Value>& args) {
    const std::vector<Type> types = Signature::parse(sig).types();
    const Bytes data = encode(types, args);
    for (auto _ : state) {
        std::vector<Value> v = decode(types, data);
        benchmark::DoNotOptimize(v);
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * data.size()));
}

}  // namespace

static void BM_AddRecord_Encode(benchmark::State& s) { encode_bench(s, kAddRecord, add_record_args()); }
static void BM_AddRecord_Decode(benchmark::State& s) { decode_bench(s, kAddRecord, add_record_args()); }
static void BM_AddRecord_EncodeCall(benchmark::State& state) {
    const std::vector<Value> args = add_record_args();
    for (auto _ : state) {
        Bytes out = encode_call(kAddRecord, args);
        benchmark::DoNotOptimize(out);
    }
}
static void BM_AddRecord_DecodeCall(benchmark::State& state) {
    const Bytes call = encode_call(kAddRecord, add_record_args());
    for (auto _ : state) {
        std::vector<Value> v = decode_call(kAddRecord, call);
        benchmark::DoNotOptimize(v);
    }
}
static void BM_AddNote_Encode(benchmark::State& s) { encode_bench(s, kAddNote, add_note_args()); }
static void BM_AddNote_Decode(benchmark::State& s) { decode_bench(s, kAddNote, add_note_args()); }
static void BM_DecodeRevert_Error(benchmark::State& state) {
    const std::vector<Value> reason{Value::string("access to this record was revoked by the patient")};
    const Bytes data = encode_call("Error(string)", reason);
    for (auto _ : state) {
        Revert r = decode_revert(data);
        benchmark::DoNotOptimize(r);
    }
}
BENCHMARK(BM_AddRecord_Encode);
BENCHMARK(BM_AddRecord_Decode);
BENCHMARK(BM_AddRecord_EncodeCall);
BENCHMARK(BM_AddRecord_DecodeCall);
BENCHMARK(BM_AddNote_Encode);
BENCHMARK(BM_AddNote_Decode);
BENCHMARK(BM_DecodeRevert_Error);
