#include <gtest/gtest.h>

#include "base/hex.hpp"
#include "chain/contracts_client.hpp"
#include "eth/http_transport.hpp"
#include "support/anvil.hpp"

using namespace dossier;
using chain::Value;
namespace gen = dossier::chain::gen;

namespace {
struct Deployed {
    test::Anvil anvil;
    eth::RpcClient rpc{std::make_unique<eth::HttpTransport>(anvil.url())};
    eth::TxSender admin{rpc, eth::PrivateKey::from_hex(test::Anvil::kDevKey)};
    chain::Manifest manifest = chain::deploy_contracts(rpc, admin, admin.address());
    chain::ContractsClient contracts{rpc, manifest};
};
}  // namespace

TEST(ContractsClient, DeploysVerifiesCallsAndReadsEvents) {
    Deployed d;
    EXPECT_EQ(d.manifest.chain_id, test::Anvil::kChainId);
    EXPECT_NO_THROW(d.contracts.verify_deployment());
    // The generated bindings and the deployed code agree on who is who.
    EXPECT_EQ(d.contracts.view(d.manifest.patient, gen::PatientContract::fn::DOCTORS, gen::PatientContract::returns::DOCTORS, {})
                  .at(0).as_address(),
              d.manifest.doctor);
    EXPECT_EQ(d.contracts.view(d.manifest.doctor, gen::DoctorContract::fn::owner, gen::DoctorContract::returns::owner, {})
                  .at(0).as_address(),
              d.admin.address());

    // A doctor registers with its public key; the event carries it back.
    auto doctor_key = eth::PrivateKey::generate();
    eth::TxRequest fund;
    fund.to = doctor_key.address();
    fund.value = eth::U256(1'000'000'000'000'000'000ULL);
    (void)d.admin.send_and_wait(fund);
    const auto pub = doctor_key.public_key().bytes();
    eth::TxSender doctor(d.rpc, std::move(doctor_key));
    const Value args[] = {Value::bytes(Bytes(pub.begin(), pub.end())), Value::fixed_bytes(Bytes(32, 0xab))};
    const auto receipt = d.contracts.transact(doctor, d.manifest.doctor, gen::DoctorContract::fn::registerDoctor, args);
    EXPECT_TRUE(receipt.success);
    const auto events = d.contracts.events(d.manifest.doctor, gen::DoctorContract::ev::DoctorRegistered,
                                           {chain::address_topic(doctor.address())});
    ASSERT_EQ(events.size(), 1u);
    EXPECT_EQ(events[0].values.at(0).as_address(), doctor.address());
    EXPECT_EQ(events[0].values.at(1).as_bytes(), Bytes(pub.begin(), pub.end()));

    // A second registration reverts with the contract's custom error, decoded by name.
    try {
        (void)d.contracts.transact(doctor, d.manifest.doctor, gen::DoctorContract::fn::registerDoctor, args);
        FAIL() << "a second registration must revert";
    } catch (const eth::RevertedError& e) {
        EXPECT_EQ(e.code(), ErrorCode::reverted);
        EXPECT_EQ(e.detail(), "AlreadyRegistered") << e.what();
    }
}

TEST(ContractsClient, VerifyDeploymentCatchesAWrongChain) {
    Deployed d;
    chain::Manifest wrong = d.manifest;
    wrong.chain_id = 1;
    chain::ContractsClient c1(d.rpc, wrong);
    EXPECT_THROW(c1.verify_deployment(), chain::ManifestError);
    wrong = d.manifest;
    wrong.patient = eth::Address::from_hex("0x000000000000000000000000000000000000dEaD");
    chain::ContractsClient c2(d.rpc, wrong);
    EXPECT_THROW(c2.verify_deployment(), chain::ManifestError);
}
