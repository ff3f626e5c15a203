/// The journey of the specification through the client API only: a doctor and a patient, a
/// request and an approval, records, a file, the audit trail; and reads that cost no gas.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "client_fixture.hpp"

namespace dossier::test {
namespace {

using client::Role;

std::size_t count_kind(const std::vector<client::AuditEntry>& trail, const std::string& kind) {
    std::size_t n = 0;
    for (const auto& e : trail) n += e.kind == kind;
    return n;
}

TEST(ClientWorkflow, DoctorAndPatientThroughTheClient) {
    ClientFixture f;
    auto& c = f.client();
    auto house = f.doctor("dr-house");
    auto alice = f.patient_of(*house, "alice");

    EXPECT_EQ(c.doctor(house->address()).status, client::DoctorStatus::verified);
    EXPECT_TRUE(c.patient(alice->address()).registered);
    const auto requests = c.access_requests(alice->address());
    ASSERT_EQ(requests.size(), 1u);
    EXPECT_EQ(requests[0].state, client::RequestState::approved);

    const auto w = house->add_record(alice->address(), condition("Type 2 diabetes mellitus"));
    EXPECT_EQ(w.record_id, 1u);
    EXPECT_EQ(w.kind, client::RecordKind::condition);

    // The patient reads its own record (nothing logged), the doctor reads it (logged once).
    const auto mine = alice->show_record(alice->address(), 1);
    EXPECT_EQ(mine.resource["code"]["text"], "Type 2 diabetes mellitus");
    EXPECT_NE(mine.summary.find("diabetes"), std::string::npos);
    const auto before = count_kind(c.audit_trail(alice->address()), "accessed");
    (void)house->show_record(alice->address(), 1);
    (void)house->show_record(alice->address(), 1);
    (void)house->list_records(alice->address());
    (void)house->list_records(alice->address());
    // One Accessed entry for the record and one for the listing, however often they are opened.
    EXPECT_EQ(count_kind(c.audit_trail(alice->address()), "accessed"), before + 2);

    // A new version, then a stale update is a conflict (nothing overwritten).
    client::RecordContent remission = condition("Type 2 diabetes mellitus");
    remission.fields->status = "remission";
    const auto v2 = house->update_record(alice->address(), 1, remission, 1);
    EXPECT_EQ(v2.version, 2u);
    (void)expect_code([&] { (void)alice->update_record(alice->address(), 1, remission, 1); }, ErrorCode::conflict);
    EXPECT_EQ(c.record_history(alice->address(), 1).size(), 2u);

    // A file, attached and fetched back; its type comes from its content.
    const auto path = std::filesystem::path(f.data_dir()) / "note.txt";
    std::ofstream(path) << "Blood pressure 120/80, measured at rest.\n";
    std::vector<client::Progress> seen;
    const auto att = house->attach_file(alice->address(), {1, path, "", "", "Measurement"},
                                        [&](const client::Progress& p) { seen.push_back(p); });
    EXPECT_EQ(att.record_id, 1u);
    EXPECT_EQ(att.content_type, "text/plain");  // read from the content by the library
    EXPECT_FALSE(seen.empty());
    const auto files = alice->list_files(alice->address(), 1);
    ASSERT_EQ(files.size(), 1u);
    ASSERT_TRUE(files[0].name);
    EXPECT_EQ(*files[0].name, "note.txt");
    const auto out = std::filesystem::path(f.data_dir()) / "out.txt";
    const auto fetched = house->fetch_file(alice->address(), 1, att.index, out);
    EXPECT_EQ(fetched.size, std::filesystem::file_size(path));

    const auto v = c.verify_audit(alice->address());
    EXPECT_TRUE(v.ok) << v.message;
    EXPECT_EQ(c.check_store(alice->address()).problems.size(), 0u);
}

TEST(ClientWorkflow, AccountsAndLabels) {
    ClientFixture f;
    auto& c = f.client();
    auto bob = f.account(Role::patient, "bob");
    EXPECT_EQ(c.resolve("bob"), bob->address());
    EXPECT_EQ(c.resolve(bob->address().checksum()), bob->address());
    EXPECT_EQ(c.display_name(bob->address()), "bob (" + bob->address().checksum() + ")");
    (void)expect_code([&] { (void)c.resolve("nobody"); }, ErrorCode::not_found);
    (void)expect_code([&] { (void)c.resolve("0x12"); }, ErrorCode::not_found);
    (void)expect_code([&] { (void)client::Address::from_hex("0x12"); }, ErrorCode::invalid_input);
    (void)expect_code([&] { (void)c.unlock("bob", "wrong password"); }, ErrorCode::wrong_password);
    (void)expect_code([&] { (void)c.create_account(Role::patient, "bob", "pw", {false}); }, ErrorCode::already_exists);
    // On a remote chain there is no dev account to fund from.
    const auto created = c.create_account(Role::doctor, "carol", "pw");
    EXPECT_FALSE(created.funded);
    (void)expect_code([&] { (void)c.fund_account(created.info.address, 1); }, ErrorCode::invalid_input);

    // A locked account refuses everything and holds no key.
    bob->lock();
    EXPECT_TRUE(bob->locked());
    (void)expect_code([&] { (void)bob->register_patient({"Bob Jones", "1975-06-30", "", "", ""}); }, ErrorCode::permission_denied);
}

// An account handed over as its QR code's text reads back as the same address; anything else is
// "not an address", never a different one.
TEST(ClientValues, AccountCodeText) {
    const auto a = client::Address::from_hex("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed");
    EXPECT_EQ(a.code(), "ethereum:0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed");
    EXPECT_EQ(client::Address::parse_code(a.code()), a);
    EXPECT_EQ(client::Address::parse_code("  ETHEREUM:0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed@1\n"), a);
    EXPECT_EQ(client::Address::parse_code("ethereum:pay-0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed"), a);
    EXPECT_EQ(client::Address::parse_code("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed"), a);
    EXPECT_FALSE(client::Address::parse_code("ethereum:"));
    EXPECT_FALSE(client::Address::parse_code("bitcoin:0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed"));
    // A mixed-case text with a broken checksum is a mistyped address.
    EXPECT_FALSE(client::Address::parse_code("ethereum:0x5AAeb6053F3E94C9b9A09f33669435E7Ef1BeAed"));
}

}  // namespace
}  // namespace dossier::test
