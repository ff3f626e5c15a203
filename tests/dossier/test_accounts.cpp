// Accounts: keystores in the data directory with a role/label index, checked against foundry's
// cast (it writes keystores we import and reads the ones we export).
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <cstdlib>
#include <thread>

#include <nlohmann/json.hpp>

#include "base/atomic_file.hpp"
#include "base/hex.hpp"
#include "dossier/accounts.hpp"
#include "eth/keystore.hpp"
#include "support/anvil.hpp"
#include "support/error_code.hpp"
#include "support/process.hpp"

using namespace dossier;
namespace fs = std::filesystem;

namespace {

struct Dir {
    test::TempDir dir;
    core::Config config;
    Dir() { config.data_dir = dir.path(); }
};

constexpr auto kLight = eth::kLightScrypt;
/// The floor's own cost: a keystore re-encrypted at it opens quickly.
constexpr eth::ScryptParams kStrong{eth::kMinScryptN, 8, 1};

unsigned mode_of(const fs::path& p) {
    struct stat st {};
    ::stat(p.c_str(), &st);
    return st.st_mode & 0777u;
}

/// Restores DOSSIER_KDF on scope exit.
struct KdfEnv {
    std::string saved;
    bool had = false;
    KdfEnv() {
        if (const char* v = std::getenv("DOSSIER_KDF")) {
            had = true;
            saved = v;
        }
    }
    ~KdfEnv() {
        if (had)
            ::setenv("DOSSIER_KDF", saved.c_str(), 1);
        else
            ::unsetenv("DOSSIER_KDF");
    }
};

}  // namespace

TEST(Accounts, CreateListAndUnlockByLabelOrAddress) {
    Dir d;
    EXPECT_TRUE(core::list_accounts(d.config).empty());
    const auto doc = core::create_account(d.config, core::Role::doctor, "dr-grey", "doctor pw", kLight);
    const auto pat = core::create_account(d.config, core::Role::patient, "alice", "patient pw", kLight);
    EXPECT_NE(doc.address, pat.address);

    const auto all = core::list_accounts(d.config);
    ASSERT_EQ(all.size(), 2u);
    EXPECT_EQ(all[0], doc);
    EXPECT_EQ(all[1], pat);
    EXPECT_EQ(all[0].role, core::Role::doctor);
    EXPECT_EQ(all[1].label, "alice");
    EXPECT_GT(all[0].created, 0u);

    // One geth-style keystore per account, private to the user; the index holds no secret.
    EXPECT_TRUE(fs::exists(doc.keystore_file));
    EXPECT_EQ(doc.keystore_file.parent_path(), d.config.keystore_dir());
    EXPECT_EQ(mode_of(doc.keystore_file), 0600u);
    EXPECT_EQ(mode_of(d.config.keystore_dir()), 0700u);
    const auto ks = eth::read_keystore_file(doc.keystore_file);
    EXPECT_EQ(ks.scrypt, kLight);
    EXPECT_EQ(ks.address, std::optional<eth::Address>(doc.address));
    const std::string index(as_chars(read_file(core::accounts_index_path(d.config))));
    EXPECT_NE(index.find("\"doctor\""), std::string::npos);
    EXPECT_NE(index.find("dr-grey"), std::string::npos);
    EXPECT_EQ(index.find("ciphertext"), std::string::npos);

    const auto by_label = core::unlock(d.config, "dr-grey", "doctor pw");
    EXPECT_EQ(by_label.address(), doc.address);
    std::string lower = doc.address.to_hex();
    const auto by_address = core::unlock(d.config, lower, "doctor pw");
    EXPECT_EQ(by_address, by_label);
    EXPECT_EQ(core::find_account(d.config, doc.address.to_checksum()), doc);
    test::expect_code([&] { (void)core::find_account(d.config, "nobody"); }, ErrorCode::not_found);
    test::expect_code([&] { (void)core::unlock(d.config, "0x0000000000000000000000000000000000000001", "x"); },
                      ErrorCode::not_found);
}

TEST(Accounts, WrongPasswordIsItsOwnErrorWithAClearSentence) {
    Dir d;
    const auto a = core::create_account(d.config, core::Role::patient, "bob", "right", kLight);
    try {
        (void)core::unlock(d.config, "bob", "wrong");
        FAIL() << "a wrong password unlocked the account";
    } catch (const eth::WrongPasswordError& e) {
        EXPECT_EQ(e.code(), ErrorCode::wrong_password);
        // The sentence names the account, by address and label.
        const std::string what = e.what();
        EXPECT_NE(what.find("wrong password for account " + a.address.to_checksum()), std::string::npos) << what;
        EXPECT_NE(what.find("bob"), std::string::npos) << what;
    }
    test::expect_code([&] { (void)core::export_private_key(d.config, "bob", "wrong"); }, ErrorCode::wrong_password);
}

TEST(Accounts, LabelsAndRolesAreChecked) {
    Dir d;
    (void)core::create_account(d.config, core::Role::admin, "root", "pw", kLight);
    test::expect_code([&] { (void)core::create_account(d.config, core::Role::doctor, "root", "pw", kLight); },
                      ErrorCode::already_exists);
    test::expect_code([&] { (void)core::create_account(d.config, core::Role::doctor, "", "pw", kLight); },
                      ErrorCode::invalid_input);
    test::expect_code(
        [&] { (void)core::create_account(d.config, core::Role::doctor, std::string(65, 'x'), "pw", kLight); },
        ErrorCode::invalid_input);
    test::expect_code([&] { (void)core::create_account(d.config, core::Role::doctor,
                                                       "0x70997970C51812dc3A010C7d01b50e0d17dc79C8", "pw", kLight); },
                      ErrorCode::invalid_input);
    test::expect_code([&] { (void)core::create_account(d.config, core::Role::doctor, "tab\there", "pw", kLight); },
                      ErrorCode::invalid_input);
    test::expect_code([&] { (void)core::create_account(d.config, core::Role::doctor, "ok", "", kLight); },
                      ErrorCode::invalid_input);
    EXPECT_EQ(core::list_accounts(d.config).size(), 1u);

    EXPECT_EQ(core::parse_role("doctor"), core::Role::doctor);
    EXPECT_EQ(core::parse_role("patient"), core::Role::patient);
    EXPECT_EQ(core::parse_role("admin"), core::Role::admin);
    test::expect_code([&] { (void)core::parse_role("nurse"); }, ErrorCode::invalid_input);
    for (auto r : {core::Role::doctor, core::Role::patient, core::Role::admin})
        EXPECT_EQ(core::parse_role(core::role_name(r)), r);
}

TEST(Accounts, ImportsAKeystoreWrittenByCast) {
    Dir d;
    test::TempDir cast_dir;
    const std::string cast = test::foundry_tool("cast");
    (void)test::run_ok({cast, "wallet", "import", "anvil1", "--private-key", test::Anvil::kDevKey1, "--keystore-dir",
                        cast_dir.path(), "--unsafe-password", "cast pw"});
    const std::string file = cast_dir.path() + "/anvil1";
    ASSERT_TRUE(fs::exists(file));

    test::expect_code([&] { (void)core::import_keystore(d.config, file, "not it", core::Role::doctor, "house"); },
                      ErrorCode::wrong_password);
    EXPECT_TRUE(core::list_accounts(d.config).empty());

    const auto a = core::import_keystore(d.config, file, "cast pw", core::Role::doctor, "house", kStrong);
    EXPECT_EQ(a.address, eth::Address::from_hex(test::Anvil::kDevAddress1));
    EXPECT_EQ(core::unlock(d.config, "house", "cast pw"), eth::PrivateKey::from_hex(test::Anvil::kDevKey1));
    // cast's default scrypt N (8192) is below the floor: the key is kept re-encrypted under the
    // same password at Dossier's cost, and cast's file is left as it was.
    const auto cast_ks = eth::read_keystore_file(file);
    EXPECT_EQ(cast_ks.scrypt.n, 8192u);
    EXPECT_EQ(eth::read_keystore_file(a.keystore_file).scrypt, kStrong);
    EXPECT_NE(eth::read_keystore_file(a.keystore_file).ciphertext, cast_ks.ciphertext);

    // The same key again, under any label or as raw hex, is refused.
    test::expect_code([&] { (void)core::import_keystore(d.config, file, "cast pw", core::Role::doctor, "house2"); },
                      ErrorCode::already_exists);
    test::expect_code(
        [&] { (void)core::import_private_key(d.config, test::Anvil::kDevKey1, "pw", core::Role::doctor, "house3", kLight); },
        ErrorCode::already_exists);
}

TEST(Accounts, ImportsAPrivateKeyAndRejectsGarbage) {
    Dir d;
    const auto a = core::import_private_key(d.config, test::Anvil::kDevKey, "pw", core::Role::admin, "dev", kLight);
    EXPECT_EQ(a.address, eth::Address::from_hex(test::Anvil::kDevAddress));
    EXPECT_EQ(eth::read_keystore_file(a.keystore_file).scrypt, kLight);
    EXPECT_EQ(core::export_private_key(d.config, "dev", "pw"), std::string(test::Anvil::kDevKey));
    test::expect_code(
        [&] { (void)core::import_private_key(d.config, "not-a-key-nor-a-file", "pw", core::Role::admin, "x", kLight); },
        ErrorCode::invalid_input);
}

TEST(Accounts, AMalformedKeyIsNeverEchoed) {
    Dir d;
    const std::string key = std::string(test::Anvil::kDevKey1).substr(2);  // 64 hex digits
    const std::vector<std::string> malformed = {
        key.substr(0, 63),                 // a digit missing
        "0x" + key.substr(0, 62) + "zz",   // a bad digit, with 0x
        key + "ab",                        // too long
        "  " + key.substr(1) + "g\n",     // white space around a bad key
    };
    for (const auto& text : malformed) {
        try {
            (void)core::import_private_key(d.config, text, "pw", core::Role::doctor, "k", kLight);
            ADD_FAILURE() << "a malformed key was accepted";
        } catch (const core::AccountError& e) {
            EXPECT_EQ(e.code(), ErrorCode::invalid_input);
            const std::string message = e.what();
            // No run of 8 key digits appears in the message.
            for (std::size_t i = 0; i + 8 <= key.size(); ++i)
                EXPECT_EQ(message.find(key.substr(i, 8)), std::string::npos) << "the error echoes the key: " << message;
        }
    }
    EXPECT_TRUE(core::list_accounts(d.config).empty());
}

TEST(Accounts, AKeyTextIsAKeyNeverAPath) {
    Dir d;
    test::TempDir other;
    const fs::path file = fs::path(other.path()) / "keystore.json";
    write_file_atomic(file, as_bytes(eth::encrypt_keystore(eth::PrivateKey::from_hex(test::Anvil::kDevKey1), "pw",
                                                           kLight).to_json()));
    test::expect_code([&] { (void)core::import_private_key(d.config, file.string(), "pw", core::Role::doctor, "k"); },
                      ErrorCode::invalid_input);
    EXPECT_TRUE(core::list_accounts(d.config).empty());
    // And a keystore path is read as a keystore only.
    test::expect_code([&] { (void)core::import_keystore(d.config, "no-such-keystore.json", "pw", core::Role::doctor, "k"); },
                      ErrorCode::io);
}

TEST(Accounts, AStrongKeystoreIsKeptAsItCame) {
    Dir d;
    test::TempDir other;
    const fs::path file = fs::path(other.path()) / "keystore.json";
    const eth::ScryptParams floor{eth::kMinScryptN, 8, 1};
    const auto original = eth::encrypt_keystore(eth::PrivateKey::from_hex(test::Anvil::kDevKey1), "pw", floor);
    write_file_atomic(file, as_bytes(original.to_json()));
    const auto a = core::import_keystore(d.config, file, "pw", core::Role::doctor, "kept", kLight);
    const auto stored = eth::read_keystore_file(a.keystore_file);
    EXPECT_EQ(stored.scrypt, floor);
    EXPECT_EQ(stored.ciphertext, original.ciphertext);
}

TEST(Accounts, AWeakKeystoreIsReEncryptedAtDossiersCost) {
    KdfEnv restore;
    ::unsetenv("DOSSIER_KDF");  // Dossier's own cost: the standard one
    Dir d;
    test::TempDir other;
    const fs::path file = fs::path(other.path()) / "weak.json";
    const auto weak = eth::encrypt_keystore(eth::PrivateKey::from_hex(test::Anvil::kDevKey1), "weak pw", {2, 8, 1});
    const std::string weak_json = weak.to_json();
    write_file_atomic(file, as_bytes(weak_json));
    const auto a = core::import_keystore(d.config, file, "weak pw", core::Role::doctor, "strengthened");
    // Read back what is stored, as any wallet would: its kdfparams are the standard ones.
    const auto stored = nlohmann::json::parse(as_chars(read_file(a.keystore_file)));
    EXPECT_EQ(stored.at("crypto").at("kdf"), "scrypt");
    EXPECT_EQ(stored.at("crypto").at("kdfparams").at("n").get<std::uint64_t>(), eth::kStandardScrypt.n);
    EXPECT_EQ(stored.at("crypto").at("kdfparams").at("r").get<std::uint64_t>(), eth::kStandardScrypt.r);
    EXPECT_EQ(core::unlock(d.config, "strengthened", "weak pw"), eth::PrivateKey::from_hex(test::Anvil::kDevKey1));
    // The file given is left untouched.
    EXPECT_EQ(as_chars(read_file(file)), weak_json);
}

TEST(Accounts, ExportCopiesTheEncryptedFileThatCastCanOpen) {
    Dir d;
    const auto a = core::create_account(d.config, core::Role::patient, "carol", "carol pw", kLight);
    test::TempDir out;
    const fs::path written = core::export_account(d.config, "carol", out.path());
    EXPECT_EQ(written.parent_path(), fs::path(out.path()));
    EXPECT_EQ(read_file(written), read_file(a.keystore_file));
    EXPECT_EQ(mode_of(written), 0600u);
    // Never overwrites.
    test::expect_code([&] { (void)core::export_account(d.config, "carol", out.path()); }, ErrorCode::already_exists);
    const fs::path named = fs::path(out.path()) / "carol.json";
    EXPECT_EQ(core::export_account(d.config, a.address.to_checksum(), named), named);

    const std::string cast = test::foundry_tool("cast");
    const std::string address =
        test::run_ok({cast, "wallet", "address", "--keystore", named.string(), "--password", "carol pw"});
    EXPECT_EQ(eth::Address::from_hex(address), a.address);
}

TEST(Accounts, ConcurrentCreationsAreAllIndexed) {
    Dir d;
    std::vector<std::thread> threads;
    for (int i = 0; i < 6; ++i)
        threads.emplace_back([&, i] {
            (void)core::create_account(d.config, core::Role::patient, "p" + std::to_string(i), "pw", kLight);
        });
    for (auto& t : threads) t.join();
    EXPECT_EQ(core::list_accounts(d.config).size(), 6u);
}

TEST(Accounts, KdfCostComesFromTheEnvironment) {
    KdfEnv restore;
    ::unsetenv("DOSSIER_KDF");
    EXPECT_EQ(core::default_kdf(), eth::kStandardScrypt);
    ::setenv("DOSSIER_KDF", "standard", 1);
    EXPECT_EQ(core::default_kdf(), eth::kStandardScrypt);
    ::setenv("DOSSIER_KDF", "light", 1);
    // Only a build made for the test suites lets the environment pick the light cost.
    if (!core::light_kdf_allowed()) {
        test::expect_code([&] { (void)core::default_kdf(); }, ErrorCode::invalid_input);
        return;
    }
    EXPECT_EQ(core::default_kdf(), eth::kLightScrypt);
    Dir d;
    const auto a = core::create_account(d.config, core::Role::doctor, "env", "pw");
    EXPECT_EQ(eth::read_keystore_file(a.keystore_file).scrypt, eth::kLightScrypt);
    ::setenv("DOSSIER_KDF", "cheap", 1);
    test::expect_code([&] { (void)core::default_kdf(); }, ErrorCode::invalid_input);
}

TEST(Accounts, ADamagedIndexIsReportedNotIgnored) {
    Dir d;
    (void)core::create_account(d.config, core::Role::doctor, "x", "pw", kLight);
    write_file_atomic(core::accounts_index_path(d.config), as_bytes("{\"format\":1,\"accounts\":[{\"address\":7}]}"));
    test::expect_code([&] { (void)core::list_accounts(d.config); }, ErrorCode::io);
}
