/// The patient search's folding and ranking, against hand-checked expectations.
#include <gtest/gtest.h>

#include "dossier/index/name_search.hpp"

namespace dossier::index {
namespace {

TEST(NameSearch, FoldsCaseAndLatinAccents) {
    EXPECT_EQ(fold("Zoë Ångström"), "zoe angstrom");
    EXPECT_EQ(fold("ŁUKASZ Żółć"), "lukasz zolc");
    EXPECT_EQ(fold("Straße"), "strasse");
    EXPECT_EQ(fold("Æsa Œuvre"), "aesa oeuvre");
    EXPECT_EQ(fold("Şule Ţepeş"), "sule tepes");
    EXPECT_EQ(fold("Ĳssel"), "ijssel");
    EXPECT_EQ(fold("Ünal ÿ"), "unal y");
    EXPECT_EQ(fold("Ivan Иванов"), "ivan Иванов");  // other scripts are kept as written
}

std::vector<PreparedKey> people() {
    return {prepare({{"Zoë Ångström"}, "1980-02-01", "0x5ebce1d0c9771343f9136979e85c13c44f3c6688", ""}),
            prepare({{"Peter James Chalmers"}, "1974-12-25", "0xb63ab55c8a4d525f71238a18c36d91b8c320666f", "chalmers"}),
            prepare({{"Pieter van de Heuvel"}, "1944-11-17", "0xfc19c2d552c3295063dabf2c7b7650198d0d0512", ""}),
            prepare({{"Anna Peters"}, "1990-05-05", "0x70997970c51812dc3a010c7d01b50e0d17dc79c8", ""})};
}

std::vector<std::size_t> found(std::string_view query, std::size_t limit = 10) {
    std::vector<std::size_t> out;
    for (const auto& h : search(people(), query, limit)) out.push_back(h.index);
    return out;
}

TEST(NameSearch, PrefixesOfAnyNameWithoutAccentsOrCase) {
    EXPECT_EQ(found("zoe"), (std::vector<std::size_t>{0}));
    EXPECT_EQ(found("ANGS"), (std::vector<std::size_t>{0}));
    EXPECT_EQ(found("ångström"), (std::vector<std::size_t>{0}));
    EXPECT_EQ(found("heu"), (std::vector<std::size_t>{2}));
}

TEST(NameSearch, EveryWordMustMatch) {
    EXPECT_EQ(found("pe ch"), (std::vector<std::size_t>{1}));
    EXPECT_TRUE(found("peter zoe").empty());
}

TEST(NameSearch, WholeWordsRankBeforePrefixes) {
    // "peter" is Chalmers' whole given name and a prefix of Anna Peters' family name.
    const auto hits = found("peter");
    ASSERT_EQ(hits.size(), 2u);
    EXPECT_EQ(hits[0], 1u);
    EXPECT_EQ(hits[1], 3u);
}

TEST(NameSearch, BirthDatesAddressesAndLabels) {
    EXPECT_EQ(found("1944"), (std::vector<std::size_t>{2}));
    EXPECT_EQ(found("1974-12-25"), (std::vector<std::size_t>{1}));
    EXPECT_EQ(found("0xB63AB5"), (std::vector<std::size_t>{1}));
    EXPECT_EQ(found("b63a"), (std::vector<std::size_t>{1}));
    EXPECT_TRUE(found("b6").empty());  // too short to mean an address
    EXPECT_EQ(found("chalmers"), (std::vector<std::size_t>{1}));
}

TEST(NameSearch, NoMatchBlankQueryAndLimit) {
    EXPECT_TRUE(found("xyz").empty());
    EXPECT_TRUE(found("   ").empty());
    EXPECT_TRUE(found("").empty());
    EXPECT_EQ(found("p", 1).size(), 1u);
    EXPECT_EQ(found("p").size(), 3u);
}

}  // namespace
}  // namespace dossier::index
