/// Nothing about a patient in the clear on chain or in IPFS: after the demo (core::run_demo) on a
/// fresh embedded node, every transaction's calldata in every block, every log, the first storage
/// slots and the mapping slots of every account in every contract, the anvil state file, the
/// transaction journal and every block file of the IPFS store are scanned for the demo's names,
/// birth dates, phone numbers, diagnoses, drug names, note texts and file names, as text, as hex,
/// and as UTF-16 (both byte orders, and their hex). None may appear. Positive controls show that
/// the scan sees what is public by design (the doctor's plaintext profile, the accounts' addresses).
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "base/hex.hpp"
#include "dossier/accounts.hpp"
#include "dossier/demo.hpp"
#include "dossier/node.hpp"
#include "eth/keccak.hpp"
#include "support/anvil.hpp"
#include "support/process.hpp"

namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using namespace dossier;

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
}

std::string hex_of(std::string_view s) { return to_hex_raw(as_bytes(s)); }

std::string utf16(std::string_view s, bool little_endian) {
    std::string out;
    for (const char c : s) {
        if (little_endian) {
            out.push_back(c);
            out.push_back('\0');
        } else {
            out.push_back('\0');
            out.push_back(c);
        }
    }
    return out;
}

/// The forms in which a string could leak: as is and as UTF-16 LE/BE (matched case-insensitively:
/// haystacks are lowered too), and the hex of each of those in the original, lower and upper case.
std::vector<std::string> forms_of(const std::string& needle) {
    std::string upper = needle;
    std::transform(upper.begin(), upper.end(), upper.begin(), [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    std::vector<std::string> out;
    for (const auto& v : {needle, lower(needle), upper}) {
        out.push_back(lower(v));
        out.push_back(lower(utf16(v, true)));
        out.push_back(lower(utf16(v, false)));
        out.push_back(lower(hex_of(v)));
        out.push_back(lower(hex_of(utf16(v, true))));
        out.push_back(lower(hex_of(utf16(v, false))));
    }
    return out;
}

struct Haystack {
    std::string where;
    std::string data;  ///< lower-cased
};

/// Where `needle` appears (in any form), or "" if nowhere.
std::string find_leak(const std::vector<Haystack>& hay, const std::string& needle) {
    for (const auto& form : forms_of(needle))
        for (const auto& h : hay)
            if (h.data.find(form) != std::string::npos) return h.where;
    return {};
}

std::string read_file(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

json rpc(const std::string& url, const std::string& method, const json& params) {
    const json body{{"jsonrpc", "2.0"}, {"id", 1}, {"method", method}, {"params", params}};
    const auto r = json::parse(test::http_post_json(url, body.dump(), 20000));
    if (r.contains("error")) throw std::runtime_error(method + ": " + r["error"].dump());
    return r["result"];
}

std::string hex_bytes(const std::string& hex) {
    const Bytes b = from_hex(hex);
    return std::string(as_chars(b));
}

std::string hex_quantity(std::uint64_t n) {
    std::ostringstream s;
    s << "0x" << std::hex << n;
    return s.str();
}

TEST(PrivacyScan, MatcherSeesEveryEncoding) {
    const std::string name = "Chalmers";
    std::vector<Haystack> hay;
    hay.push_back({"hex", lower("0x00ff" + hex_of(name) + "00")});
    EXPECT_EQ(find_leak(hay, name), "hex");
    hay = {{"utf16", lower("xx" + utf16("CHALMERS", true) + "yy")}};
    EXPECT_EQ(find_leak(hay, name), "utf16");
    hay = {{"utf16hex", lower(hex_of(utf16(name, false)))}};
    EXPECT_EQ(find_leak(hay, name), "utf16hex");
    hay = {{"clean", lower("Chalmer s Chal-mers " + hex_of("Chalmer"))}};
    EXPECT_EQ(find_leak(hay, name), "");
}

TEST(PrivacyScan, NothingPrivateReachesTheChainOrTheStore) {
    test::TempDir dir;
    core::Config config;
    config.data_dir = dir.path();
    struct Down {
        core::Config c;
        ~Down() { (void)core::node_down(c); }
    } down{config};

    core::DemoOptions options;
    options.examples_dir = fs::path(test::source_dir()) / "node_modules" / "hl7.fhir.r4.examples";
    std::size_t steps = 0;
    const auto result = core::run_demo(config, options, [&](const core::DemoStep&) { ++steps; });
    ASSERT_TRUE(result.audit_verified);
    ASSERT_GT(steps, 20u);

    // What must not leak: the demo's own list, and what this test reads from the HL7 examples.
    std::vector<std::string> secrets = result.private_strings;
    for (const char* file : {"Patient-example.json", "Patient-f001.json", "Patient-genetics-example1.json"}) {
        const auto p = json::parse(read_file(options.examples_dir / file));
        secrets.push_back(p["birthDate"].get<std::string>());
        for (const auto& n : p["name"]) {
            if (n.contains("family")) secrets.push_back(n["family"].get<std::string>());
            for (const auto& g : n.value("given", json::array())) secrets.push_back(g.get<std::string>());
        }
    }
    // Very short strings (e.g. "Eve") match random ciphertext by chance; their longer forms
    // (the full names) are in the list.
    secrets.erase(std::remove_if(secrets.begin(), secrets.end(), [](const std::string& s) { return s.size() < 5; }),
                  secrets.end());
    ASSERT_GE(secrets.size(), 15u);
    for (const char* must : {"Chalmers", "1974-12-25", "Type 2 diabetes mellitus", "Metformin", "Penicillin",
                             "chalmers-hba1c-report-2026.pdf"})
        EXPECT_NE(std::find(secrets.begin(), secrets.end(), must), secrets.end()) << must;

    const auto status = core::node_status(config);
    ASSERT_TRUE(status.healthy());
    const std::string url = status.rpc_url;
    const auto& m = *status.manifest;

    std::vector<Haystack> chain;
    std::size_t transactions = 0, logs_seen = 0;
    // Every block, every transaction's calldata (decoded) and the raw responses.
    const auto latest = std::stoull(rpc(url, "eth_blockNumber", json::array()).get<std::string>(), nullptr, 16);
    for (std::uint64_t b = 0; b <= latest; ++b) {
        const auto block = rpc(url, "eth_getBlockByNumber", json::array({hex_quantity(b), true}));
        chain.push_back({"block " + std::to_string(b), lower(block.dump())});
        for (const auto& tx : block["transactions"]) {
            ++transactions;
            chain.push_back({"calldata of " + tx["hash"].get<std::string>(), lower(hex_bytes(tx["input"].get<std::string>()))});
        }
    }
    // Every log.
    const auto logs = rpc(url, "eth_getLogs", json::array({{{"fromBlock", "0x0"}, {"toBlock", "latest"}}}));
    std::string log_bytes;
    for (const auto& l : logs) {
        ++logs_seen;
        log_bytes += hex_bytes(l["data"].get<std::string>());
        for (const auto& t : l["topics"]) log_bytes += hex_bytes(t.get<std::string>());
    }
    chain.push_back({"logs", lower(log_bytes)});
    chain.push_back({"logs (json)", lower(logs.dump())});
    // Storage: the first slots of each contract and the mapping slots of every account.
    const auto accounts = core::list_accounts(config);
    std::string storage;
    for (const auto& contract : {m.patient, m.doctor, m.audit}) {
        std::vector<Bytes32> slots;
        for (std::uint8_t s = 0; s < 32; ++s) {
            Bytes32 slot{};
            slot[31] = s;
            slots.push_back(slot);
        }
        for (const auto& a : accounts) {
            for (std::uint8_t base = 0; base < 12; ++base) {
                Bytes key;
                append(key, a.address.to_word());
                Bytes32 p{};
                p[31] = base;
                append(key, p);
                auto slot = eth::keccak256(key);
                for (std::uint8_t off = 0; off < 4; ++off) {
                    slots.push_back(slot);
                    for (int i = 31; i >= 0 && ++slot[static_cast<std::size_t>(i)] == 0; --i) {
                    }
                }
            }
        }
        for (const auto& slot : slots)
            storage += hex_bytes(
                rpc(url, "eth_getStorageAt", json::array({contract.to_hex(), to_hex(slot), "latest"})).get<std::string>());
    }
    chain.push_back({"storage", lower(storage)});
    EXPECT_GE(transactions, 30u);
    EXPECT_GE(logs_seen, 40u);

    // Stop the node: anvil writes its state file; the journal stays.
    (void)core::node_down(config);
    const fs::path state = config.node_dir() / "chain" / "state.json";
    ASSERT_TRUE(fs::exists(state)) << state;
    chain.push_back({"anvil state file", lower(read_file(state))});
    const std::string state_text = chain.back().data;
    if (fs::exists(config.journal_file())) chain.push_back({"journal", lower(read_file(config.journal_file()))});

    std::vector<Haystack> store;
    std::size_t block_files = 0;
    for (const auto& e : fs::recursive_directory_iterator(config.ipfs_dir())) {
        if (!e.is_regular_file()) continue;
        ++block_files;
        store.push_back({e.path().string(), lower(read_file(e.path()))});
    }
    EXPECT_GE(block_files, 15u);

    // Positive controls: the scan sees public data where it is.
    EXPECT_NE(find_leak(store, "Careful"), "") << "the doctor's public profile should be in the store in clear";
    const auto patient_address = accounts.back().address;  // a demo patient
    bool address_seen = false;
    for (const auto& h : chain)
        address_seen |= h.data.find(lower(std::string(as_chars(patient_address.bytes)))) != std::string::npos;
    EXPECT_TRUE(address_seen);
    EXPECT_NE(state_text.find(m.patient.to_hex().substr(2)), std::string::npos) << "the state file names the contracts";

    // The data directory's own plaintext: the account index and the keystores' file names.
    std::vector<Haystack> local{{"accounts.json", lower(read_file(core::accounts_index_path(config)))}};
    for (const auto& e : fs::directory_iterator(config.keystore_dir()))
        local.push_back({"keystore name", lower(e.path().filename().string())});

    for (const auto& s : secrets) {
        EXPECT_EQ(find_leak(local, s), "") << "'" << s << "' is in the data directory in clear";
        EXPECT_EQ(find_leak(chain, s), "") << "'" << s << "' is on chain";
        EXPECT_EQ(find_leak(store, s), "") << "'" << s << "' is in the IPFS store";
    }
}

}  // namespace
