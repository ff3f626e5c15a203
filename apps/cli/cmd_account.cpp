/// `dossier account new|import|fund|list|export`: keystores of the data directory, and gas.
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>

#include "dossier/client/secrets.hpp"
#include "session.hpp"

namespace dossier::cli {

namespace {

nlohmann::json account_json(const client::AccountInfo& a) {
    return {{"address", a.address.checksum()},
            {"role", std::string(client::role_name(a.role))},
            {"label", a.label},
            {"keystore", a.keystore.string()},
            {"created", a.created}};
}

/// A new account whose funding failed exists all the same: say so, and how to finish.
void report_funding(Session& s, const client::CreatedAccount& created) {
    if (!created.funding_error.empty())
        throw Error(created.funding_error + "; fund it later with 'dossier account fund " + created.info.label + "'");
    s.out["funded"] = created.funded;
}

}  // namespace

void add_account_commands(CLI::App& app, Session& s) {
    auto* account = example(app.add_subcommand("account", "Create, import, list and export accounts (one key each, "
                                                           "in an encrypted keystore)"),
                            "dossier account new --role doctor --label dr-house");
    account->require_subcommand(1);

    struct NewArgs {
        std::string role, label;
        bool no_fund = false;
    };
    auto na = std::make_shared<NewArgs>();
    auto* create = example(account->add_subcommand("new", "Create an account: a fresh key in a keystore encrypted "
                                                           "under your password; on the embedded chain it is funded "
                                                           "with 10 ETH for gas"),
                           "DOSSIER_PASSWORD=... dossier account new --role patient --label alice");
    create->add_option("--role", na->role, "doctor, patient or admin")
        ->required()
        ->check(CLI::IsMember({"doctor", "patient", "admin"}));
    create->add_option("--label", na->label, "A short unique name to refer to the account by")->required();
    create->add_flag("--no-fund", na->no_fund, "Do not fund it from the embedded chain's dev account");
    create->callback([&s, na] {
        s.action = [&s, na] {
            const auto role = client::parse_role(na->role);
            const auto pw = s.password("new password for " + na->label + ": ", true);
            const auto created = s.client().create_account(role, na->label, pw, client::FundingOptions{!na->no_fund});
            const auto& info = created.info;
            s.out = account_json(info);
            s.say("created " + std::string(client::role_name(role)) + " account " + info.label + " " +
                  info.address.checksum());
            report_funding(s, created);
            if (created.funded) s.say("funded with 10 ETH on the embedded chain");
        };
    });

    struct ImportArgs {
        std::string keystore, key_file, role, label;
        bool no_fund = false;
        bool authority = false;
    };
    auto ia = std::make_shared<ImportArgs>();
    auto* imp = example(account->add_subcommand("import", "Import a key: a keystore file of any wallet (opened with "
                                                           "its password; one whose key derivation is weaker than "
                                                           "scrypt N=2^14 or PBKDF2 100,000 rounds is re-encrypted "
                                                           "under the same password at Dossier's cost, the file given "
                                                           "left as it is), or a raw private key in hex from a file or "
                                                           "stdin (then encrypted under the password)"),
                        "dossier account import --keystore ~/UTC--2026...json --role doctor --label dr-grey\n"
                        "  dossier account import --key-file - --role doctor --label dr-grey < key.txt\n"
                        "  dossier account import --embedded-authority --role admin --label admin");
    auto* ks = imp->add_option("--keystore", ia->keystore, "Web3 v3 keystore file")->check(CLI::ExistingFile);
    auto* kf = imp->add_option("--key-file", ia->key_file,
                               "File holding a private key (64 hex digits, with or without 0x), - for stdin; "
                               "its content is only ever read as a key")
                   ->check(CLI::ExistingFile | CLI::IsMember({"-"}));
    auto* au = imp->add_flag("--embedded-authority", ia->authority,
                             "Import the embedded chain's credentialing authority (anvil's first dev account, "
                             "whose key is public: embedded chain only)");
    ks->excludes(kf);
    au->excludes(ks);
    au->excludes(kf);
    imp->add_option("--role", ia->role, "doctor, patient or admin")
        ->required()
        ->check(CLI::IsMember({"doctor", "patient", "admin"}));
    imp->add_option("--label", ia->label, "A short unique name")->required();
    imp->add_flag("--no-fund", ia->no_fund, "Do not fund it from the embedded chain's dev account");
    imp->callback([&s, ia] {
        s.action = [&s, ia] {
            client::ImportSource source;
            if (!ia->keystore.empty()) {
                source = {client::ImportSource::Kind::keystore_file, ia->keystore};
            } else if (!ia->key_file.empty()) {
                source.kind = client::ImportSource::Kind::private_key_hex;
                if (ia->key_file == "-") {
                    source.value.assign(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
                } else {
                    std::ifstream in(ia->key_file, std::ios::binary);
                    if (!in) throw Error("cannot read the key file '" + ia->key_file + "'");
                    source.value.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
                }
            } else if (ia->authority) {
                if (!s.client().embedded_chain()) throw Error("--embedded-authority is only for the embedded chain");
                source = {client::ImportSource::Kind::embedded_authority, {}};
            } else {
                throw Error("give --keystore FILE, --key-file FILE or --embedded-authority");
            }
            const auto pw = s.password("password for the imported key: ", ia->keystore.empty());
            const auto created = [&] {
                try {
                    auto c = s.client().import_account(source, pw, client::parse_role(ia->role), ia->label,
                                                       client::FundingOptions{!ia->no_fund});
                    client::wipe(source.value);
                    return c;
                } catch (...) {
                    client::wipe(source.value);
                    throw;
                }
            }();
            s.out = account_json(created.info);
            s.say("imported " + created.info.label + " " + created.info.address.checksum());
            report_funding(s, created);
        };
    });

    struct FundArgs {
        std::string who;
        std::uint64_t eth = 10;
    };
    auto fa = std::make_shared<FundArgs>();
    auto* fund = example(account->add_subcommand("fund", "Send ether for gas to an account from the embedded chain's "
                                                          "dev account (embedded chain only: on a remote chain, send "
                                                          "ether from a funded wallet)"),
                         "dossier account fund alice --eth 5");
    fund->add_option("account", fa->who, "Label or address")->required();
    fund->add_option("--eth", fa->eth, "How much ether (default 10)")->check(CLI::Range(std::uint64_t{1}, std::uint64_t{1000}));
    fund->callback([&s, fa] {
        s.action = [&s, fa] {
            const auto address = s.resolve(fa->who);
            const auto tx = s.client().fund_account(address, fa->eth);
            s.out = {{"address", address.checksum()}, {"eth", fa->eth}, {"tx", tx}};
            s.say("sent " + std::to_string(fa->eth) + " ETH to " + s.name(address));
        };
    });

    auto* list = example(account->add_subcommand("list", "List the accounts of the data directory"),
                         "dossier account list --json");
    list->callback([&s] {
        s.action = [&s] {
            const auto all = s.client().accounts();
            s.out = nlohmann::json::array();
            for (const auto& a : all) {
                s.out.push_back(account_json(a));
                s.say(a.address.checksum() + "  " + std::string(client::role_name(a.role)) + "  " + a.label);
            }
            if (all.empty()) s.say("no accounts yet: create one with 'dossier account new'");
        };
    });

    struct ExportArgs {
        std::string who, out;
        bool private_key = false;
    };
    auto ea = std::make_shared<ExportArgs>();
    auto* exp = example(account->add_subcommand("export", "Copy an account's encrypted keystore file out, or (with "
                                                           "--private-key) print its raw key after checking the "
                                                           "password"),
                        "dossier account export alice --out ~/backup/");
    exp->add_option("account", ea->who, "Label or address")->required();
    exp->add_option("--out", ea->out, "Destination file or existing directory");
    exp->add_flag("--private-key", ea->private_key, "Print the raw private key (whoever sees it controls the account)");
    exp->callback([&s, ea] {
        s.action = [&s, ea] {
            if (ea->private_key) {
                (void)s.client().account(ea->who);  // an unknown account is reported before asking a password
                const auto key = s.client().export_private_key(ea->who, s.password("password for " + ea->who + ": "));
                s.out = {{"privateKey", key}};
                s.say(key);
            } else {
                if (ea->out.empty()) throw Error("give --out FILE_OR_DIRECTORY (or --private-key)");
                const auto path = s.client().export_keystore(ea->who, ea->out);
                s.out = {{"keystore", path.string()}};
                s.say("wrote " + path.string());
            }
        };
    });
}

}  // namespace dossier::cli
