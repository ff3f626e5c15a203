#include "client_fixture.hpp"

#include <cstdlib>
#include <nlohmann/json.hpp>

namespace dossier::test {

using client::Role;

ClientFixture::ClientFixture(std::vector<std::string> anvil_args) : anvil_(std::move(anvil_args)) {
    ::setenv("DOSSIER_KDF", "light", 1);  // geth's light scrypt cost: tests unlock many keystores
    client::Config config;
    config.data_dir = dir_.path();
    config.rpc_url = anvil_.url();
    client_ = client::make_client(config);
    (void)client_->import_account({client::ImportSource::Kind::private_key_hex, Anvil::kDevKey},
                                                 kPassword, Role::admin, "admin", {false});
    admin_ = client_->unlock("admin", kPassword);
    (void)admin_->deploy(std::nullopt, false);
}

ClientFixture::~ClientFixture() = default;

std::string ClientFixture::rpc(const std::string& method, const std::string& params_json) {
    const auto body = anvil_.raw_call(R"({"jsonrpc":"2.0","id":1,"method":")" + method + R"(","params":)" +
                                      params_json + "}");
    const auto j = nlohmann::json::parse(body);
    if (j.contains("error")) throw std::runtime_error(method + " failed: " + j["error"].dump());
    return j["result"].dump();
}

std::unique_ptr<client::Account> ClientFixture::account(Role role, const std::string& label) {
    const auto created = client_->create_account(role, label, kPassword, {false});
    rpc("anvil_setBalance", R"([")" + created.info.address.hex() + R"(", "0x8ac7230489e80000"])");  // 10 ETH
    return client_->unlock(label, kPassword);
}

std::unique_ptr<client::Account> ClientFixture::doctor(const std::string& label) {
    auto d = account(Role::doctor, label);
    (void)d->register_doctor(client::DoctorProfile{"Gregory " + label, "Diagnostics", "NJ-" + label, "", ""});
    admin_->verify_doctor(d->address());
    return d;
}

std::unique_ptr<client::Account> ClientFixture::patient(const std::string& label) {
    auto p = account(Role::patient, label);
    (void)p->register_patient(client::PatientProfile{"Alice " + label, "1980-02-01", "female", "", ""});
    return p;
}

std::unique_ptr<client::Account> ClientFixture::patient_of(client::Account& doctor, const std::string& label,
                                                           unsigned days) {
    auto p = patient(label);
    doctor.request_access(p->address());
    (void)p->approve(doctor.address(), days);
    return p;
}

void ClientFixture::advance_time(std::uint64_t seconds) {
    rpc("evm_increaseTime", "[" + std::to_string(seconds) + "]");
    rpc("evm_mine");
}

client::RecordContent condition(const std::string& code) {
    client::RecordContent c;
    c.kind = client::RecordKind::condition;
    client::RecordFields f;
    f.code = code;
    c.fields = f;
    return c;
}

}  // namespace dossier::test
