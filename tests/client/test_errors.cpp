/// Every refusal a face meets maps to an ErrorCode it can act on: the tests assert codes, never
/// English text.
#include <gtest/gtest.h>

#include <filesystem>
#include <set>

#include "client_fixture.hpp"
#include "support/store_tamper.hpp"

namespace dossier::test {
namespace {

namespace fs = std::filesystem;
using client::Role;

TEST(ClientErrors, StrangerAndUnverifiedDoctorsArePermissionDenied) {
    ClientFixture f;
    auto house = f.doctor("dr-house");
    auto alice = f.patient("alice");
    // A verified doctor without a grant writes and reads nothing.
    (void)expect_code([&] { (void)house->add_record(alice->address(), condition("Flu")); }, ErrorCode::permission_denied);
    (void)alice->add_record(alice->address(), condition("Asthma"));
    (void)expect_code([&] { (void)house->show_record(alice->address(), 1); }, ErrorCode::permission_denied);
    // A registered but unverified doctor may not ask.
    auto wilson = f.account(Role::doctor, "dr-wilson");
    (void)wilson->register_doctor({"James Wilson", "Oncology", "NJ-2", "", ""});
    (void)expect_code([&] { wilson->request_access(alice->address()); }, ErrorCode::permission_denied);
}

TEST(ClientErrors, ExpiredGrantIsAccessExpired) {
    ClientFixture f;
    auto house = f.doctor("dr-house");
    auto alice = f.patient_of(*house, "alice", 1);
    (void)house->add_record(alice->address(), condition("Flu"));
    f.advance_time(2 * 86400);
    (void)expect_code([&] { (void)house->add_record(alice->address(), condition("Cough")); }, ErrorCode::access_expired);
    (void)expect_code([&] { (void)house->show_record(alice->address(), 1); }, ErrorCode::access_expired);
}

TEST(ClientErrors, SuspendedDoctorIsSuspended) {
    ClientFixture f;
    auto house = f.doctor("dr-house");
    auto alice = f.patient_of(*house, "alice");
    f.admin().suspend_doctor(house->address());
    (void)expect_code([&] { (void)house->add_record(alice->address(), condition("Flu")); }, ErrorCode::suspended);
    auto bob = f.patient("bob");
    (void)expect_code([&] { house->request_access(bob->address()); }, ErrorCode::suspended);
}

TEST(ClientErrors, WrongPasswordUnknownAccountUnknownRecord) {
    ClientFixture f;
    auto alice = f.patient("alice");
    (void)expect_code([&] { (void)f.client().unlock("alice", "not the password"); }, ErrorCode::wrong_password);
    (void)expect_code([&] { (void)f.client().unlock("nobody", "x"); }, ErrorCode::not_found);
    (void)expect_code([&] { (void)alice->show_record(alice->address(), 99); }, ErrorCode::not_found);
    (void)expect_code([&] { (void)f.client().record_history(alice->address(), 99); }, ErrorCode::not_found);
}

TEST(ClientErrors, ApprovingADoctorThatNeverAskedIsNotFound) {
    ClientFixture f;
    auto house = f.doctor("dr-house");
    auto alice = f.patient("alice");
    // No pending request (the contract's NoPendingRequest; the library checks before sending).
    (void)expect_code([&] { (void)alice->approve(house->address(), 30); }, ErrorCode::not_found);
    EXPECT_EQ(f.client().access_requests(alice->address()).size(), 0u);
}

TEST(ClientErrors, TamperedObjectIsTampered) {
    ClientFixture f;
    auto alice = f.patient("alice");
    const fs::path blocks = fs::path(f.data_dir()) / "ipfs";
    const auto before = files_under(blocks);
    (void)alice->add_record(alice->address(), condition("Migraine"));
    ASSERT_GT(alter_new_blocks(blocks, before), 0u) << "no new block file found under " << blocks;
    (void)expect_code([&] { (void)alice->show_record(alice->address(), 1); }, ErrorCode::tampered);
}

}  // namespace
}  // namespace dossier::test
