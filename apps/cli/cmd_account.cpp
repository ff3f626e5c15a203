/// `dossier account new|import|fund|list|export`: keystores of the data directory, and gas.
#include <filesystem>
#include <fstream>
#include <sstream>

#include "base/hex.hpp"
#include "dossier/accounts.hpp"
#include "dossier/node.hpp"
#include "format.hpp"
#include "session.hpp"

namespace dossier::cli {

namespace {

nlohmann::json account_json(const core::AccountInfo& a) {
    return {{"address", a.address.to_checksum()},
            {"role", std::string(core::role_name(a.role))},
            {"label", a.label},
            {"keystore", a.keystore_file.string()},
            {"created", a.created}};
}

/// Funds a new account on the embedded chain (from its dev account) so that it can send
/// transactions; on a remote chain the user funds it. The account exists whatever happens here,
/// so a failure says so, and how to finish.
bool fund_if_embedded(const Session& s, const core::AccountInfo& info) {
    const auto cfg = s.config();
    if (!cfg.embedded_chain()) return false;
    try {
        auto ctx = s.open();
        (void)core::fund_account(*ctx, info.address, core::ether(10));
    } catch (const std::exception& e) {
        throw Error("account " + info.label + " " + info.address.to_checksum() + " was created but not funded (" +
                    e.what() + "); fund it later with 'dossier account fund " + info.label + "'");
    }
    return true;
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
            const auto cfg = s.config();
            const auto role = core::parse_role(na->role);
            const auto pw = s.password("new password for " + na->label + ": ", true);
            const auto info = core::create_account(cfg, role, na->label, pw);
            s.out = account_json(info);
            s.say("created " + std::string(core::role_name(role)) + " account " + info.label + " " +
                  info.address.to_checksum());
            bool funded = false;
            if (!na->no_fund) funded = fund_if_embedded(s, info);
            s.out["funded"] = funded;
            if (funded) s.say("funded with 10 ETH on the embedded chain");
        };
    });

    struct ImportArgs {
        std::string keystore, key_file, role, label;
        bool no_fund = false;
        bool authority = false;
    };
    auto ia = std::make_shared<ImportArgs>();
    auto* imp = example(account->add_subcommand("import", "Import a key: a keystore file of any wallet (opened with "
                                                           "its password), or a file holding a raw private key in hex "
                                                           "(then encrypted under the password)"),
                        "dossier account import --keystore ~/UTC--2026...json --role doctor --label dr-grey\n"
                        "  dossier account import --embedded-authority --role admin --label admin");
    auto* ks = imp->add_option("--keystore", ia->keystore, "Web3 v3 keystore file")->check(CLI::ExistingFile);
    auto* kf = imp->add_option("--key-file", ia->key_file, "File holding a private key (64 hex digits)")
                   ->check(CLI::ExistingFile);
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
            const auto cfg = s.config();
            std::string source;
            if (!ia->keystore.empty()) {
                source = ia->keystore;
            } else if (!ia->key_file.empty()) {
                std::ifstream in(ia->key_file);
                std::stringstream ss;
                ss << in.rdbuf();
                source = ss.str();
                while (!source.empty() && std::isspace(static_cast<unsigned char>(source.back()))) source.pop_back();
            } else if (ia->authority) {
                if (!cfg.embedded_chain()) throw Error("--embedded-authority is only for the embedded chain");
                source = std::string(core::kEmbeddedDevKeyHex.substr(2));
            } else {
                throw Error("give --keystore FILE, --key-file FILE or --embedded-authority");
            }
            const auto pw = s.password("password for the imported key: ", ia->keystore.empty());
            const auto info = core::import_account(cfg, source, pw, core::parse_role(ia->role), ia->label);
            s.out = account_json(info);
            s.say("imported " + info.label + " " + info.address.to_checksum());
            bool funded = false;
            if (!ia->no_fund) funded = fund_if_embedded(s, info);
            s.out["funded"] = funded;
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
            const auto cfg = s.config();
            const auto address = resolve_address(cfg, fa->who);
            auto ctx = s.open();
            const auto receipt = core::fund_account(*ctx, address, core::ether(fa->eth));
            s.out = {{"address", address.to_checksum()}, {"eth", fa->eth}, {"tx", to_hex(receipt.transaction_hash)}};
            s.say("sent " + std::to_string(fa->eth) + " ETH to " + display_name(cfg, address));
        };
    });

    auto* list = example(account->add_subcommand("list", "List the accounts of the data directory"),
                         "dossier account list --json");
    list->callback([&s] {
        s.action = [&s] {
            const auto all = core::list_accounts(s.config());
            s.out = nlohmann::json::array();
            for (const auto& a : all) {
                s.out.push_back(account_json(a));
                s.say(a.address.to_checksum() + "  " + std::string(core::role_name(a.role)) + "  " + a.label);
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
            const auto cfg = s.config();
            if (ea->private_key) {
                const auto key = core::export_private_key(cfg, ea->who, s.password("password for " + ea->who + ": "));
                s.out = {{"privateKey", key}};
                s.say(key);
            } else {
                if (ea->out.empty()) throw Error("give --out FILE_OR_DIRECTORY (or --private-key)");
                const auto path = core::export_account(cfg, ea->who, ea->out);
                s.out = {{"keystore", path.string()}};
                s.say("wrote " + path.string());
            }
        };
    });
}

}  // namespace dossier::cli
