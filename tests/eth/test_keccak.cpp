#include <gtest/gtest.h>

#include <random>

#include "base/hex.hpp"
#include "eth/keccak.hpp"
#include "support/process.hpp"

using namespace dossier;
using dossier::eth::keccak256;

TEST(Keccak, KnownVectors) {
    EXPECT_EQ(to_hex(keccak256({})), "0xc5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470");
    EXPECT_EQ(to_hex(keccak256(as_bytes("abc"))),
              "0x4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45");
    // Solidity event topic of Transfer(address,address,uint256).
    EXPECT_EQ(to_hex(keccak256(as_bytes("Transfer(address,address,uint256)"))),
              "0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef");
}

TEST(Keccak, IncrementalEqualsOneShotAtEveryBoundary) {
    Bytes data(1000);
    for (std::size_t i = 0; i < data.size(); ++i) data[i] = static_cast<std::uint8_t>(i * 7 + 3);
    for (std::size_t len : {0, 1, 135, 136, 137, 271, 272, 273, 1000}) {
        const ByteView whole(data.data(), len);
        for (std::size_t split : {std::size_t{0}, std::size_t{1}, len / 2, len}) {
            if (split > len) continue;
            eth::Keccak256 h;
            h.update(whole.subspan(0, split));
            h.update(whole.subspan(split));
            EXPECT_EQ(h.final(), keccak256(whole)) << "len " << len << " split " << split;
        }
    }
}

// Differential test against foundry's cast: 1,000 random inputs of random length (0..600 bytes,
// covering several rate boundaries), one `cast keccak` each, driven by one shell script on stdin.
TEST(Keccak, MatchesCastOnRandomInputs) {
    std::mt19937_64 rng(12345);
    std::vector<Bytes> inputs;
    std::string script;
    for (int i = 0; i < 1000; ++i) {
        Bytes b(rng() % 600);
        for (auto& x : b) x = static_cast<std::uint8_t>(rng());
        script += "\"$1\" keccak " + to_hex(b) + "\n";
        inputs.push_back(std::move(b));
    }
    const std::string out = test::run_ok({"sh", "-s", test::foundry_tool("cast")}, script, std::chrono::minutes(5));
    std::size_t pos = 0;
    for (std::size_t i = 0; i < inputs.size(); ++i) {
        const std::size_t nl = out.find('\n', pos);
        const std::string line = out.substr(pos, nl == std::string::npos ? std::string::npos : nl - pos);
        ASSERT_EQ(to_hex(keccak256(inputs[i])), line) << "input " << to_hex(inputs[i]);
        pos = nl + 1;
    }
}
