/// A face calls the client from several threads at once (a GUI's worker pool reads while a write
/// is in flight). Run under ThreadSanitizer in CI (the tsan preset).
#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

#include "client_fixture.hpp"

namespace dossier::test {
namespace {

TEST(ClientThreads, EightReadersWhileAPatientWritesApprovesAndRevokes) {
    ClientFixture f;
    auto& c = f.client();
    auto house = f.doctor("dr-house");
    auto wilson = f.doctor("dr-wilson");
    auto alice = f.patient_of(*house, "alice");
    (void)alice->add_record(alice->address(), condition("Asthma"));

    std::atomic<bool> writing{true};
    std::atomic<int> reads{0};
    std::atomic<int> failures{0};
    std::vector<std::string> errors(8);
    std::vector<std::thread> readers;
    for (int t = 0; t < 8; ++t) {
        readers.emplace_back([&, t] {
            std::size_t seen = 0;  // records listed: never goes back
            try {
                while (writing.load()) {
                    switch (t % 4) {
                        case 0: {
                            const auto list = house->list_records(alice->address());
                            if (list.size() < seen) throw std::runtime_error("a listing lost records");
                            seen = list.size();
                            for (const auto& r : list)
                                if (!r.readable) throw std::runtime_error("unreadable: " + r.summary);
                            break;
                        }
                        case 1: (void)alice->show_record(alice->address(), 1); break;
                        case 2: (void)c.audit_trail(alice->address()); break;
                        case 3:
                            (void)c.access_requests(alice->address());
                            (void)c.patient(alice->address());
                            break;
                    }
                    ++reads;
                }
            } catch (const std::exception& e) {
                errors[static_cast<std::size_t>(t)] = e.what();
                ++failures;
            }
        });
    }

    // The writer: records by the patient and by the doctor, and a second doctor approved and
    // revoked (each revoke moves the patient to a new key epoch under the readers' feet).
    for (int round = 0; round < 3; ++round) {
        (void)alice->add_record(alice->address(), condition("Round " + std::to_string(round)));
        (void)house->add_record(alice->address(), condition("Doctor's round " + std::to_string(round)));
        wilson->request_access(alice->address());
        (void)alice->approve(wilson->address(), 30);
        const auto r = alice->revoke(wilson->address());
        EXPECT_EQ(r.kept.size(), 1u);  // the house keeps its access through every rotation
    }
    writing = false;
    for (auto& t : readers) t.join();

    for (const auto& e : errors) EXPECT_EQ(e, "");
    EXPECT_EQ(failures.load(), 0);
    EXPECT_GT(reads.load(), 8);
    const auto final_list = house->list_records(alice->address());
    EXPECT_EQ(final_list.size(), 7u);
    for (const auto& r : final_list) EXPECT_TRUE(r.readable) << r.summary;
    EXPECT_TRUE(c.verify_audit(alice->address()).ok);
}

TEST(ClientThreads, TwoAccountsWriteAtOnce) {
    ClientFixture f;
    auto house = f.doctor("dr-house");
    auto alice = f.patient_of(*house, "alice");
    auto bob = f.patient_of(*house, "bob");
    std::thread a([&] {
        for (int i = 0; i < 5; ++i) (void)alice->add_record(alice->address(), condition("A" + std::to_string(i)));
    });
    std::thread b([&] {
        for (int i = 0; i < 5; ++i) (void)house->add_record(bob->address(), condition("B" + std::to_string(i)));
    });
    for (int i = 0; i < 5; ++i) (void)house->add_record(alice->address(), condition("H" + std::to_string(i)));
    a.join();
    b.join();
    EXPECT_EQ(f.client().patient(alice->address()).records, 10u);
    EXPECT_EQ(f.client().patient(bob->address()).records, 5u);
}

}  // namespace
}  // namespace dossier::test
