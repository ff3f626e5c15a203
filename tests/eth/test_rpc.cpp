// The JSON-RPC client against a real anvil, the batch matcher, and a scripted loopback server for
// the failures a real node does not produce on demand (garbage, wrong ids, HTTP errors, slowness).
#include <gtest/gtest.h>

#include <chrono>

#include "eth/rpc_client.hpp"
#include "rpc_test_support.hpp"
#include "support/anvil.hpp"

using namespace dossier;
using namespace dossier::eth;
using dossier::test::Anvil;
using dossier::test::ScriptedServer;

namespace {

Anvil& shared_anvil() {
    static Anvil anvil;
    return anvil;
}

const Address kDev = Address::from_hex(Anvil::kDevAddress);

/// Installs the Probe contract's runtime code at `at` without a transaction: the runtime code is
/// what eth_call returns for the creation code.
void install_probe(RpcClient& rpc, const Address& at) {
    CallRequest create;
    create.data = test::probe_init_code();
    const Bytes runtime = rpc.eth_call(create);
    ASSERT_GT(runtime.size(), 100u);
    (void)rpc.call("anvil_setCode", {at.to_hex(), to_hex(runtime)});
}

}  // namespace

TEST(RpcClient, ChainIdBlockNumberBalanceNonce) {
    RpcClient rpc(shared_anvil().url());
    EXPECT_EQ(rpc.chain_id(), Anvil::kChainId);
    const std::uint64_t before = rpc.block_number();
    (void)rpc.call("anvil_mine", {"0x3"});
    EXPECT_EQ(rpc.block_number(), before + 3);
    (void)rpc.call("anvil_setBalance", {kDev.to_hex(), "0x1234567890abcdef1234"});
    EXPECT_EQ(rpc.get_balance(kDev), parse_u256("0x1234567890abcdef1234"));
    const Address fresh = Address::from_hex("0x00000000000000000000000000000000000000aa");
    EXPECT_EQ(rpc.get_balance(fresh), 0);
    (void)rpc.call("anvil_setNonce", {fresh.to_hex(), "0x2a"});
    EXPECT_EQ(rpc.get_transaction_count(fresh), 42u);
    EXPECT_EQ(rpc.get_transaction_count(fresh, BlockRef::pending()), 42u);
}

TEST(RpcClient, FeesAndBlocks) {
    RpcClient rpc(shared_anvil().url());
    (void)rpc.call("anvil_mine", {"0x2"});
    const auto latest = rpc.get_block(BlockRef::latest());
    ASSERT_TRUE(latest);
    EXPECT_EQ(latest->number, rpc.block_number());
    ASSERT_TRUE(latest->base_fee_per_gas);
    EXPECT_GT(*latest->base_fee_per_gas, 0);
    EXPECT_EQ(rpc.base_fee(), *latest->base_fee_per_gas);
    const auto parent = rpc.get_block(BlockRef::number(latest->number - 1));
    ASSERT_TRUE(parent);
    EXPECT_EQ(parent->hash, latest->parent_hash);
    EXPECT_LE(parent->timestamp, latest->timestamp);
    const auto by_hash = rpc.get_block_by_hash(parent->hash);
    ASSERT_TRUE(by_hash);
    EXPECT_EQ(by_hash->number, parent->number);
    EXPECT_FALSE(rpc.get_block(BlockRef::number(latest->number + 1000)));

    EXPECT_GT(rpc.gas_price(), 0);
    EXPECT_GT(rpc.max_priority_fee_per_gas(), 0);
    const double percentiles[] = {50.0};
    const FeeHistory h = rpc.fee_history(2, BlockRef::latest(), percentiles);
    EXPECT_EQ(h.oldest_block, latest->number - 1);
    ASSERT_EQ(h.base_fee_per_gas.size(), 3u);
    EXPECT_EQ(h.base_fee_per_gas[1], *latest->base_fee_per_gas);
    EXPECT_EQ(h.gas_used_ratio.size(), 2u);
    ASSERT_EQ(h.reward.size(), 2u);
    EXPECT_EQ(h.reward[0].size(), 1u);
}

TEST(RpcClient, CodeStorageAndCalls) {
    RpcClient rpc(shared_anvil().url());
    const Address probe = Address::from_hex("0x00000000000000000000000000000000000c0de1");
    EXPECT_TRUE(rpc.get_code(probe).empty());
    install_probe(rpc, probe);
    EXPECT_FALSE(rpc.get_code(probe).empty());

    (void)rpc.call("anvil_setStorageAt", {probe.to_hex(), "0x0", to_hex(to_be32(41))});
    EXPECT_EQ(rpc.get_storage_at(probe, 0), to_be32(41));
    CallRequest read;
    read.to = probe;
    read.data = test::calldata("counter()");
    const Bytes32 word = to_be32(41);
    EXPECT_EQ(rpc.eth_call(read), Bytes(word.begin(), word.end()));
    EXPECT_EQ(rpc.eth_call(read, BlockRef::pending()).size(), 32u);

    CallRequest ping;
    ping.from = kDev;
    ping.to = probe;
    ping.data = test::calldata("ping(uint256)", {5});
    const std::uint64_t gas = rpc.estimate_gas(ping);
    EXPECT_GT(gas, 21000u);
    EXPECT_LT(gas, 100000u);
}

TEST(RpcClient, RevertsAreTypedAndDecoded) {
    RpcClient rpc(shared_anvil().url());
    rpc.set_custom_errors({"Denied(address,uint256)"});
    const Address probe = Address::from_hex("0x00000000000000000000000000000000000c0de2");
    install_probe(rpc, probe);
    auto reverted = [&](Bytes data, bool estimate) -> RevertedError {
        CallRequest c;
        c.from = kDev;
        c.to = probe;
        c.data = std::move(data);
        try {
            if (estimate) (void)rpc.estimate_gas(c);
            else (void)rpc.eth_call(c);
        } catch (const RevertedError& e) {
            return e;
        }
        ADD_FAILURE() << "the call did not revert";
        return RevertedError({}, "");
    };
    for (bool estimate : {false, true}) {
        const RevertedError s = reverted(test::calldata("failString()"), estimate);
        EXPECT_NE(s.reason().find("not allowed"), std::string::npos) << s.reason();
        EXPECT_EQ(Bytes(s.revert_data().begin(), s.revert_data().begin() + 4), test::selector("Error(string)"));

        const RevertedError p = reverted(test::calldata("failPanic(uint256)", {0}), estimate);
        EXPECT_NE(p.reason().find("0x12"), std::string::npos) << p.reason();

        const RevertedError c = reverted(test::calldata("failCustom()"), estimate);
        EXPECT_NE(c.reason().find(std::string("Denied(") + Anvil::kDevAddress + ", 7)"), std::string::npos) << c.reason();
        // A custom error is code reverted with its name as detail, for the layer that maps it.
        EXPECT_EQ(c.code(), ErrorCode::reverted);
        EXPECT_EQ(c.detail(), "Denied");
        EXPECT_EQ(s.code(), ErrorCode::reverted);
        EXPECT_EQ(s.detail(), "");
        EXPECT_EQ(c.revert_data().size(), 68u);

        const RevertedError e = reverted(test::calldata("failEmpty()"), estimate);
        EXPECT_TRUE(e.revert_data().empty());
        EXPECT_FALSE(e.reason().empty());
    }
    // An error that is not a revert stays an RpcError.
    try {
        (void)rpc.call("eth_nonexistentMethod");
        FAIL() << "no error";
    } catch (const RevertedError&) {
        FAIL() << "a missing method is not a revert";
    } catch (const RpcError& e) {
        EXPECT_NE(e.code(), 0);
    }
}

TEST(RpcClient, BatchAgainstAnvil) {
    RpcClient rpc(shared_anvil().url());
    const std::vector<RpcRequest> requests = {
        {"eth_chainId", json::array()},
        {"eth_getBalance", {kDev.to_hex(), "latest"}},
        {"eth_noSuchMethod", json::array()},
        {"eth_blockNumber", json::array()},
    };
    const auto answers = rpc.batch(requests);
    ASSERT_EQ(answers.size(), 4u);
    EXPECT_EQ(decode_u64(answers[0].value(), "chain id"), Anvil::kChainId);
    EXPECT_EQ(decode_quantity(answers[1].value(), "balance"), rpc.get_balance(kDev));
    EXPECT_TRUE(answers[2].error);
    EXPECT_THROW((void)answers[2].value(), RpcError);
    EXPECT_EQ(decode_u64(answers[3].value(), "block"), rpc.block_number());
    EXPECT_TRUE(rpc.batch({}).empty());
}

TEST(BatchMatcher, MatchesOutOfOrderById) {
    const std::uint64_t ids[] = {7, 8, 9};
    const auto r = parse_batch_response(
        R"([{"jsonrpc":"2.0","id":9,"result":"0x9"},{"jsonrpc":"2.0","id":7,"result":"0x7"},
            {"jsonrpc":"2.0","id":8,"error":{"code":-32000,"message":"nope","data":"0x01"}}])",
        ids);
    ASSERT_EQ(r.size(), 3u);
    EXPECT_EQ(r[0].value(), "0x7");
    EXPECT_EQ(r[2].value(), "0x9");
    ASSERT_TRUE(r[1].error);
    EXPECT_EQ(r[1].error->code(), -32000);
    EXPECT_EQ(r[1].error->rpc_message(), "nope");
    EXPECT_EQ(r[1].error->data(), "0x01");
}

TEST(BatchMatcher, RejectsMissingUnknownAndRepeatedIds) {
    const std::uint64_t ids[] = {1, 2};
    const char* bad[] = {
        R"([{"jsonrpc":"2.0","id":1,"result":1}])",                                           // missing
        R"([{"jsonrpc":"2.0","id":1,"result":1},{"jsonrpc":"2.0","id":3,"result":1}])",      // unknown
        R"([{"jsonrpc":"2.0","id":1,"result":1},{"jsonrpc":"2.0","id":1,"result":1}])",      // repeated
        R"([{"jsonrpc":"2.0","id":1,"result":1},{"jsonrpc":"2.0","id":"2","result":1}])",    // string id
        R"([{"jsonrpc":"2.0","id":1,"result":1},{"id":2,"result":1}])",                      // no version
        R"([{"jsonrpc":"2.0","id":1,"result":1},{"jsonrpc":"2.0","id":2}])",                 // no result
        R"([{"jsonrpc":"2.0","id":1,"result":1},{"jsonrpc":"2.0","id":2,"result":1,"error":{"code":1,"message":"x"}}])",
        R"({"jsonrpc":"2.0","id":1,"result":1})",                                            // not a batch
        R"([{"jsonrpc":"2.0","id":1,"result":1},{"jsonrpc":"2.0","id":2,"error":{"code":"1","message":"x"}}])",
        "[1,2]", "", "not json", "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]",
    };
    for (const char* body : bad) EXPECT_THROW((void)parse_batch_response(body, ids), MalformedResponseError) << body;
    // A whole-batch rejection is the node's error, not a malformed answer.
    EXPECT_THROW((void)parse_batch_response(R"({"jsonrpc":"2.0","id":null,"error":{"code":-32600,"message":"batch too large"}})", ids),
                 RpcError);
}

TEST(ResponseParser, SingleResponses) {
    EXPECT_EQ(parse_response(R"({"jsonrpc":"2.0","id":5,"result":"0x1"})", 5), "0x1");
    EXPECT_EQ(parse_response(R"({"jsonrpc":"2.0","id":5,"result":null})", 5), nullptr);
    EXPECT_THROW((void)parse_response(R"({"jsonrpc":"2.0","id":6,"result":"0x1"})", 5), MalformedResponseError);
    EXPECT_THROW((void)parse_response(R"({"jsonrpc":"2.0","id":5})", 5), MalformedResponseError);
    EXPECT_THROW((void)parse_response(R"({"jsonrpc":"2.0","id":5.0,"result":1})", 5), MalformedResponseError);
    EXPECT_THROW((void)parse_response(R"([{"jsonrpc":"2.0","id":5,"result":1}])", 5), MalformedResponseError);
    try {
        (void)parse_response(R"({"jsonrpc":"2.0","id":5,"error":{"code":3,"message":"execution reverted","data":"0x"}})", 5);
        FAIL();
    } catch (const RpcError& e) {
        EXPECT_EQ(e.code(), 3);
        ASSERT_TRUE(revert_data_of(e));
        EXPECT_TRUE(revert_data_of(e)->empty());
    }
}

// The shapes ganache 7.9.2 answers a revert with, as it sent them: eth_call puts the data in
// error.data, eth_estimateGas in error.data.result (the journey against ganache itself is
// tests/chains). Both must give the revert data, or a refusal loses its reason.
TEST(ResponseParser, GanacheRevertShapes) {
    const char* shapes[] = {
        R"({"id":2,"jsonrpc":"2.0","error":{"message":"VM Exception while processing transaction: revert",)"
        R"("code":-32000,"name":"CallError","data":"0xdeadbeef"}})",
        R"({"id":2,"jsonrpc":"2.0","error":{"message":"VM Exception while processing transaction: revert",)"
        R"("code":-32000,"name":"RuntimeError","data":{"hash":null,"programCounter":16,"result":"0xdeadbeef",)"
        R"("reason":null,"message":"revert"}}})",
    };
    for (const char* body : shapes) {
        try {
            (void)parse_response(body, 2);
            FAIL() << body;
        } catch (const RpcError& e) {
            const auto data = revert_data_of(e);
            ASSERT_TRUE(data) << body;
            EXPECT_EQ(to_hex(*data), "0xdeadbeef") << body;
        }
    }
    // An error that is not a revert carries no revert data, whatever its data holds.
    try {
        (void)parse_response(R"({"id":2,"jsonrpc":"2.0","error":{"code":-32000,"message":"nonce too low",)"
                             R"("data":{"result":"0xdeadbeef"}}})", 2);
        FAIL();
    } catch (const RpcError& e) {
        EXPECT_FALSE(revert_data_of(e));
    }
}

TEST(ResponseParser, TypedDecodersRejectWrongHex) {
    const json log = json::parse(R"({"address":"0x00000000000000000000000000000000000000aa","topics":[],"data":"0x",
        "blockNumber":"0x1","blockHash":"0x1111111111111111111111111111111111111111111111111111111111111111",
        "transactionHash":"0x2222222222222222222222222222222222222222222222222222222222222222",
        "transactionIndex":"0x0","logIndex":"0x3","removed":false})");
    EXPECT_EQ(decode_log(log).log_index, 3u);
    for (const auto& [field, value] : std::vector<std::pair<std::string, json>>{
             {"address", "0x00aa"}, {"data", "0xabc"}, {"data", "abcd"}, {"blockNumber", "12"}, {"blockNumber", 12},
             {"blockHash", "0x11"}, {"logIndex", "0x"}, {"removed", "no"}, {"topics", "0x"}}) {
        json broken = log;
        broken[field] = value;
        EXPECT_THROW((void)decode_log(broken), MalformedResponseError) << field << " = " << value;
    }
    json missing = log;
    missing.erase("transactionHash");
    EXPECT_THROW((void)decode_log(missing), MalformedResponseError);
}

TEST(Transport, UnreachableNodeFailsFastNamingTheUrl) {
    const std::string url = "http://127.0.0.1:" + std::to_string(test::free_port());
    RpcClient rpc(url);
    const auto start = std::chrono::steady_clock::now();
    try {
        (void)rpc.block_number();
        FAIL() << "no error";
    } catch (const NodeUnreachableError& e) {
        EXPECT_EQ(e.code(), ErrorCode::node_unavailable);
        EXPECT_EQ(e.url(), url);
        EXPECT_NE(std::string(e.what()).find(url), std::string::npos);
    }
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(1));
    EXPECT_THROW((void)RpcClient("http://no-such-host.invalid:8545").chain_id(), NodeUnreachableError);
}

TEST(Transport, MalformedAnswersAreTyped) {
    std::string next;
    int next_status = 200;
    ScriptedServer server([&](const std::string&) { return std::make_pair(next_status, next); });
    RpcClient rpc(server.url());
    auto answer = [&](int status, std::string body) {
        next_status = status;
        next = std::move(body);
    };
    answer(200, "<html>hello</html>");
    EXPECT_THROW((void)rpc.block_number(), MalformedResponseError);
    answer(200, R"({"jsonrpc":"2.0","id":999999,"result":"0x1"})");
    EXPECT_THROW((void)rpc.block_number(), MalformedResponseError);
    answer(200, R"({"jsonrpc":"2.0","id":1,"result":"0x1"})");  // the client's ids start at 1 and grow
    EXPECT_THROW((void)rpc.block_number(), MalformedResponseError);
    answer(500, "internal error");
    try {
        (void)rpc.block_number();
        FAIL();
    } catch (const HttpStatusError& e) {
        EXPECT_EQ(e.status(), 500);
    }
    answer(429, R"({"jsonrpc":"2.0","id":null,"error":{"code":-32005,"message":"rate limited"}})");
    try {
        (void)rpc.block_number();
        FAIL();
    } catch (const RpcError& e) {
        EXPECT_EQ(e.code(), -32005);
    }
    // Well-formed JSON-RPC, wrong shape of result.
    RpcClient echo_rpc(server.url());
    answer(200, "");
    EXPECT_THROW((void)echo_rpc.chain_id(), MalformedResponseError);
    EXPECT_GE(server.requests(), 6);
}

TEST(Transport, WrongResultShapesAreMalformed) {
    // The server answers every call with the same well-formed envelope around a bad result.
    std::string result;
    ScriptedServer server([&](const std::string& body) {
        const json req = json::parse(body);
        return std::make_pair(200, json{{"jsonrpc", "2.0"}, {"id", req["id"]}, {"result", json::parse(result)}}.dump());
    });
    RpcClient rpc(server.url());
    result = R"("0xzz")";
    EXPECT_THROW((void)rpc.block_number(), MalformedResponseError);
    result = R"(17)";
    EXPECT_THROW((void)rpc.chain_id(), MalformedResponseError);
    result = R"("0x10000000000000000")";
    EXPECT_THROW((void)rpc.block_number(), MalformedResponseError);
    result = R"({"number":"0x1"})";
    EXPECT_THROW((void)rpc.get_block(BlockRef::latest()), MalformedResponseError);
    result = R"("0x1234")";
    EXPECT_THROW((void)rpc.get_storage_at(kDev, 0), MalformedResponseError);
    result = R"("0x1111111111111111111111111111111111111111111111111111111111111111")";
    const Bytes raw = {0x01, 0x02};
    EXPECT_THROW((void)rpc.send_raw_transaction(raw), MalformedResponseError);  // not keccak(raw)
    result = R"("0x2a")";
    EXPECT_EQ(rpc.block_number(), 42u);
}

TEST(Transport, SlowAnswerTimesOut) {
    ScriptedServer server([](const std::string&) {
        std::this_thread::sleep_for(std::chrono::milliseconds(1500));
        return std::make_pair(200, std::string(R"({"jsonrpc":"2.0","id":1,"result":"0x1"})"));
    });
    HttpOptions options;
    options.timeout = std::chrono::milliseconds(300);
    RpcClient rpc(server.url(), options);
    const auto start = std::chrono::steady_clock::now();
    EXPECT_THROW((void)rpc.block_number(), NodeUnreachableError);
    const auto elapsed = std::chrono::steady_clock::now() - start;
    EXPECT_GE(elapsed, std::chrono::milliseconds(250));
    EXPECT_LT(elapsed, std::chrono::milliseconds(1200));
}

TEST(Transport, ReusesOneConnection) {
    // A kept-alive client sends every request on one connection: the server sees one remote port.
    std::set<int> ports;
    std::mutex m;
    httplib::Server server;
    server.set_tcp_nodelay(true);
    server.set_keep_alive_max_count(1000);
    server.Post("/", [&](const httplib::Request& req, httplib::Response& res) {
        {
            std::lock_guard lock(m);
            ports.insert(req.remote_port);
        }
        const json j = json::parse(req.body);
        res.set_content(json{{"jsonrpc", "2.0"}, {"id", j["id"]}, {"result", "0x1"}}.dump(), "application/json");
    });
    const int port = server.bind_to_any_port("127.0.0.1");
    std::thread t([&] { server.listen_after_bind(); });
    while (!server.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    {
        RpcClient rpc("http://127.0.0.1:" + std::to_string(port));
        for (int i = 0; i < 50; ++i) EXPECT_EQ(rpc.block_number(), 1u);
    }
    server.stop();
    t.join();
    EXPECT_EQ(ports.size(), 1u) << "every request should travel on the same kept-alive connection";
}

TEST(Transport, OversizedAnswerIsRefused) {
    ScriptedServer server([](const std::string&) { return std::make_pair(200, std::string(100000, ' ')); });
    HttpOptions options;
    options.max_response_bytes = 4096;
    RpcClient rpc(server.url(), options);
    EXPECT_THROW((void)rpc.block_number(), MalformedResponseError);
}

TEST(Transport, OneClientSharedByThreads) {
    // Threads share one client; their requests run in parallel on pooled connections, and every
    // thread gets its own answers.
    RpcClient rpc(shared_anvil().url());
    const std::uint64_t chain = rpc.chain_id();
    std::atomic<int> good{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t)
        threads.emplace_back([&] {
            for (int i = 0; i < 50; ++i) {
                const auto answers = rpc.batch(std::vector<RpcRequest>{{"eth_chainId", json::array()}, {"eth_blockNumber", json::array()}});
                if (decode_u64(answers[0].value(), "chain id") == chain && rpc.chain_id() == chain) ++good;
            }
        });
    for (auto& t : threads) t.join();
    EXPECT_EQ(good.load(), 200);
}
