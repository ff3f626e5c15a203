/// The local index through the client API, on a real anvil: lists and history answer from it, it
/// follows the chain incrementally, pages and filters, a doctor finds patients by name, and a
/// reorganisation (evm_revert, anvil_rollback) leaves no stale record, grant or entry behind.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <set>

#include "client_fixture.hpp"

namespace dossier::test {
namespace {

std::size_t count_kind(const std::vector<client::AuditEntry>& trail, const std::string& kind) {
    std::size_t n = 0;
    for (const auto& e : trail) n += e.kind == kind;
    return n;
}

std::uint64_t head(ClientFixture& f) { return std::stoull(f.rpc("eth_blockNumber").substr(1, std::string::npos), nullptr, 16); }

/// Every page of a query, following the cursors.
std::vector<client::AuditEntry> all_pages(client::Client& c, client::HistoryQuery q) {
    std::vector<client::AuditEntry> out;
    for (int guard = 0; guard < 1000; ++guard) {
        const auto page = c.history(q);
        out.insert(out.end(), page.entries.begin(), page.entries.end());
        if (!page.next) return out;
        q.after = page.next;
    }
    ADD_FAILURE() << "paging did not end";
    return out;
}

TEST(ClientIndex, FollowsTheChainAndAnswersListsAndHistory) {
    ClientFixture f;
    auto& c = f.client();
    auto house = f.doctor("dr-house");
    auto wilson = f.doctor("dr-wilson");
    auto alice = f.patient_of(*house, "alice");
    auto bob = f.patient_of(*house, "bob", 1);
    auto carol = f.patient("carol");
    wilson->request_access(alice->address());
    house->request_access(carol->address());
    alice->deny(wilson->address());
    (void)house->add_record(alice->address(), condition("Asthma"));
    (void)house->show_record(alice->address(), 1);

    // The first read syncs the whole chain; the index's tip is the head.
    const auto trail = c.audit_trail(alice->address());
    auto st = c.index_status();
    ASSERT_TRUE(st.tip);
    EXPECT_EQ(*st.tip, head(f));
    EXPECT_EQ(st.lag, 0u);
    EXPECT_GT(st.events, trail.size());
    EXPECT_TRUE(std::filesystem::exists(st.file));
    EXPECT_EQ(count_kind(trail, "accessed"), 1u);
    EXPECT_TRUE(c.verify_audit_from_index(alice->address()).ok);

    // Incremental: a later write appears at the next read, nothing twice.
    (void)house->add_record(alice->address(), condition("Hay fever"));
    const auto again = c.audit_trail(alice->address());
    EXPECT_EQ(again.size(), trail.size() + 1);
    std::set<std::uint64_t> seqs;
    for (const auto& e : again) seqs.insert(e.seq);
    EXPECT_EQ(seqs.size(), again.size());
    EXPECT_EQ(*seqs.rbegin(), again.size());

    // Paging: pages of 2 cover the trail exactly once, newest first.
    client::HistoryQuery q;
    q.patient = alice->address();
    q.limit = 2;
    const auto paged = all_pages(c, q);
    ASSERT_EQ(paged.size(), again.size());
    for (std::size_t i = 1; i < paged.size(); ++i) EXPECT_GT(paged[i - 1].seq, paged[i].seq);

    // Filters: kind, actor, time; a doctor's history across patients.
    q = {};
    q.patient = alice->address();
    q.kind = "record-added";
    EXPECT_EQ(all_pages(c, q).size(), 2u);
    q = {};
    q.actor = house->address();
    const auto by_house = all_pages(c, q);
    std::set<client::Address> patients;
    for (const auto& e : by_house) {
        EXPECT_EQ(e.actor, house->address());
        patients.insert(e.patient);
    }
    EXPECT_EQ(patients, (std::set<client::Address>{alice->address(), bob->address(), carol->address()}));
    q.patient = carol->address();
    EXPECT_EQ(all_pages(c, q).size(), 1u);
    q = {};
    q.patient = alice->address();
    q.since = again.back().timestamp + 1;
    EXPECT_TRUE(all_pages(c, q).empty());
    q.since.reset();
    q.until = again.back().timestamp - 1;  // before the newest second: it and its peers drop out
    const auto until = all_pages(c, q);
    EXPECT_LT(until.size(), again.size());
    for (const auto& e : until) EXPECT_LE(e.timestamp, *q.until);
    q = {};
    q.patient = alice->address();
    q.kind = "no-such-kind";
    (void)expect_code([&] { (void)c.history(q); }, ErrorCode::invalid_input);
    q.kind.reset();
    q.after = "yesterday";
    (void)expect_code([&] { (void)c.history(q); }, ErrorCode::invalid_input);
    (void)expect_code([&] { (void)c.history(client::HistoryQuery{}); }, ErrorCode::invalid_input);

    // The doctor's patients: approved, expiring, pending; wilson's denial.
    f.advance_time(2 * 86400);  // bob's one-day approval expires
    std::map<client::Address, client::RequestState> states;
    for (const auto& p : c.doctor_patients(house->address())) states[p.patient] = p.grant.state;
    EXPECT_EQ(states[alice->address()], client::RequestState::approved);
    EXPECT_EQ(states[bob->address()], client::RequestState::expired);
    EXPECT_EQ(states[carol->address()], client::RequestState::pending);
    const auto wilsons = c.doctor_patients(wilson->address());
    ASSERT_EQ(wilsons.size(), 1u);
    EXPECT_EQ(wilsons[0].grant.state, client::RequestState::denied);

    // The patient's Home in one call.
    const auto home = c.patient_home(carol->address(), 5);
    ASSERT_EQ(home.pending.size(), 1u);
    EXPECT_EQ(home.pending[0].doctor, house->address());
    EXPECT_TRUE(home.active.empty());
    const auto alice_home = c.patient_home(alice->address(), 3);
    ASSERT_EQ(alice_home.active.size(), 1u);
    EXPECT_GT(alice_home.active[0].expiry, 0u);
    EXPECT_EQ(alice_home.recent.size(), 3u);
}

TEST(ClientIndex, DoctorSearchesPatientsAndNoNameReachesTheDisk) {
    ClientFixture f;
    auto house = f.doctor("dr-house");
    auto zoe = f.account(client::Role::patient, "p1");
    (void)zoe->register_patient(client::PatientProfile{"Zoë Ångström", "1980-02-01", "female", "", ""});
    house->request_access(zoe->address());
    (void)zoe->approve(house->address(), 30);
    auto other = f.account(client::Role::patient, "p2");
    (void)other->register_patient(client::PatientProfile{"Quentin Blake", "1932-10-16", "male", "", ""});
    house->request_access(other->address());  // pending: its profile is not readable yet

    auto hits = house->search_patients("zoe ang");
    ASSERT_EQ(hits.size(), 1u);
    EXPECT_EQ(hits[0].patient, zoe->address());
    EXPECT_EQ(hits[0].name, "Zoë Ångström");
    EXPECT_EQ(hits[0].state, client::RequestState::approved);
    EXPECT_EQ(house->search_patients("ANGSTRÖM").size(), 1u);
    EXPECT_EQ(house->search_patients("1980").size(), 1u);
    EXPECT_TRUE(house->search_patients("quentin").empty());  // no key for a pending patient's profile
    EXPECT_EQ(house->search_patients(other->address().hex().substr(0, 10)).size(), 1u);
    EXPECT_TRUE(house->search_patients("nobody").empty());

    // Approval brings the key: the name becomes searchable.
    (void)other->approve(house->address(), 30);
    EXPECT_EQ(house->search_patients("quen").size(), 1u);

    // No decrypted name anywhere in the data directory (index, journal, accounts...).
    for (const auto& entry : std::filesystem::recursive_directory_iterator(f.data_dir())) {
        if (!entry.is_regular_file()) continue;
        std::ifstream in(entry.path(), std::ios::binary);
        const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        for (const std::string name : {"Zoë", "Ångström", "Angstrom", "Quentin", "Blake"})
            EXPECT_EQ(bytes.find(name), std::string::npos) << name << " in " << entry.path();
    }
}

TEST(ClientIndex, ReorganisationsLeaveNothingStale) {
    ClientFixture f;
    auto& c = f.client();
    auto house = f.doctor("dr-house");
    auto alice = f.patient_of(*house, "alice");
    auto bob = f.patient("bob");
    house->request_access(bob->address());
    (void)c.sync_index();

    // A record, an approval and a read that a reorganisation will take back (evm_revert).
    const std::string snapshot = f.rpc("evm_snapshot");
    (void)house->add_record(alice->address(), condition("Fractured wrist"));
    (void)bob->approve(house->address(), 30);
    (void)house->show_record(alice->address(), 1);
    const auto before = c.audit_trail(alice->address());
    EXPECT_EQ(count_kind(before, "record-added"), 1u);
    EXPECT_EQ(c.access_requests(bob->address()).at(0).state, client::RequestState::approved);

    f.rpc("evm_revert", "[" + snapshot + "]");
    // What replaced it: a different record by the patient itself, on a chain as long as before.
    (void)alice->add_record(alice->address(), condition("Sprained ankle"));
    for (int i = 0; i < 3; ++i) f.rpc("evm_mine");

    const auto after = c.audit_trail(alice->address());
    EXPECT_EQ(count_kind(after, "record-added"), 1u);
    EXPECT_EQ(count_kind(after, "accessed"), 0u);
    const auto added = std::find_if(after.begin(), after.end(), [](const auto& e) { return e.kind == "record-added"; });
    ASSERT_NE(added, after.end());
    EXPECT_EQ(added->actor, alice->address());  // the replacement, not the rolled-back one
    EXPECT_EQ(c.access_requests(bob->address()).at(0).state, client::RequestState::pending);
    const auto st = c.index_status();
    ASSERT_TRUE(st.last_reorg);
    EXPECT_NE(st.last_reorg->find("replaced"), std::string::npos) << *st.last_reorg;
    EXPECT_TRUE(c.verify_audit_from_index(alice->address()).ok);

    // A shorter chain (anvil_rollback): the newest entries disappear from every list. (Accounts
    // that wrote in the reverted blocks hold nonces the chain forgot, so new ones act here.)
    auto wilson = f.doctor("dr-wilson");
    auto carol = f.patient("carol");
    wilson->request_access(carol->address());
    (void)carol->approve(wilson->address(), 30);
    EXPECT_EQ(c.patient_home(carol->address()).active.size(), 1u);
    f.rpc("anvil_rollback", "[1]");
    EXPECT_TRUE(c.patient_home(carol->address()).active.empty());
    EXPECT_EQ(c.patient_home(carol->address()).pending.size(), 1u);
    EXPECT_EQ(c.doctor_patients(wilson->address()).at(0).grant.state, client::RequestState::pending);
    EXPECT_TRUE(c.verify_audit_from_index(carol->address()).ok);
}

}  // namespace
}  // namespace dossier::test
