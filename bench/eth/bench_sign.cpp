// Signing costs: secp256k1 sign/recover, a whole EIP-1559 transaction, an EIP-712 digest, and
// keystore decryption (light scrypt, as tests use; geth's standard parameters once per run).
#include <benchmark/benchmark.h>

#include "eth/eip712.hpp"
#include "eth/keccak.hpp"
#include "eth/keys.hpp"
#include "eth/keystore.hpp"
#include "eth/transaction.hpp"

using namespace dossier;
using namespace dossier::eth;

namespace {

const PrivateKey& bench_key() {
    static const PrivateKey key = PrivateKey::from_bytes(keccak256(as_bytes("dossier benchmark key")));
    return key;
}

void BM_SignHash(benchmark::State& state) {
    Bytes32 hash = keccak256(as_bytes("message"));
    for (auto _ : state) {
        const Signature sig = sign_hash(bench_key(), hash);
        benchmark::DoNotOptimize(sig);
        hash[0] ^= sig.s[31];  // a different hash each time
    }
}
BENCHMARK(BM_SignHash);

void BM_Recover(benchmark::State& state) {
    const Bytes32 hash = keccak256(as_bytes("message"));
    const Signature sig = sign_hash(bench_key(), hash);
    for (auto _ : state) benchmark::DoNotOptimize(recover(hash, sig));
}
BENCHMARK(BM_Recover);

void BM_PublicKeyFromPrivate(benchmark::State& state) {
    for (auto _ : state) benchmark::DoNotOptimize(bench_key().address());
}
BENCHMARK(BM_PublicKeyFromPrivate);

Transaction sample_tx() {
    Transaction tx;
    tx.chain_id = 31337;
    tx.nonce = 42;
    tx.max_fee_per_gas = 2'000'000'000;
    tx.max_priority_fee_per_gas = 1'000'000'000;
    tx.gas_limit = 120'000;
    tx.to = Address::from_hex("0x5FbDB2315678afecb367f032d93F642f64180aa3");
    tx.data = Bytes(4 + 3 * 32, 0xab);  // a typical three-argument contract call
    return tx;
}

void BM_SignTransaction1559(benchmark::State& state) {
    const Transaction tx = sample_tx();
    for (auto _ : state) benchmark::DoNotOptimize(sign(tx, bench_key()));
}
BENCHMARK(BM_SignTransaction1559);

void BM_DecodeSignedTransaction(benchmark::State& state) {
    const Bytes raw = sign(sample_tx(), bench_key()).raw;
    for (auto _ : state) benchmark::DoNotOptimize(decode_signed(raw));
}
BENCHMARK(BM_DecodeSignedTransaction);

void BM_Eip712MailDigest(benchmark::State& state) {
    const auto td = eip712::TypedData::parse(R"({
      "types": {"EIP712Domain": [{"name": "name", "type": "string"}, {"name": "version", "type": "string"},
                                 {"name": "chainId", "type": "uint256"}, {"name": "verifyingContract", "type": "address"}],
                "Person": [{"name": "name", "type": "string"}, {"name": "wallet", "type": "address"}],
                "Mail": [{"name": "from", "type": "Person"}, {"name": "to", "type": "Person"}, {"name": "contents", "type": "string"}]},
      "primaryType": "Mail",
      "domain": {"name": "Ether Mail", "version": "1", "chainId": 1, "verifyingContract": "0xCcCCccccCCCCcCCCCCCcCcCccCcCCCcCcccccccC"},
      "message": {"from": {"name": "Cow", "wallet": "0xCD2a3d9F938E13CD947Ec05AbC7FE734Df8DD826"},
                  "to": {"name": "Bob", "wallet": "0xbBbBBBBbbBBBbbbBbbBbbbbBBbBbbbbBbBbbBBbB"}, "contents": "Hello, Bob!"}})");
    for (auto _ : state) benchmark::DoNotOptimize(eip712::digest(td));
}
BENCHMARK(BM_Eip712MailDigest);

void BM_KeystoreDecryptLight(benchmark::State& state) {
    const std::string json = encrypt_keystore(bench_key(), "benchmark password", kLightScrypt).to_json();
    for (auto _ : state) benchmark::DoNotOptimize(decrypt_keystore(json, "benchmark password"));
}
BENCHMARK(BM_KeystoreDecryptLight)->Unit(benchmark::kMillisecond);

void BM_KeystoreDecryptStandard(benchmark::State& state) {
    const std::string json = encrypt_keystore(bench_key(), "benchmark password", kStandardScrypt).to_json();
    for (auto _ : state) benchmark::DoNotOptimize(decrypt_keystore(json, "benchmark password"));
}
BENCHMARK(BM_KeystoreDecryptStandard)->Unit(benchmark::kMillisecond)->Iterations(3);

}  // namespace
