/// Notifications: a patient's screen learns of a new request, a doctor's of an approval, while
/// they happen; a destroyed handler stops.
#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>

#include "client_fixture.hpp"

namespace dossier::test {
namespace {

using namespace std::chrono_literals;

/// Collects events from the client's thread.
struct Inbox {
    std::mutex m;
    std::condition_variable cv;
    std::vector<client::Event> events;

    client::EventFn sink() {
        return [this](const client::Event& e) {
            const std::lock_guard lock(m);
            events.push_back(e);
            cv.notify_all();
        };
    }
    /// Waits until an event of `kind` arrived; returns it.
    std::optional<client::Event> wait_for(client::EventKind kind, std::chrono::milliseconds timeout = 10s) {
        std::unique_lock lock(m);
        std::optional<client::Event> found;
        cv.wait_for(lock, timeout, [&] {
            for (const auto& e : events)
                if (e.kind == kind) found = e;
            return found.has_value();
        });
        return found;
    }
    std::size_t size() {
        const std::lock_guard lock(m);
        return events.size();
    }
};

std::uint64_t block_number(ClientFixture& f) {
    const auto hex = f.rpc("eth_blockNumber");
    return std::stoull(hex.substr(1, hex.size() - 2), nullptr, 16);
}

TEST(ClientWatch, PatientSeesARequestWithinTwoBlocksAndDoctorSeesTheApproval) {
    ClientFixture f;
    auto house = f.doctor("dr-house");
    auto alice = f.patient("alice");
    Inbox patient_inbox, doctor_inbox;
    auto patient_watch = f.client().watch({alice->address(), std::nullopt}, patient_inbox.sink(), 50ms);
    auto doctor_watch = f.client().watch({std::nullopt, house->address()}, doctor_inbox.sink(), 50ms);
    std::this_thread::sleep_for(200ms);  // both have seen the current head

    house->request_access(alice->address());
    const auto asked_at = block_number(f);
    const auto request = patient_inbox.wait_for(client::EventKind::access_requested);
    ASSERT_TRUE(request.has_value());
    EXPECT_EQ(request->patient, alice->address());
    ASSERT_TRUE(request->doctor.has_value());
    EXPECT_EQ(*request->doctor, house->address());
    EXPECT_LE(block_number(f), asked_at + 2);  // seen before two more blocks were mined

    (void)alice->approve(house->address(), 30);
    const auto approval = doctor_inbox.wait_for(client::EventKind::access_approved);
    ASSERT_TRUE(approval.has_value());
    EXPECT_EQ(approval->patient, alice->address());

    // Another patient's events do not reach alice's handler.
    auto bob = f.patient("bob");
    house->request_access(bob->address());
    {
        // The doctor's handler sees its request to bob; by then alice's has polled past it.
        std::unique_lock lock(doctor_inbox.m);
        EXPECT_TRUE(doctor_inbox.cv.wait_for(lock, 10s, [&] {
            for (const auto& e : doctor_inbox.events)
                if (e.kind == client::EventKind::access_requested && e.patient == bob->address()) return true;
            return false;
        }));
    }
    std::this_thread::sleep_for(300ms);
    {
        const std::lock_guard lock(patient_inbox.m);
        for (const auto& e : patient_inbox.events) EXPECT_EQ(e.patient, alice->address()) << e.text;
    }

    // Destroyed, a handler reports nothing more.
    patient_watch.reset();
    const auto before = patient_inbox.size();
    (void)alice->add_record(alice->address(), condition("Asthma"));
    std::this_thread::sleep_for(400ms);
    EXPECT_EQ(patient_inbox.size(), before);
}

TEST(ClientWatch, NodeDownAndBackAreReported) {
    ClientFixture f;
    Inbox inbox;
    auto watch = f.client().watch({}, inbox.sink(), 50ms);
    std::this_thread::sleep_for(200ms);
    f.anvil().process().stop();  // the chain stops answering
    EXPECT_TRUE(inbox.wait_for(client::EventKind::node_down).has_value());
}

}  // namespace
}  // namespace dossier::test
