// A lying JSON-RPC node: the client talks to a real anvil through a proxy (tests/support/
// rpc_proxy) that rewrites chosen answers. Each lie (a log of another contract, a log with another
// topic, a log outside the asked blocks, a log twice, a log marked removed, a log that is not the
// event its topic names, a receipt of another transaction, another chain id) makes the operation
// fail with one clear error (tampered / UntrustedAnswer; deployment for the chain id), and the
// same operation through the same proxy with rewriting off succeeds, so each check is what makes
// the difference.
#include <gtest/gtest.h>

#include <cstdio>
#include <functional>
#include <memory>

#include "dossier/access.hpp"
#include "dossier/audit.hpp"
#include "dossier/doctors.hpp"
#include "dossier/index/index_db.hpp"
#include "dossier/index/index_sync.hpp"
#include "dossier/patients.hpp"
#include "eth/http_transport.hpp"
#include "fhir/builders.hpp"
#include "fixture.hpp"
#include "ipfs/local_content_store.hpp"
#include "support/error_code.hpp"
#include "support/rpc_proxy.hpp"

using namespace dossier;
using json = nlohmann::json;
using test::RpcRewriteProxy;

namespace {

constexpr const char* kStranger = "0x3333333333333333333333333333333333333333";

std::string quantity(std::uint64_t n) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "0x%llx", static_cast<unsigned long long>(n));
    return buf;
}

std::uint64_t from_quantity(const json& j) { return std::stoull(j.get<std::string>().substr(2), nullptr, 16); }

/// A rewrite of the eth_getLogs answers that hold at least one log: `change` gets the filter asked
/// and the array of logs.
RpcRewriteProxy::Rewrite on_logs(std::function<void(const json& filter, json& logs)> change) {
    return [change = std::move(change)](const json& request, json& response) {
        if (request.value("method", "") != "eth_getLogs") return false;
        const auto result = response.find("result");
        if (result == response.end() || !result->is_array() || result->empty()) return false;
        change(request.at("params").at(0), *result);
        return true;
    };
}

/// One lie about logs and the words the error must say.
struct LogLie {
    const char* name;
    RpcRewriteProxy::Rewrite rewrite;
    const char* says;
};

std::vector<LogLie> log_lies(const eth::Address& other) {
    return {
        {"a log of another contract", on_logs([](const json&, json& logs) { logs[0]["address"] = kStranger; }),
         "is not one the filter names"},
        {"a log with another patient's topic",
         on_logs([other](const json&, json& logs) { logs[0]["topics"][1] = to_hex(other.to_word()); }),
         "is not one the filter allows there"},
        {"a log after the last block asked",
         on_logs([](const json& filter, json& logs) {
             logs[0]["blockNumber"] = quantity(from_quantity(filter.at("toBlock")) + 1);
         }),
         "after the range's last block"},
        {"a log twice", on_logs([](const json&, json& logs) { logs.push_back(logs[0]); }), "appears twice"},
        {"a log marked removed", on_logs([](const json&, json& logs) { logs[0]["removed"] = true; }), "marked removed"},
        // Every log: the index skips events it does not keep, so the lie must reach one it keeps.
        {"a log that is not the event its topic names",
         on_logs([](const json&, json& logs) {
             for (auto& log : logs) log["data"] = "0x";
         }),
         "does not decode"},
    };
}

/// A deployment with a patient who has audit entries in several blocks (registered, two
/// requests), and a second Context that reaches the same anvil through the proxy.
struct LyingNode {
    test::CoreFixture f;
    RpcRewriteProxy proxy{f.anvil().url()};
    test::TempDir dir;
    eth::PrivateKey patient = f.funded_key();
    eth::PrivateKey doctor = f.funded_key();
    eth::PrivateKey other_doctor = f.funded_key();
    std::unique_ptr<core::Context> ctx;

    LyingNode() {
        auto& direct = f.ctx();
        fhir::PatientFields p;
        p.given_name = "Alice";
        p.family_name = "Martin";
        (void)core::register_patient(direct, patient, p);
        for (const auto* d : {&doctor, &other_doctor}) {
            (void)core::register_doctor(direct, *d, practitioner());
            core::verify_doctor(direct, f.admin(), d->address());
            core::request_access(direct, *d, patient.address());
        }
        core::Config config;
        config.data_dir = dir.path();
        config.rpc_url = proxy.url();
        ctx = std::make_unique<core::Context>(
            config, std::make_unique<eth::RpcClient>(std::make_unique<eth::HttpTransport>(proxy.url())),
            direct.manifest(), std::make_unique<ipfs::LocalContentStore>(config.ipfs_dir()), nullptr);
    }

    static fhir::PractitionerFields practitioner() {
        fhir::PractitionerFields pf;
        pf.given_name = "Jane";
        pf.family_name = "Smith";
        return pf;
    }
};

}  // namespace

TEST(LyingNode, EachLieAboutTheAuditTrailIsRefusedAndTheTruthIsRead) {
    LyingNode n;
    const auto truth = core::audit_history(n.f.ctx(), n.patient.address());
    ASSERT_GE(truth.size(), 3u);
    for (auto& lie : log_lies(n.doctor.address())) {
        SCOPED_TRACE(lie.name);
        const int before = n.proxy.rewritten();
        n.proxy.set_rewrite(lie.rewrite);
        const auto e = test::expect_code([&] { (void)core::audit_history(*n.ctx, n.patient.address()); },
                                         ErrorCode::tampered, "UntrustedAnswer");
        EXPECT_GT(n.proxy.rewritten(), before) << "the proxy told no lie";
        EXPECT_NE(test::message_of(e).find(lie.says), std::string::npos) << test::message_of(e);
        EXPECT_NE(test::message_of(e).find(n.proxy.url()), std::string::npos) << test::message_of(e);
        // The same reading through the same proxy telling the truth.
        n.proxy.set_rewrite({});
        const auto read = core::audit_history(*n.ctx, n.patient.address());
        ASSERT_EQ(read.size(), truth.size());
        for (std::size_t i = 0; i < read.size(); ++i) EXPECT_EQ(read[i].seq, truth[i].seq);
    }
}

TEST(LyingNode, TheIndexSyncRefusesALyingPageAndKeepsNothingOfIt) {
    LyingNode n;
    index::IndexDb db(std::filesystem::path(n.dir.path()) / "index" / "events.sqlite", n.f.ctx().manifest());
    eth::RpcClient rpc(n.proxy.url());
    // The index asks for every log of the three contracts: no topic is constrained, so a topic lie
    // is not the filter's to catch (the event's own shape is, "does not decode").
    for (auto& lie : log_lies(n.doctor.address())) {
        if (std::string(lie.name).find("topic") != std::string::npos) continue;
        SCOPED_TRACE(lie.name);
        const int before = n.proxy.rewritten();
        n.proxy.set_rewrite(lie.rewrite);
        const auto e =
            test::expect_code([&] { (void)index::sync(rpc, db); }, ErrorCode::tampered, "UntrustedAnswer");
        EXPECT_GT(n.proxy.rewritten(), before) << "the proxy told no lie";
        EXPECT_NE(test::message_of(e).find(lie.says), std::string::npos) << test::message_of(e);
        EXPECT_FALSE(db.tip()) << "a page of the lying answer was applied";
    }
    n.proxy.set_rewrite({});
    const auto report = index::sync(rpc, db);
    EXPECT_TRUE(report.complete);
    EXPECT_GE(report.events, 5u);  // 3 registrations' and 2 requests' entries at least
    ASSERT_TRUE(db.tip());
}

TEST(LyingNode, AReceiptOfAnotherTransactionIsRefused) {
    LyingNode n;
    n.proxy.set_rewrite([](const json& request, json& response) {
        if (request.value("method", "") != "eth_getTransactionReceipt") return false;
        const auto result = response.find("result");
        if (result == response.end() || result->is_null()) return false;
        (*result)["transactionHash"] = "0x" + std::string(64, 'a');
        return true;
    });
    const auto first = n.f.funded_key();
    const auto e = test::expect_code([&] { (void)core::register_doctor(*n.ctx, first, LyingNode::practitioner()); },
                                     ErrorCode::tampered, "UntrustedAnswer");
    EXPECT_GT(n.proxy.rewritten(), 0);
    EXPECT_NE(test::message_of(e).find("a receipt for another transaction"), std::string::npos) << test::message_of(e);
    n.proxy.set_rewrite({});
    const auto second = n.f.funded_key();
    const auto reg = core::register_doctor(*n.ctx, second, LyingNode::practitioner());
    EXPECT_NE(reg.tx_hash, Bytes32{});
}

TEST(LyingNode, AnotherChainIdSignsNothing) {
    LyingNode n;
    n.proxy.set_rewrite([](const json& request, json& response) {
        if (request.value("method", "") != "eth_chainId") return false;
        response["result"] = "0x1";
        return true;
    });
    const auto first = n.f.funded_key();
    const auto before = n.f.ctx().rpc().get_transaction_count(first.address());
    (void)test::expect_code([&] { (void)core::register_doctor(*n.ctx, first, LyingNode::practitioner()); },
                            ErrorCode::deployment);
    EXPECT_EQ(n.f.ctx().rpc().get_transaction_count(first.address()), before) << "a transaction was sent";
    n.proxy.set_rewrite({});
    (void)core::register_doctor(*n.ctx, first, LyingNode::practitioner());
    EXPECT_EQ(n.f.ctx().rpc().get_transaction_count(first.address()), before + 1);
}
