// Sending signed transactions to a real anvil: transfers, a contract deployment, receipts and
// logs, reverts with decoded reasons, pipelined and concurrent sends from one account, nonce
// resynchronisation, and eth_getLogs paging (with a proxy that refuses large ranges as public
// providers do).
#include <gtest/gtest.h>

#include <algorithm>
#include <thread>

#include "eth/tx_sender.hpp"
#include "rpc_test_support.hpp"
#include "support/anvil.hpp"

using namespace dossier;
using namespace dossier::eth;
using dossier::test::Anvil;
using dossier::test::ScriptedServer;
using namespace std::chrono_literals;

namespace {

Anvil& shared_anvil() {
    static Anvil anvil;
    return anvil;
}

/// A fresh account with 1000 ETH, so that every test has its own nonces.
PrivateKey funded_key(RpcClient& rpc) {
    PrivateKey key = PrivateKey::generate();
    (void)rpc.call("anvil_setBalance", {key.address().to_hex(), "0x3635c9adc5dea00000"});
    return key;
}

Address random_address() {
    Address a;
    random_bytes(a.bytes);
    return a;
}

const Bytes32 kPingTopic = keccak256(as_bytes("Ping(address,uint256,bytes)"));

Address deploy_probe(TxSender& sender) {
    TxRequest deploy;
    deploy.data = test::probe_init_code();
    const Receipt r = sender.send_and_wait(deploy);
    EXPECT_TRUE(r.contract_address);
    return r.contract_address.value_or(Address{});
}

TxRequest call_probe(const Address& probe, Bytes data) {
    TxRequest t;
    t.to = probe;
    t.data = std::move(data);
    return t;
}

}  // namespace

TEST(TxSender, ValueTransferAndReceipt) {
    RpcClient rpc(shared_anvil().url());
    std::vector<SignedTransaction> journal;
    TxSenderOptions options;
    options.on_signed = [&](const Transaction&, const SignedTransaction& s) { journal.push_back(s); };
    TxSender sender(rpc, funded_key(rpc), options);
    const Address to = random_address();
    const U256 before = rpc.get_balance(sender.address());

    TxRequest transfer;
    transfer.to = to;
    transfer.value = 123456789;
    const SentTransaction sent = sender.send(transfer);
    const Receipt r = sender.wait_for_receipt(sent.hash, std::chrono::steady_clock::now() + 10s);
    EXPECT_TRUE(r.success);
    EXPECT_EQ(r.transaction_hash, sent.hash);
    EXPECT_EQ(r.from, sender.address());
    EXPECT_EQ(r.to, to);
    EXPECT_EQ(r.gas_used, 21000u);
    EXPECT_EQ(r.type, 2);
    EXPECT_FALSE(r.contract_address);
    EXPECT_TRUE(r.logs.empty());
    EXPECT_GT(r.effective_gas_price, 0);
    EXPECT_LE(r.effective_gas_price, sent.tx.max_fee_per_gas);
    const auto block = rpc.get_block(BlockRef::number(r.block_number));
    ASSERT_TRUE(block);
    EXPECT_EQ(block->hash, r.block_hash);
    EXPECT_NE(std::find(block->transactions.begin(), block->transactions.end(), sent.hash), block->transactions.end());

    EXPECT_EQ(rpc.get_balance(to), 123456789);
    EXPECT_EQ(rpc.get_balance(sender.address()), before - 123456789 - U256(r.gas_used) * r.effective_gas_price);
    EXPECT_EQ(rpc.get_transaction_count(sender.address()), 1u);

    // The hook saw exactly what was sent, and it is a transaction the sender signed.
    ASSERT_EQ(journal.size(), 1u);
    EXPECT_EQ(journal[0].hash, sent.hash);
    EXPECT_EQ(keccak256(journal[0].raw), sent.hash);
    EXPECT_EQ(decode_signed(journal[0].raw).from, sender.address());
    EXPECT_EQ(decode_signed(journal[0].raw).tx.chain_id, Anvil::kChainId);
}

TEST(TxSender, DeployEmitAndReadLogs) {
    RpcClient rpc(shared_anvil().url());
    TxSender sender(rpc, funded_key(rpc));
    const Address probe = deploy_probe(sender);
    EXPECT_FALSE(rpc.get_code(probe).empty());

    const Receipt r = sender.send_and_wait(call_probe(probe, test::calldata("ping(uint256)", {5})));
    ASSERT_EQ(r.logs.size(), 1u);
    const Log& log = r.logs[0];
    EXPECT_EQ(log.address, probe);
    ASSERT_EQ(log.topics.size(), 3u);
    EXPECT_EQ(log.topics[0], kPingTopic);
    EXPECT_EQ(log.topics[1], sender.address().to_word());
    EXPECT_EQ(log.topics[2], to_be32(5));
    ASSERT_EQ(log.data.size(), 96u);  // abi.encode(bytes): offset, length, one word
    EXPECT_EQ(from_be(ByteView(log.data).subspan(64, 32)), 5);
    EXPECT_EQ(log.block_number, r.block_number);
    EXPECT_EQ(log.block_hash, r.block_hash);
    EXPECT_EQ(log.transaction_hash, r.transaction_hash);
    EXPECT_FALSE(log.removed);

    LogFilter filter;
    filter.addresses = {probe};
    filter.topics = {std::vector<Bytes32>{kPingTopic}, std::nullopt, std::vector<Bytes32>{to_be32(5), to_be32(6)}};
    const auto logs = rpc.get_logs(filter, BlockRef::number(r.block_number), BlockRef::latest());
    ASSERT_EQ(logs.size(), 1u);
    EXPECT_EQ(logs[0].log_index, log.log_index);
    EXPECT_EQ(logs[0].data, log.data);
    filter.topics[2] = std::vector<Bytes32>{to_be32(6)};
    EXPECT_TRUE(rpc.get_logs(filter, BlockRef::earliest(), BlockRef::latest()).empty());

    CallRequest read;
    read.to = probe;
    read.data = test::calldata("counter()");
    EXPECT_EQ(from_be(rpc.eth_call(read)), 1);
    EXPECT_EQ(from_be(rpc.eth_call(read, BlockRef::number(r.block_number - 1))), 0);
}

TEST(TxSender, RevertedTransactionsExplainThemselves) {
    RpcClient rpc(shared_anvil().url());
    rpc.set_custom_errors({"Denied(address,uint256)"});
    int hook_calls = 0;
    TxSenderOptions options;
    options.on_signed = [&](const Transaction&, const SignedTransaction&) { ++hook_calls; };
    TxSender sender(rpc, funded_key(rpc), options);
    const Address probe = deploy_probe(sender);
    EXPECT_EQ(hook_calls, 1);

    // Estimation reverts: nothing is signed or sent.
    try {
        (void)sender.send(call_probe(probe, test::calldata("failString()")));
        FAIL() << "no revert";
    } catch (const RevertedError& e) {
        EXPECT_NE(e.reason().find("not allowed"), std::string::npos) << e.reason();
        EXPECT_FALSE(e.tx_hash());
    }
    EXPECT_EQ(hook_calls, 1);

    // Mined with status 0 (a fixed gas limit skips estimation): the reason comes from a replay.
    struct Case {
        const char* signature;
        std::initializer_list<U256> args;
        const char* expected;
    };
    for (const Case& c : {Case{"failString()", {}, "not allowed"}, Case{"failPanic(uint256)", {0}, "0x12"},
                          Case{"failCustom()", {}, "Denied(0x"}}) {
        TxRequest t = call_probe(probe, test::calldata(c.signature, c.args));
        t.gas_limit = 100000;
        const SentTransaction sent = sender.send(t);
        const Receipt r = sender.wait_for_receipt(sent.hash, std::chrono::steady_clock::now() + 10s);
        EXPECT_FALSE(r.success);
        try {
            rpc.require_success(r);
            FAIL() << "require_success accepted a failed receipt";
        } catch (const RevertedError& e) {
            EXPECT_EQ(e.code(), ErrorCode::reverted);
            EXPECT_NE(e.reason().find(c.expected), std::string::npos) << e.reason();
            ASSERT_TRUE(e.tx_hash());
            EXPECT_EQ(*e.tx_hash(), sent.hash);
            EXPECT_NE(std::string(e.what()).find(to_hex(sent.hash)), std::string::npos) << e.what();
            EXPECT_FALSE(e.revert_data().empty());
        }
        t.gas_limit = 100001;
        EXPECT_THROW((void)sender.send_and_wait(t), RevertedError);
    }
    EXPECT_EQ(hook_calls, 7);
}

TEST(TxSender, PipelinedSendsLandInOrder) {
    RpcClient rpc(shared_anvil().url());
    TxSender sender(rpc, funded_key(rpc));
    const Address to = random_address();
    constexpr int kCount = 60;
    std::vector<SentTransaction> sent;
    for (int i = 0; i < kCount; ++i) {
        TxRequest t;
        t.to = to;
        t.value = static_cast<unsigned>(i + 1);
        sent.push_back(sender.send(t));  // no waiting: all in flight
    }
    const auto deadline = std::chrono::steady_clock::now() + 30s;
    std::pair<std::uint64_t, std::uint64_t> previous{0, 0};  // (block, index in block)
    for (int i = 0; i < kCount; ++i) {
        EXPECT_EQ(sent[static_cast<std::size_t>(i)].nonce, static_cast<std::uint64_t>(i));
        const Receipt r = sender.wait_for_receipt(sent[static_cast<std::size_t>(i)].hash, deadline);
        EXPECT_TRUE(r.success);
        // Mined in nonce order (anvil's automine may put several in one block).
        const std::pair<std::uint64_t, std::uint64_t> position{r.block_number, r.transaction_index};
        if (i > 0) {
            EXPECT_GT(position, previous) << "transfer " << i;
        }
        previous = position;
    }
    EXPECT_EQ(rpc.get_balance(to), kCount * (kCount + 1) / 2);
    EXPECT_EQ(rpc.get_transaction_count(sender.address()), static_cast<std::uint64_t>(kCount));
}

TEST(TxSender, ConcurrentSendersShareOneNonceSequence) {
    RpcClient rpc(shared_anvil().url());
    TxSender sender(rpc, funded_key(rpc));
    const Address to = random_address();
    constexpr int kThreads = 4, kEach = 10;
    std::mutex m;
    std::vector<SentTransaction> sent;
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t)
        threads.emplace_back([&] {
            for (int i = 0; i < kEach; ++i) {
                TxRequest req;
                req.to = to;
                req.value = 1;
                SentTransaction s = sender.send(req);
                std::lock_guard lock(m);
                sent.push_back(std::move(s));
            }
        });
    for (auto& t : threads) t.join();
    ASSERT_EQ(sent.size(), static_cast<std::size_t>(kThreads * kEach));
    std::vector<std::uint64_t> nonces;
    for (const auto& s : sent) nonces.push_back(s.nonce);
    std::sort(nonces.begin(), nonces.end());
    for (std::size_t i = 0; i < nonces.size(); ++i) EXPECT_EQ(nonces[i], i);
    for (const auto& s : sent) EXPECT_TRUE(sender.wait_for_receipt(s.hash, std::chrono::steady_clock::now() + 20s).success);
    EXPECT_EQ(rpc.get_balance(to), kThreads * kEach);
}

TEST(TxSender, ResynchronisesAfterNonceTooLow) {
    RpcClient rpc(shared_anvil().url());
    PrivateKey key = funded_key(rpc);
    TxSender first(rpc, key.clone());     // two senders of one account: each holds the key
    TxSender second(rpc, std::move(key));  // another client of the same account
    TxRequest t;
    t.to = random_address();
    t.value = 1;
    EXPECT_EQ(first.send(t).nonce, 0u);
    EXPECT_EQ(second.send(t).nonce, 1u);
    EXPECT_EQ(second.send(t).nonce, 2u);
    // first still believes the next nonce is 1: the node refuses it, first asks again and succeeds.
    const SentTransaction s = first.send(t);
    EXPECT_EQ(s.nonce, 3u);
    EXPECT_TRUE(first.wait_for_receipt(s.hash, std::chrono::steady_clock::now() + 10s).success);
    EXPECT_EQ(rpc.get_balance(*t.to), 4);
}

TEST(TxSender, WaitForReceiptTimesOut) {
    RpcClient rpc(shared_anvil().url());
    Bytes32 unknown{};
    unknown[0] = 0xab;
    const auto start = std::chrono::steady_clock::now();
    try {
        (void)rpc.wait_for_receipt(unknown, start + 300ms);
        FAIL() << "no timeout";
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), ErrorCode::node_unavailable);
        // The sentence names the transaction.
        EXPECT_NE(std::string(e.what()).find(to_hex(unknown)), std::string::npos);
    }
    const auto elapsed = std::chrono::steady_clock::now() - start;
    EXPECT_GE(elapsed, 300ms);
    EXPECT_LT(elapsed, 1500ms);
}

namespace {
/// Emits Ping events over many blocks: `rounds` transactions, each followed by a few empty blocks,
/// some emitting several logs in one block. Returns the block range covered.
std::pair<std::uint64_t, std::uint64_t> emit_spread(RpcClient& rpc, TxSender& sender, const Address& probe, int rounds) {
    const std::uint64_t from = rpc.block_number() + 1;
    std::vector<SentTransaction> sent;
    for (int i = 0; i < rounds; ++i) {
        sent.push_back(sender.send(call_probe(probe, i % 3 == 0 ? test::calldata("pingMany(uint256)", {3})
                                                                   : test::calldata("ping(uint256)", {static_cast<unsigned>(i)}))));
        (void)rpc.call("anvil_mine", {to_quantity(static_cast<unsigned>(i % 4))});
    }
    for (const auto& s : sent) (void)sender.wait_for_receipt(s.hash, std::chrono::steady_clock::now() + 20s);
    return {from, rpc.block_number()};
}

void expect_chain_order(const std::vector<Log>& logs) {
    for (std::size_t i = 1; i < logs.size(); ++i) {
        const bool ordered = logs[i - 1].block_number < logs[i].block_number ||
                             (logs[i - 1].block_number == logs[i].block_number && logs[i - 1].log_index < logs[i].log_index);
        EXPECT_TRUE(ordered) << "log " << i << " is out of order";
    }
}
}  // namespace

TEST(LogPaging, ManyBlocksSmallWindows) {
    RpcClient rpc(shared_anvil().url());
    TxSender sender(rpc, funded_key(rpc));
    const Address probe = deploy_probe(sender);
    const auto [from, to] = emit_spread(rpc, sender, probe, 30);
    EXPECT_GT(to - from, 60u);
    LogFilter filter;
    filter.addresses = {probe};
    const auto all = rpc.get_logs(filter, BlockRef::number(from), BlockRef::number(to));
    EXPECT_EQ(all.size(), 10u * 3 + 20u);
    for (std::uint64_t range : {1u, 2u, 3u, 7u, 1000u}) {
        const auto paged = rpc.get_logs_paged(filter, from, to, range);
        ASSERT_EQ(paged.size(), all.size()) << "range " << range;
        for (std::size_t i = 0; i < all.size(); ++i) {
            EXPECT_EQ(paged[i].transaction_hash, all[i].transaction_hash);
            EXPECT_EQ(paged[i].log_index, all[i].log_index);
        }
        expect_chain_order(paged);
    }
    EXPECT_TRUE(rpc.get_logs_paged(filter, to, from, 5).empty());  // an empty range
}

TEST(LogPaging, HalvesTheWindowWhenTheNodeRefuses) {
    RpcClient direct(shared_anvil().url());
    TxSender sender(direct, funded_key(direct));
    const Address probe = deploy_probe(sender);
    const auto [from, to] = emit_spread(direct, sender, probe, 12);

    // A proxy in front of anvil that, like public providers, refuses eth_getLogs over more than
    // `limit` blocks.
    std::atomic<std::uint64_t> limit{4};
    std::atomic<int> refused{0};
    ScriptedServer proxy([&](const std::string& body) {
        const json req = json::parse(body);
        if (req.value("method", "") == "eth_getLogs") {
            const json& f = req["params"][0];
            const std::uint64_t span = to_u64(parse_quantity(f["toBlock"].get<std::string>())) -
                                       to_u64(parse_quantity(f["fromBlock"].get<std::string>())) + 1;
            if (span > limit) {
                ++refused;
                return std::make_pair(200, json{{"jsonrpc", "2.0"}, {"id", req["id"]},
                                                {"error", {{"code", -32005}, {"message", "query returned more than 10000 results"}}}}
                                               .dump());
            }
        }
        return std::make_pair(200, test::http_post_json(shared_anvil().url(), body));
    });
    RpcClient rpc(proxy.url());
    LogFilter filter;
    filter.addresses = {probe};
    const auto expected = direct.get_logs(filter, BlockRef::number(from), BlockRef::number(to));
    const auto paged = rpc.get_logs_paged(filter, from, to, 64);
    EXPECT_GT(refused.load(), 0);
    ASSERT_EQ(paged.size(), expected.size());
    for (std::size_t i = 0; i < paged.size(); ++i) EXPECT_EQ(paged[i].transaction_hash, expected[i].transaction_hash);
    expect_chain_order(paged);

    // Even one block is refused: the node's error comes through.
    limit = 0;
    EXPECT_THROW((void)rpc.get_logs_paged(filter, from, to, 64), RpcError);
}
