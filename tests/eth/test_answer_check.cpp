// What an eth_getLogs or eth_getTransactionReceipt answer must satisfy to answer the question
// asked (eth/answer_check.hpp), on crafted answers: each check refuses what it is for and lets a
// faithful answer through, so that a lying node's answer is refused whole and a true one is not.
#include <gtest/gtest.h>

#include "eth/answer_check.hpp"
#include "eth/rpc_error.hpp"
#include "support/error_code.hpp"

using namespace dossier;
using namespace dossier::eth;

namespace {

Bytes32 word(std::uint8_t b) {
    Bytes32 w{};
    w.fill(b);
    return w;
}

const Address kA = Address::from_hex("0x1111111111111111111111111111111111111111");
const Address kB = Address::from_hex("0x2222222222222222222222222222222222222222");
const Address kStranger = Address::from_hex("0x3333333333333333333333333333333333333333");

Log log_at(const Address& a, std::vector<Bytes32> topics, std::uint64_t block, std::uint64_t index) {
    Log l;
    l.address = a;
    l.topics = std::move(topics);
    l.block_number = block;
    l.block_hash = word(static_cast<std::uint8_t>(block));
    l.transaction_hash = word(0xee);
    l.log_index = index;
    return l;
}

/// Addresses {A, B}; topic 0 one of {1, 2}; topic 1 anything; topic 2 exactly 7.
LogFilter filter() {
    LogFilter f;
    f.addresses = {kA, kB};
    f.topics = {std::vector<Bytes32>{word(1), word(2)}, std::nullopt, std::vector<Bytes32>{word(7)}};
    return f;
}

void expect_refused(const std::vector<Log>& logs, const LogFilter& f, const BlockRef& from, const BlockRef& to,
                    const std::string& says) {
    const auto e = test::expect_code([&] { check_logs_answer(logs, f, from, to, "http://node"); }, ErrorCode::tampered,
                                     "UntrustedAnswer");
    const std::string m = test::message_of(e);
    EXPECT_NE(m.find("http://node"), std::string::npos) << m;
    EXPECT_NE(m.find(says), std::string::npos) << m;
}

}  // namespace

TEST(AnswerCheck, AFaithfulAnswerPasses) {
    const std::vector<Log> logs = {log_at(kA, {word(1), word(9), word(7)}, 10, 0),
                                   log_at(kB, {word(2), word(8), word(7), word(5)}, 10, 1),
                                   log_at(kA, {word(1), word(0), word(7)}, 12, 0)};
    EXPECT_NO_THROW(check_logs_answer(logs, filter(), BlockRef::number(10), BlockRef::number(12), "http://node"));
    EXPECT_NO_THROW(check_logs_answer({}, filter(), BlockRef::number(10), BlockRef::number(12), "http://node"));
    // A filter with no address and no topics takes anything in range.
    EXPECT_NO_THROW(check_logs_answer(logs, LogFilter{}, BlockRef::number(10), BlockRef::number(12), "http://node"));
    // Tags: the range's number is the node's, so only the numeric end is checked.
    EXPECT_NO_THROW(check_logs_answer(logs, filter(), BlockRef::earliest(), BlockRef::latest(), "http://node"));
    EXPECT_FALSE(BlockRef::latest().as_number());
    EXPECT_EQ(BlockRef::number(12).as_number(), std::optional<std::uint64_t>(12));
}

TEST(AnswerCheck, ALogOfAnotherAddressIsRefused) {
    expect_refused({log_at(kA, {word(1), word(9), word(7)}, 10, 0), log_at(kStranger, {word(1), word(9), word(7)}, 10, 1)},
                   filter(), BlockRef::number(10), BlockRef::number(12), "not one the filter names");
}

TEST(AnswerCheck, ALogWithAWrongTopicIsRefused) {
    // Outside the OR-list of position 0.
    expect_refused({log_at(kA, {word(3), word(9), word(7)}, 10, 0)}, filter(), BlockRef::number(10),
                   BlockRef::number(12), "topic 0");
    // Position 2 is exact.
    expect_refused({log_at(kA, {word(1), word(9), word(6)}, 10, 0)}, filter(), BlockRef::number(10),
                   BlockRef::number(12), "topic 2");
    // Too few topics for a constrained position.
    expect_refused({log_at(kA, {word(1), word(9)}, 10, 0)}, filter(), BlockRef::number(10), BlockRef::number(12),
                   "constrains topic 2");
    // A null position (1) and an empty list take anything, also a log without that topic.
    LogFilter open;
    open.topics = {std::nullopt, std::vector<Bytes32>{}};
    EXPECT_NO_THROW(check_logs_answer(std::vector<Log>{log_at(kA, {}, 10, 0)}, open, BlockRef::number(10),
                                      BlockRef::number(10), "http://node"));
}

TEST(AnswerCheck, ALogOutsideTheRangeIsRefused) {
    expect_refused({log_at(kA, {word(1), word(9), word(7)}, 9, 0)}, filter(), BlockRef::number(10), BlockRef::number(12),
                   "before the range's first block 10");
    expect_refused({log_at(kA, {word(1), word(9), word(7)}, 13, 0)}, filter(), BlockRef::number(10),
                   BlockRef::number(12), "after the range's last block 12");
    expect_refused({log_at(kA, {word(1), word(9), word(7)}, 13, 0)}, filter(), BlockRef::latest(), BlockRef::number(12),
                   "after the range's last block 12");
}

TEST(AnswerCheck, ARepeatedLogIsRefused) {
    const Log once = log_at(kA, {word(1), word(9), word(7)}, 10, 4);
    expect_refused({once, log_at(kA, {word(1), word(8), word(7)}, 11, 4), once}, filter(), BlockRef::number(10),
                   BlockRef::number(12), "appears twice");
    // The same index in another block is another log.
    EXPECT_NO_THROW(check_logs_answer(std::vector<Log>{once, log_at(kA, {word(1), word(9), word(7)}, 11, 4)}, filter(),
                                      BlockRef::number(10), BlockRef::number(12), "http://node"));
}

TEST(AnswerCheck, ARemovedLogIsRefused) {
    Log removed = log_at(kA, {word(1), word(9), word(7)}, 10, 0);
    removed.removed = true;
    expect_refused({removed}, filter(), BlockRef::number(10), BlockRef::number(12), "marked removed");
    EXPECT_TRUE(log_mismatch(removed, LogFilter{}, std::nullopt, std::nullopt));
}

TEST(AnswerCheck, AReceiptMustBeTheOneAskedFor) {
    Receipt r;
    r.transaction_hash = word(0xee);
    r.block_hash = word(10);
    r.block_number = 10;
    r.logs = {log_at(kA, {}, 10, 0), log_at(kB, {}, 10, 1)};
    EXPECT_NO_THROW(check_receipt_answer(r, word(0xee), "http://node"));
    auto refused = [&](const Receipt& bad, const Bytes32& asked, const std::string& says) {
        const auto e = test::expect_code([&] { check_receipt_answer(bad, asked, "http://node"); }, ErrorCode::tampered,
                                         "UntrustedAnswer");
        EXPECT_NE(test::message_of(e).find(says), std::string::npos) << test::message_of(e);
    };
    refused(r, word(0xdd), "a receipt for another transaction");
    Receipt foreign_log = r;
    foreign_log.logs[1].transaction_hash = word(0xdd);
    refused(foreign_log, word(0xee), "belongs to another transaction or block");
    Receipt other_block = r;
    other_block.logs[0].block_number = 11;
    refused(other_block, word(0xee), "belongs to another transaction or block");
    Receipt twice = r;
    twice.logs.push_back(r.logs[0]);
    refused(twice, word(0xee), "twice");
}
