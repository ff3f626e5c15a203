#include "chain/contracts_client.hpp"

#include <algorithm>

#include "base/hex.hpp"
#include "eth/keccak.hpp"

namespace dossier::chain {
namespace abi = eth::abi;

namespace {
/// Logs are fetched in windows of this many blocks (public nodes commonly cap a query at
/// 10,000 blocks; get_logs_paged halves further if the node asks).
constexpr std::uint64_t kLogWindow = 10'000;

Bytes32 code_hash(eth::RpcClient& rpc, const eth::Address& a) { return eth::keccak256(rpc.get_code(a)); }
}  // namespace

std::vector<std::string> custom_error_signatures() {
    std::vector<std::string> out;
    for (auto s : gen::AuditContract::errors) out.emplace_back(s);
    for (auto s : gen::DoctorContract::errors) out.emplace_back(s);
    for (auto s : gen::PatientContract::errors) out.emplace_back(s);
    for (auto s : gen::DossierDeployment::errors) out.emplace_back(s);
    return out;
}

Bytes32 address_topic(const eth::Address& a) { return a.to_word(); }

std::vector<Value> decode_event(std::string_view signature, const std::vector<bool>& indexed, const eth::Log& log,
                                const std::string& node_url) {
    try {
        return abi::decode_log(signature, indexed, log.topics, log.data);
    } catch (const abi::AbiError& e) {
        throw eth::UntrustedAnswerError(node_url, "a log that does not decode as the event " + std::string(signature) +
                                                      " (block " + std::to_string(log.block_number) + ", log " +
                                                      std::to_string(log.log_index) + "): " + e.what());
    }
}

ContractsClient::ContractsClient(eth::RpcClient& rpc, Manifest manifest) : rpc_(rpc), manifest_(std::move(manifest)) {
    rpc_.set_custom_errors(custom_error_signatures());
}

std::vector<Value> ContractsClient::view(const eth::Address& to, std::string_view signature, std::string_view returns,
                                         std::span<const Value> args) {
    eth::CallRequest call;
    call.to = to;
    call.data = abi::encode_call(signature, args);
    const Bytes result = rpc_.eth_call(call);
    const abi::Type tuple = abi::Type::parse(returns);
    return abi::decode(tuple.children, result);
}

eth::SentTransaction ContractsClient::send(eth::TxSender& sender, const eth::Address& to, std::string_view signature,
                                           std::span<const Value> args) {
    eth::TxRequest request;
    request.to = to;
    request.data = abi::encode_call(signature, args);
    return sender.send(request);
}

eth::Receipt ContractsClient::transact(eth::TxSender& sender, const eth::Address& to, std::string_view signature,
                                       std::span<const Value> args, std::chrono::steady_clock::duration timeout) {
    eth::TxRequest request;
    request.to = to;
    request.data = abi::encode_call(signature, args);
    return sender.send_and_wait(request, timeout);
}

std::vector<DecodedEvent> ContractsClient::events_impl(const eth::Address& contract, std::string_view signature,
                                                       const std::vector<bool>& indexed,
                                                       std::vector<std::optional<Bytes32>> topics,
                                                       std::optional<std::uint64_t> from, std::optional<std::uint64_t> to) {
    eth::LogFilter filter;
    filter.addresses = {contract};
    filter.topics.push_back(std::vector<Bytes32>{abi::event_topic(signature)});
    for (auto& t : topics) {
        if (t) filter.topics.push_back(std::vector<Bytes32>{*t});
        else filter.topics.push_back(std::nullopt);
    }
    const std::uint64_t first = std::max(from.value_or(0), manifest_.deployment_block);
    const std::uint64_t last = to ? *to : rpc_.block_number();
    std::vector<DecodedEvent> out;
    if (last < first) return out;
    for (auto& log : rpc_.get_logs_paged(filter, first, last, kLogWindow)) {
        DecodedEvent e;
        e.values = decode_event(signature, indexed, log, rpc_.url());
        e.log = std::move(log);
        out.push_back(std::move(e));
    }
    return out;
}

void ContractsClient::verify_deployment() {
    const std::uint64_t id = rpc_.chain_id();
    if (id != manifest_.chain_id)
        throw ManifestError("the node is chain " + std::to_string(id) + " but the deployment manifest is for chain " +
                            std::to_string(manifest_.chain_id));
    const std::pair<const char*, const eth::Address*> contracts[] = {
        {"AuditContract", &manifest_.audit}, {"DoctorContract", &manifest_.doctor}, {"PatientContract", &manifest_.patient}};
    for (const auto& [name, address] : contracts) {
        const Bytes code = rpc_.get_code(*address);
        if (code.empty())
            throw ManifestError(std::string(name) + " has no code at " + address->to_checksum() +
                                ": the chain was reset or the manifest belongs to another deployment");
        const auto it = manifest_.code_hashes.find(name);
        if (it != manifest_.code_hashes.end() && it->second != eth::keccak256(code))
            throw ManifestError(std::string(name) + " at " + address->to_checksum() +
                                " is not the contract the manifest recorded");
    }
}

Manifest deploy_contracts(eth::RpcClient& rpc, eth::TxSender& deployer, const eth::Address& authority) {
    rpc.set_custom_errors(custom_error_signatures());
    eth::TxRequest request;
    request.data = from_hex(gen::DossierDeployment::artifact.creation_code_hex);
    const Value args[] = {Value::address(authority)};
    append(request.data, abi::encode(std::vector<abi::Type>{abi::Type::parse("address")}, args));
    const eth::Receipt receipt = deployer.send_and_wait(request, std::chrono::minutes(2));
    if (!receipt.contract_address) throw ManifestError("the deployment transaction created no contract");

    ContractsClient probe(rpc, Manifest{});
    auto address_of = [&](std::string_view fn) {
        return probe.view(*receipt.contract_address, fn, "(address)", {}).at(0).as_address();
    };
    Manifest m;
    m.chain_id = deployer.chain_id();
    m.deployment_block = receipt.block_number;
    m.deployer = deployer.address();
    m.doctor = address_of(gen::DossierDeployment::fn::DOCTORS);
    m.patient = address_of(gen::DossierDeployment::fn::PATIENTS);
    m.audit = address_of(gen::DossierDeployment::fn::AUDIT);
    m.code_hashes["AuditContract"] = code_hash(rpc, m.audit);
    m.code_hashes["DoctorContract"] = code_hash(rpc, m.doctor);
    m.code_hashes["PatientContract"] = code_hash(rpc, m.patient);
    return m;
}

}  // namespace dossier::chain
