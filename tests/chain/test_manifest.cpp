#include <gtest/gtest.h>

#include "chain/manifest.hpp"
#include "support/process.hpp"

using namespace dossier;

TEST(Manifest, SavesAndLoads) {
    test::TempDir dir;
    chain::Manifest m;
    m.chain_id = 31337;
    m.deployment_block = 7;
    m.deployer = eth::Address::from_hex("0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266");
    m.audit = eth::Address::from_hex("0x5FbDB2315678afecb367f032d93F642f64180aa3");
    m.doctor = eth::Address::from_hex("0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512");
    m.patient = eth::Address::from_hex("0x9fE46736679d2D9a65F0992F2272dE9f3c7fa6e0");
    m.code_hashes["AuditContract"] = Bytes32{1};
    const auto file = std::filesystem::path(dir.path()) / "sub" / "manifest.json";
    m.save(file);
    const auto back = chain::Manifest::load(file);
    EXPECT_EQ(back.chain_id, 31337u);
    EXPECT_EQ(back.deployment_block, 7u);
    EXPECT_EQ(back.patient, m.patient);
    EXPECT_EQ(back.code_hashes.at("AuditContract"), m.code_hashes.at("AuditContract"));
}

TEST(Manifest, MalformedInputNamesTheProblem) {
    auto message = [](const std::string& text) {
        try {
            (void)chain::Manifest::from_json(text);
        } catch (const chain::ManifestError& e) {
            return std::string(e.what());
        }
        return std::string("no error");
    };
    EXPECT_NE(message("{").find("not valid JSON"), std::string::npos);
    EXPECT_NE(message(R"({"format":1})").find("chainId"), std::string::npos);
    EXPECT_NE(message(R"({"format":1,"chainId":1,"deploymentBlock":0,"deployer":"0x12","contracts":{}})").find("deployer"),
              std::string::npos);
    EXPECT_NE(message(R"({"format":2})").find("format"), std::string::npos);
    EXPECT_THROW((void)chain::Manifest::load("/nonexistent/manifest.json"), chain::ManifestError);
}
