#include "eth/rpc_types.hpp"

#include "base/hex.hpp"
#include "eth/rpc_error.hpp"

namespace dossier::eth {

namespace {

[[noreturn]] void malformed(const char* what, const std::string& problem) {
    throw MalformedResponseError(std::string("malformed JSON-RPC response: ") + what + " " + problem + ".");
}

const std::string& text_of(const json& j, const char* what) {
    if (!j.is_string()) malformed(what, "is not a string");
    return j.get_ref<const std::string&>();
}

/// The member `key` of object `j`; a missing member is malformed.
const json& member(const json& j, const char* key) {
    if (!j.is_object()) malformed(key, "belongs to a value that is not an object");
    const auto it = j.find(key);
    if (it == j.end()) malformed(key, "is missing");
    return *it;
}

/// The member `key` of object `j`, or nullptr when missing or null.
const json* optional_member(const json& j, const char* key) {
    if (!j.is_object()) malformed(key, "belongs to a value that is not an object");
    const auto it = j.find(key);
    if (it == j.end() || it->is_null()) return nullptr;
    return &*it;
}

std::vector<Bytes32> decode_hash_list(const json& j, const char* what) {
    if (!j.is_array()) malformed(what, "is not an array");
    std::vector<Bytes32> out;
    out.reserve(j.size());
    for (const json& e : j) out.push_back(decode_bytes32(e, what));
    return out;
}

json hash_list(const std::vector<Bytes32>& hs) {
    if (hs.size() == 1) return to_hex(hs[0]);
    json a = json::array();
    for (const auto& h : hs) a.push_back(to_hex(h));
    return a;
}

}  // namespace

U256 decode_quantity(const json& j, const char* what) {
    const std::string& s = text_of(j, what);
    try {
        return parse_quantity(s);
    } catch (const DecodeError&) {
        malformed(what, "is not a hex quantity");
    }
}

std::uint64_t decode_u64(const json& j, const char* what) {
    const U256 v = decode_quantity(j, what);
    if (v > U256(std::numeric_limits<std::uint64_t>::max())) malformed(what, "does not fit in 64 bits");
    return static_cast<std::uint64_t>(v);
}

Bytes decode_data(const json& j, const char* what) {
    const std::string& s = text_of(j, what);
    if (s.size() < 2 || s[0] != '0' || s[1] != 'x') malformed(what, "does not start with 0x");
    try {
        return from_hex(s);
    } catch (const DecodeError&) {
        malformed(what, "is not valid hex data");
    }
}

Bytes32 decode_bytes32(const json& j, const char* what) {
    const Bytes b = decode_data(j, what);
    if (b.size() != 32) malformed(what, "is not 32 bytes long");
    Bytes32 out{};
    std::copy(b.begin(), b.end(), out.begin());
    return out;
}

Address decode_address(const json& j, const char* what) {
    const Bytes b = decode_data(j, what);
    if (b.size() != 20) malformed(what, "is not a 20-byte address");
    Address a;
    std::copy(b.begin(), b.end(), a.bytes.begin());
    return a;
}

json to_json(const CallRequest& call) {
    json j = json::object();
    if (call.from) j["from"] = call.from->to_hex();
    if (call.to) j["to"] = call.to->to_hex();
    // "input" is the specified name, read by anvil, ganache and geth alike; Hardhat's node rejects
    // a call object that also carries the older "data" ("duplicate field").
    if (!call.data.empty()) j["input"] = to_hex(call.data);
    if (call.value) j["value"] = to_quantity(*call.value);
    if (call.gas) j["gas"] = to_quantity(*call.gas);
    if (call.max_fee_per_gas) j["maxFeePerGas"] = to_quantity(*call.max_fee_per_gas);
    if (call.max_priority_fee_per_gas) j["maxPriorityFeePerGas"] = to_quantity(*call.max_priority_fee_per_gas);
    return j;
}

json to_json(const LogFilter& filter, const BlockRef& from, const BlockRef& to) {
    json j = json::object();
    j["fromBlock"] = from.param();
    j["toBlock"] = to.param();
    if (filter.addresses.size() == 1) {
        j["address"] = filter.addresses[0].to_hex();
    } else if (!filter.addresses.empty()) {
        json a = json::array();
        for (const auto& addr : filter.addresses) a.push_back(addr.to_hex());
        j["address"] = a;
    }
    if (!filter.topics.empty()) {
        json t = json::array();
        for (const auto& position : filter.topics) t.push_back(position ? hash_list(*position) : json(nullptr));
        j["topics"] = t;
    }
    return j;
}

Log decode_log(const json& j) {
    if (!j.is_object()) malformed("log", "is not an object");
    Log log;
    log.address = decode_address(member(j, "address"), "log address");
    log.topics = decode_hash_list(member(j, "topics"), "log topics");
    if (log.topics.size() > 4) malformed("log topics", "has more than four entries");
    log.data = decode_data(member(j, "data"), "log data");
    log.block_number = decode_u64(member(j, "blockNumber"), "log blockNumber");
    log.block_hash = decode_bytes32(member(j, "blockHash"), "log blockHash");
    log.transaction_hash = decode_bytes32(member(j, "transactionHash"), "log transactionHash");
    log.transaction_index = decode_u64(member(j, "transactionIndex"), "log transactionIndex");
    log.log_index = decode_u64(member(j, "logIndex"), "log logIndex");
    if (const json* r = optional_member(j, "removed")) {
        if (!r->is_boolean()) malformed("log removed", "is not a boolean");
        log.removed = r->get<bool>();
    }
    return log;
}

std::vector<Log> decode_logs(const json& j) {
    if (!j.is_array()) malformed("logs", "is not an array");
    std::vector<Log> out;
    out.reserve(j.size());
    for (const json& e : j) out.push_back(decode_log(e));
    return out;
}

Receipt decode_receipt(const json& j) {
    if (!j.is_object()) malformed("receipt", "is not an object");
    Receipt r;
    r.transaction_hash = decode_bytes32(member(j, "transactionHash"), "receipt transactionHash");
    r.transaction_index = decode_u64(member(j, "transactionIndex"), "receipt transactionIndex");
    r.block_hash = decode_bytes32(member(j, "blockHash"), "receipt blockHash");
    r.block_number = decode_u64(member(j, "blockNumber"), "receipt blockNumber");
    r.from = decode_address(member(j, "from"), "receipt from");
    if (const json* to = optional_member(j, "to")) r.to = decode_address(*to, "receipt to");
    const U256 status = decode_quantity(member(j, "status"), "receipt status");
    if (status > 1) malformed("receipt status", "is neither 0 nor 1");
    r.success = status == 1;
    r.gas_used = decode_u64(member(j, "gasUsed"), "receipt gasUsed");
    r.cumulative_gas_used = decode_u64(member(j, "cumulativeGasUsed"), "receipt cumulativeGasUsed");
    r.effective_gas_price = decode_quantity(member(j, "effectiveGasPrice"), "receipt effectiveGasPrice");
    if (const json* ca = optional_member(j, "contractAddress")) r.contract_address = decode_address(*ca, "receipt contractAddress");
    r.logs = decode_logs(member(j, "logs"));
    if (const json* t = optional_member(j, "type")) {
        const std::uint64_t type = decode_u64(*t, "receipt type");
        if (type > 0x7f) malformed("receipt type", "is not a transaction type");
        r.type = static_cast<std::uint8_t>(type);
    }
    return r;
}

Block decode_block(const json& j) {
    if (!j.is_object()) malformed("block", "is not an object");
    Block b;
    b.number = decode_u64(member(j, "number"), "block number");
    b.hash = decode_bytes32(member(j, "hash"), "block hash");
    b.parent_hash = decode_bytes32(member(j, "parentHash"), "block parentHash");
    b.timestamp = decode_u64(member(j, "timestamp"), "block timestamp");
    b.gas_limit = decode_u64(member(j, "gasLimit"), "block gasLimit");
    b.gas_used = decode_u64(member(j, "gasUsed"), "block gasUsed");
    if (const json* fee = optional_member(j, "baseFeePerGas")) b.base_fee_per_gas = decode_quantity(*fee, "block baseFeePerGas");
    if (const json* txs = optional_member(j, "transactions")) {
        if (!txs->is_array()) malformed("block transactions", "is not an array");
        b.transactions.reserve(txs->size());
        for (const json& t : *txs)
            b.transactions.push_back(t.is_object() ? decode_bytes32(member(t, "hash"), "block transaction hash")
                                                   : decode_bytes32(t, "block transaction hash"));
    }
    return b;
}

TransactionInfo decode_transaction(const json& j) {
    if (!j.is_object()) malformed("transaction", "is not an object");
    TransactionInfo t;
    t.hash = decode_bytes32(member(j, "hash"), "transaction hash");
    t.from = decode_address(member(j, "from"), "transaction from");
    if (const json* to = optional_member(j, "to")) t.to = decode_address(*to, "transaction to");
    t.value = decode_quantity(member(j, "value"), "transaction value");
    t.input = decode_data(member(j, "input"), "transaction input");
    t.gas = decode_u64(member(j, "gas"), "transaction gas");
    t.nonce = decode_u64(member(j, "nonce"), "transaction nonce");
    if (const json* bn = optional_member(j, "blockNumber")) t.block_number = decode_u64(*bn, "transaction blockNumber");
    return t;
}

FeeHistory decode_fee_history(const json& j) {
    if (!j.is_object()) malformed("fee history", "is not an object");
    FeeHistory h;
    h.oldest_block = decode_u64(member(j, "oldestBlock"), "fee history oldestBlock");
    const json& fees = member(j, "baseFeePerGas");
    if (!fees.is_array()) malformed("fee history baseFeePerGas", "is not an array");
    for (const json& f : fees) h.base_fee_per_gas.push_back(decode_quantity(f, "fee history baseFeePerGas"));
    const json& ratios = member(j, "gasUsedRatio");
    if (!ratios.is_array()) malformed("fee history gasUsedRatio", "is not an array");
    for (const json& r : ratios) {
        if (!r.is_number()) malformed("fee history gasUsedRatio", "holds a value that is not a number");
        h.gas_used_ratio.push_back(r.get<double>());
    }
    if (const json* rewards = optional_member(j, "reward")) {
        if (!rewards->is_array()) malformed("fee history reward", "is not an array");
        for (const json& block : *rewards) {
            if (!block.is_array()) malformed("fee history reward", "holds a value that is not an array");
            std::vector<U256> row;
            for (const json& r : block) row.push_back(decode_quantity(r, "fee history reward"));
            h.reward.push_back(std::move(row));
        }
    }
    return h;
}

}  // namespace dossier::eth
