#include <gtest/gtest.h>
#include <sys/stat.h>

#include <chrono>
#include <filesystem>
#include <functional>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>

#include "base/hex.hpp"
#include "eth/keystore.hpp"
#include "support/error_code.hpp"
#include "support/process.hpp"

using namespace dossier;
using namespace dossier::eth;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

// The test vectors of the Web3 Secret Storage Definition (password "testpassword").
constexpr std::string_view kPbkdf2Vector = R"({
  "crypto": {
    "cipher": "aes-128-ctr",
    "cipherparams": {"iv": "6087dab2f9fdbbfaddc31a909735c1e6"},
    "ciphertext": "5318b4d5bcd28de64ee5559e671353e16f075ecae9f99c7a79a38af5f869aa46",
    "kdf": "pbkdf2",
    "kdfparams": {"c": 262144, "dklen": 32, "prf": "hmac-sha256",
                  "salt": "ae3cd4e7013836a3df6bd7241b12db061dbe2c6785853cce422d148a624ce0bd"},
    "mac": "517ead924a9d0dc3124507e3393d175ce3ff7c1e96529c6c555ce9e51205e9b2"
  },
  "id": "3198bc9c-6672-5ab3-d995-4942343ae5b6",
  "version": 3
})";

constexpr std::string_view kScryptVector = R"({
  "crypto": {
    "cipher": "aes-128-ctr",
    "cipherparams": {"iv": "83dbcc02d8ccb40e466191a123791e0e"},
    "ciphertext": "d172bf743a674da9cdad04534d56926ef8358534d458fffccd4e6ad2fbde479c",
    "kdf": "scrypt",
    "kdfparams": {"dklen": 32, "n": 262144, "p": 8, "r": 1,
                  "salt": "ab0c7876052600dd703518d6fc3fe8984592145b591fc8fb5c6d43190334ba19"},
    "mac": "2103ac29920d71da29f15d75b4a16dbe95cfd7ff8faea1056c33131d846e3097"
  },
  "id": "3198bc9c-6672-5ab3-d995-4942343ae5b6",
  "version": 3
})";

constexpr std::string_view kVectorSecret = "0x7a28b5ba57c53603b0b07b56bba752f7784bf506fa95edc395f5cf6c7514fe9d";
constexpr std::string_view kVectorAddress = "0x008aeeda4d805471df9b2a5b0f38a0c3bcba786b";

std::string read_file(const fs::path& p) {
    std::ifstream in(p);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

/// Runs `f`, expects it to throw E with `code`, and returns the message (for the tests about it).
template <typename E, typename F>
std::string error_of(F&& f, ErrorCode code) {
    try {
        f();
    } catch (const E& e) {
        EXPECT_EQ(error_code_name(e.code()), error_code_name(code)) << e.what();
        return e.what();
    } catch (const std::exception& e) {
        ADD_FAILURE() << "threw another error type: " << e.what();
        return {};
    }
    ADD_FAILURE() << "did not throw";
    return {};
}

/// A light-scrypt keystore as JSON, for cheap tampering tests.
json light_keystore_json(const PrivateKey& key, const std::string& password) {
    return json::parse(encrypt_keystore(key, password, kLightScrypt).to_json());
}

}  // namespace

TEST(Keystore, SpecificationPbkdf2Vector) {
    const Keystore ks = Keystore::parse(kPbkdf2Vector);
    EXPECT_EQ(ks.kdf, Keystore::Kdf::pbkdf2);
    EXPECT_EQ(ks.pbkdf2_iterations, 262144u);
    EXPECT_EQ(ks.id, "3198bc9c-6672-5ab3-d995-4942343ae5b6");
    const PrivateKey key = ks.decrypt("testpassword");
    EXPECT_EQ(to_hex(key.secret()), kVectorSecret);
    EXPECT_EQ(key.address().to_hex(), kVectorAddress);
}

TEST(Keystore, SpecificationScryptVector) {
    // n = 2^18 with r = 1 is legal scrypt that OpenSSL's EVP_PBE_scrypt refuses (N >= 2^(16 r)).
    const PrivateKey key = decrypt_keystore(kScryptVector, "testpassword");
    EXPECT_EQ(to_hex(key.secret()), kVectorSecret);
    EXPECT_EQ(key.address().to_hex(), kVectorAddress);
}

TEST(Keystore, RoundTripWithFreshRandomness) {
    const PrivateKey key = PrivateKey::generate();
    const Keystore a = encrypt_keystore(key, "correct horse", kLightScrypt);
    const Keystore b = encrypt_keystore(key, "correct horse", kLightScrypt);
    EXPECT_NE(a.salt, b.salt);
    EXPECT_NE(a.iv, b.iv);
    EXPECT_NE(a.id, b.id);
    EXPECT_NE(a.ciphertext, b.ciphertext);
    EXPECT_TRUE(std::regex_match(a.id, std::regex("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")))
        << a.id;
    EXPECT_EQ(a.address, key.address());
    const Keystore parsed = Keystore::parse(a.to_json());
    EXPECT_EQ(parsed.scrypt, kLightScrypt);
    EXPECT_EQ(parsed.salt, a.salt);
    EXPECT_EQ(parsed.mac, a.mac);
    EXPECT_TRUE(parsed.decrypt("correct horse") == key);
    // The standard layout: geth's field names, lower-case hex without 0x, version 3.
    const json j = json::parse(a.to_json());
    EXPECT_EQ(j["version"], 3);
    EXPECT_EQ(j["crypto"]["kdfparams"]["n"], 4096);
    EXPECT_EQ(j["address"].get<std::string>(), key.address().to_hex().substr(2));
}

TEST(Keystore, WrongPasswordAndTamperingAreWrongPasswordErrors) {
    const PrivateKey key = PrivateKey::generate();
    const json good = light_keystore_json(key, "pw");
    test::expect_code([&] { (void)decrypt_keystore(good.dump(), "pW"); }, ErrorCode::wrong_password);
    test::expect_code([&] { (void)decrypt_keystore(good.dump(), ""); }, ErrorCode::wrong_password);

    json tampered = good;
    std::string ct = tampered["crypto"]["ciphertext"];
    ct[0] = ct[0] == '0' ? '1' : '0';
    tampered["crypto"]["ciphertext"] = ct;
    test::expect_code([&] { (void)decrypt_keystore(tampered.dump(), "pw"); }, ErrorCode::wrong_password);

    tampered = good;
    std::string mac = tampered["crypto"]["mac"];
    mac[63] = mac[63] == '0' ? '1' : '0';
    tampered["crypto"]["mac"] = mac;
    test::expect_code([&] { (void)decrypt_keystore(tampered.dump(), "pw"); }, ErrorCode::wrong_password);

    tampered = good;
    tampered["crypto"]["kdfparams"]["salt"] = std::string(64, 'a');
    test::expect_code([&] { (void)decrypt_keystore(tampered.dump(), "pw"); }, ErrorCode::wrong_password);

    EXPECT_TRUE(decrypt_keystore(good.dump(), "pw") == key);
}

TEST(Keystore, AddressFieldMustMatchTheKey) {
    const json good = light_keystore_json(PrivateKey::generate(), "pw");
    json wrong = good;
    wrong["address"] = std::string(40, '1');
    EXPECT_NE(error_of<KeystoreFormatError>([&] { (void)decrypt_keystore(wrong.dump(), "pw"); },
                                           ErrorCode::invalid_input)
                  .find("address"),
              std::string::npos);
    json without = good;
    without.erase("address");
    EXPECT_NO_THROW((void)decrypt_keystore(without.dump(), "pw"));
    json with_0x = good;
    with_0x["address"] = "0x" + good["address"].get<std::string>();
    EXPECT_NO_THROW((void)decrypt_keystore(with_0x.dump(), "pw"));
}

TEST(Keystore, MalformedFilesNameTheField) {
    const json good = light_keystore_json(PrivateKey::generate(), "pw");
    struct Case {
        std::string field;
        std::function<void(json&)> change;
    };
    const std::vector<Case> cases = {
        {"version", [](json& j) { j["version"] = 1; }},
        {"version", [](json& j) { j.erase("version"); }},
        {"version", [](json& j) { j["version"] = "3"; }},
        {"crypto", [](json& j) { j.erase("crypto"); }},
        {"crypto", [](json& j) { j["crypto"] = 5; }},
        {"id", [](json& j) { j["id"] = 7; }},
        {"address", [](json& j) { j["address"] = "xyz"; }},
        {"crypto.cipher", [](json& j) { j["crypto"]["cipher"] = "aes-128-cbc"; }},
        {"crypto.cipherparams.iv", [](json& j) { j["crypto"]["cipherparams"]["iv"] = "00"; }},
        {"crypto.cipherparams", [](json& j) { j["crypto"].erase("cipherparams"); }},
        {"crypto.ciphertext", [](json& j) { j["crypto"]["ciphertext"] = "zz"; }},
        {"crypto.ciphertext", [](json& j) { j["crypto"]["ciphertext"] = "00"; }},
        {"crypto.mac", [](json& j) { j["crypto"]["mac"] = "abcd"; }},
        {"crypto.kdf", [](json& j) { j["crypto"]["kdf"] = "argon2"; }},
        {"crypto.kdfparams", [](json& j) { j["crypto"]["kdfparams"] = json::array(); }},
        {"crypto.kdfparams.n", [](json& j) { j["crypto"]["kdfparams"]["n"] = 1000; }},
        {"crypto.kdfparams.n", [](json& j) { j["crypto"]["kdfparams"]["n"] = -4096; }},
        {"crypto.kdfparams.r", [](json& j) { j["crypto"]["kdfparams"]["r"] = 0; }},
        {"crypto.kdfparams.p", [](json& j) { j["crypto"]["kdfparams"].erase("p"); }},
        {"crypto.kdfparams.p", [](json& j) { j["crypto"]["kdfparams"]["p"] = 1 << 28; }},
        {"crypto.kdfparams.dklen", [](json& j) { j["crypto"]["kdfparams"]["dklen"] = 16; }},
        {"crypto.kdfparams.salt", [](json& j) { j["crypto"]["kdfparams"]["salt"] = 12; }},
    };
    for (const Case& c : cases) {
        json j = good;
        c.change(j);
        const std::string msg =
            error_of<KeystoreFormatError>([&] { (void)decrypt_keystore(j.dump(), "pw"); }, ErrorCode::invalid_input);
        EXPECT_NE(msg.find("'" + c.field + "'"), std::string::npos) << c.field << ": " << msg;
    }
    json pbkdf2 = json::parse(kPbkdf2Vector);
    pbkdf2["crypto"]["kdfparams"]["prf"] = "hmac-sha1";
    EXPECT_THROW((void)Keystore::parse(pbkdf2.dump()), KeystoreFormatError);
    pbkdf2["crypto"]["kdfparams"]["prf"] = "hmac-sha256";
    pbkdf2["crypto"]["kdfparams"]["c"] = 0;
    EXPECT_THROW((void)Keystore::parse(pbkdf2.dump()), KeystoreFormatError);
    EXPECT_THROW((void)Keystore::parse("{"), KeystoreFormatError);
    EXPECT_THROW((void)Keystore::parse("[]"), KeystoreFormatError);
    EXPECT_THROW((void)Keystore::parse(""), KeystoreFormatError);
    // "Crypto" (as some wallets write it) is accepted.
    json capital = good;
    capital["Crypto"] = capital["crypto"];
    capital.erase("crypto");
    EXPECT_NO_THROW((void)decrypt_keystore(capital.dump(), "pw"));
}

TEST(Keystore, HostileKdfParametersAreRefusedBeforeAnyWork) {
    json j = json::parse(kScryptVector);
    j["crypto"]["kdfparams"]["n"] = 1ULL << 40;  // 128 TiB
    const auto start = std::chrono::steady_clock::now();
    const std::string msg = error_of<KdfTooExpensiveError>(
        [&] { (void)decrypt_keystore(j.dump(), "testpassword"); }, ErrorCode::invalid_input);
    EXPECT_NE(msg.find("memory"), std::string::npos) << msg;
    j["crypto"]["kdfparams"]["n"] = 1 << 14;
    j["crypto"]["kdfparams"]["r"] = 1;
    j["crypto"]["kdfparams"]["p"] = 1 << 20;  // little memory, 2^34 work
    EXPECT_THROW((void)decrypt_keystore(j.dump(), "testpassword"), KdfTooExpensiveError);
    json p = json::parse(kPbkdf2Vector);
    p["crypto"]["kdfparams"]["c"] = 4'000'000'000ULL;
    EXPECT_THROW((void)decrypt_keystore(p.dump(), "testpassword"), KdfTooExpensiveError);
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(1));

    // Tighter caller limits apply too: geth's standard parameters exceed a 16 MiB budget.
    KdfLimits tight;
    tight.max_scrypt_memory = 16 << 20;
    const Keystore light = encrypt_keystore(PrivateKey::generate(), "pw", kLightScrypt);
    EXPECT_NO_THROW((void)light.decrypt("pw", tight));
    Keystore standard = light;
    standard.scrypt = kStandardScrypt;
    EXPECT_THROW((void)standard.decrypt("pw", tight), KdfTooExpensiveError);
}

TEST(Keystore, FilesAre0600AtomicAndNeverOverwritten) {
    test::TempDir dir;
    const PrivateKey key = PrivateKey::generate();
    const Keystore ks = encrypt_keystore(key, "pw", kLightScrypt);
    const fs::path path = fs::path(dir.path()) / "key.json";
    write_keystore_file(path, ks);
    struct stat st {};
    ASSERT_EQ(::stat(path.c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0600u);
    EXPECT_TRUE(read_keystore_file(path).decrypt("pw") == key);

    const std::string before = read_file(path);
    const Keystore other = encrypt_keystore(PrivateKey::generate(), "pw", kLightScrypt);
    test::expect_code([&] { write_keystore_file(path, other); }, ErrorCode::already_exists);
    EXPECT_EQ(read_file(path), before);
    std::size_t entries = 0;
    for ([[maybe_unused]] const auto& e : fs::directory_iterator(dir.path())) ++entries;
    EXPECT_EQ(entries, 1u) << "no temporary file is left behind";

    const fs::path in_dir = write_keystore_in_dir(fs::path(dir.path()) / "keystore", ks);
    EXPECT_TRUE(std::regex_match(in_dir.filename().string(),
                                 std::regex("UTC--\\d{4}-\\d\\d-\\d\\dT\\d\\d-\\d\\d-\\d\\d\\.\\d{9}Z--[0-9a-f]{40}")))
        << in_dir;
    EXPECT_EQ(in_dir.filename().string().substr(in_dir.filename().string().size() - 40), key.address().to_hex().substr(2));
    EXPECT_EQ(fs::status(in_dir.parent_path()).permissions() & fs::perms::all, fs::perms::owner_all);

    test::expect_code([&] { (void)read_keystore_file(fs::path(dir.path()) / "missing.json"); }, ErrorCode::io);
    const fs::path big = fs::path(dir.path()) / "big.json";
    std::ofstream(big) << std::string(70000, ' ');
    EXPECT_THROW((void)read_keystore_file(big), KeystoreFormatError);
}

// Interoperability with foundry's cast, both ways.
TEST(Keystore, DossierWrittenKeystoresDecryptWithCast) {
    test::TempDir dir;
    const std::string cast = test::foundry_tool("cast");
    // One with geth's standard parameters (as Dossier writes by default), three light ones.
    for (int i = 0; i < 4; ++i) {
        const PrivateKey key = PrivateKey::generate();
        const std::string password = "pässwörd " + std::to_string(i);
        const Keystore ks = encrypt_keystore(key, password, i == 0 ? kStandardScrypt : kLightScrypt);
        const std::string name = "acct" + std::to_string(i);
        write_keystore_file(fs::path(dir.path()) / name, ks);
        const std::string out =
            test::run_ok({cast, "wallet", "decrypt-keystore", "-k", dir.path(), name, "--unsafe-password", password});
        EXPECT_NE(out.find(to_hex(key.secret())), std::string::npos) << "cast did not recover the key";
        EXPECT_EQ(test::run_ok({cast, "wallet", "address", "--keystore", (fs::path(dir.path()) / name).string(),
                                "--password", password}),
                  key.address().to_checksum());
        // And cast refuses a wrong password for the same file.
        EXPECT_NE(test::run({cast, "wallet", "decrypt-keystore", "-k", dir.path(), name, "--unsafe-password", "nope"})
                      .exit_code,
                  0);
    }
}

TEST(Keystore, CastWrittenKeystoresDecryptWithDossier) {
    test::TempDir dir;
    const std::string cast = test::foundry_tool("cast");
    // `cast wallet import` with a known key...
    const PrivateKey key = PrivateKey::generate();
    (void)test::run_ok({cast, "wallet", "import", "imported", "-k", dir.path(), "--private-key", to_hex(key.secret()),
                        "--unsafe-password", "s3cret"});
    const Keystore imported = read_keystore_file(fs::path(dir.path()) / "imported");
    EXPECT_TRUE(imported.decrypt("s3cret") == key);
    test::expect_code([&] { (void)imported.decrypt("S3cret"); }, ErrorCode::wrong_password);

    // ...and `cast wallet new` with a key only cast knows: the address it prints must match.
    const fs::path new_dir = fs::path(dir.path()) / "new";
    fs::create_directory(new_dir);
    const std::string out = test::run_ok({cast, "wallet", "new", new_dir.string(), "--unsafe-password", "pw 2"});
    const std::smatch m = [&] {
        std::smatch match;
        std::regex_search(out, match, std::regex("Address:\\s+(0x[0-9a-fA-F]{40})"));
        return match;
    }();
    ASSERT_EQ(m.size(), 2u) << out;
    const Address printed = Address::from_hex(m[1].str());
    std::vector<fs::path> files;
    for (const auto& e : fs::directory_iterator(new_dir)) files.push_back(e.path());
    ASSERT_EQ(files.size(), 1u);
    EXPECT_EQ(read_keystore_file(files[0]).decrypt("pw 2").address(), printed);
}

TEST(Keystore, KdfFloorSeparatesThrowawayCostsFromRealOnes) {
    Keystore pbkdf2 = Keystore::parse(kPbkdf2Vector);  // c = 262144
    EXPECT_TRUE(kdf_floor_met(pbkdf2));
    pbkdf2.pbkdf2_iterations = kMinPbkdf2Iterations - 1;
    EXPECT_FALSE(kdf_floor_met(pbkdf2));
    pbkdf2.pbkdf2_iterations = kMinPbkdf2Iterations;
    EXPECT_TRUE(kdf_floor_met(pbkdf2));

    Keystore scrypt = Keystore::parse(kScryptVector);
    for (const auto& [params, met] : std::vector<std::pair<ScryptParams, bool>>{
             {{2, 8, 1}, false},               // accepted by the parser, worthless as protection
             {{8192, 8, 1}, false},            // cast's default
             {kLightScrypt, false},            // geth's light cost
             {{kMinScryptN, 8, 1}, true},
             {{kMinScryptN, 1, 1}, false},     // N alone is not the cost: r scales it
             {kStandardScrypt, true}}) {
        scrypt.scrypt = params;
        EXPECT_EQ(kdf_floor_met(scrypt), met) << params.n << "/" << params.r;
    }
}
