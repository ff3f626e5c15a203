#include "eth/rpc_client.hpp"

#include <algorithm>

#include "base/cancel.hpp"
#include "base/hex.hpp"
#include "eth/abi_revert.hpp"
#include "eth/answer_check.hpp"
#include "eth/keccak.hpp"

namespace dossier::eth {

namespace {

constexpr std::size_t kMaxDepth = 64;

/// The longest sleep between receipt polls. wait_or_cancel wakes at once on a cancel; the cap
/// also bounds how late a cancel is seen if it lands while a poll is being answered.
constexpr std::chrono::milliseconds kMaxReceiptPollDelay{200};

[[noreturn]] void malformed(const std::string& problem) {
    throw MalformedResponseError("malformed JSON-RPC response: " + problem + ".");
}

/// nlohmann's parser is iterative, but other code walks values recursively; refuse absurd
/// nesting before parsing. Counts brackets outside strings.
bool nesting_within(std::string_view body, std::size_t limit) noexcept {
    std::size_t depth = 0;
    bool in_string = false, escaped = false;
    for (const char c : body) {
        if (in_string) {
            if (escaped) escaped = false;
            else if (c == '\\') escaped = true;
            else if (c == '"') in_string = false;
        } else if (c == '"') {
            in_string = true;
        } else if (c == '[' || c == '{') {
            if (++depth > limit) return false;
        } else if ((c == ']' || c == '}') && depth > 0) {
            --depth;
        }
    }
    return true;
}

json parse_json(std::string_view body) {
    if (body.empty()) malformed("the body is empty");
    if (!nesting_within(body, kMaxDepth)) malformed("the body nests deeper than 64 levels");
    json j = json::parse(body, nullptr, /*allow_exceptions=*/false);
    if (j.is_discarded()) malformed("the body is not JSON");
    return j;
}

std::optional<std::uint64_t> id_of(const json& id) {
    if (id.is_number_unsigned()) return id.get<std::uint64_t>();
    if (id.is_number_integer() && id.get<std::int64_t>() >= 0) return static_cast<std::uint64_t>(id.get<std::int64_t>());
    return std::nullopt;
}

RpcError error_of(const json& e) {
    if (!e.is_object()) malformed("the error member is not an object");
    const auto code = e.find("code");
    const auto message = e.find("message");
    if (code == e.end() || !code->is_number_integer()) malformed("the error has no integer code");
    if (message == e.end() || !message->is_string()) malformed("the error has no message");
    const auto data = e.find("data");
    return RpcError(code->get<std::int64_t>(), message->get<std::string>(), data == e.end() ? json(nullptr) : *data);
}

/// Checks one response object; returns its id (nullopt for a null id, allowed only with an
/// error) and fills `out`.
std::optional<std::uint64_t> read_response(const json& r, RpcResponse& out) {
    if (!r.is_object()) malformed("a response is not an object");
    const auto version = r.find("jsonrpc");
    if (version == r.end() || !version->is_string() || version->get_ref<const std::string&>() != "2.0")
        malformed("a response lacks \"jsonrpc\": \"2.0\"");
    const auto id = r.find("id");
    if (id == r.end()) malformed("a response has no id");
    const auto result = r.find("result");
    const auto error = r.find("error");
    if ((result == r.end()) == (error == r.end())) malformed("a response must hold exactly one of result and error");
    if (error != r.end()) out.error = error_of(*error);
    else out.result = *result;
    if (id->is_null()) {
        if (!out.error) malformed("a successful response has a null id");
        return std::nullopt;
    }
    const auto n = id_of(*id);
    if (!n) malformed("a response id is not a non-negative integer");
    return n;
}

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
}

std::optional<Bytes> hex_data(const json& j) {
    if (!j.is_string()) return std::nullopt;
    const std::string& s = j.get_ref<const std::string&>();
    if (s.size() < 2 || s[0] != '0' || s[1] != 'x') return std::nullopt;
    try {
        return from_hex(s);
    } catch (const DecodeError&) {
        return std::nullopt;
    }
}

}  // namespace

json parse_response(std::string_view body, std::uint64_t expected_id) {
    const json j = parse_json(body);
    if (j.is_array()) malformed("a batch answered a single call");
    RpcResponse r;
    const auto id = read_response(j, r);
    if (id && *id != expected_id)
        malformed("the response id " + std::to_string(*id) + " does not match the request id " + std::to_string(expected_id));
    if (r.error) throw *r.error;
    return std::move(r.result);
}

std::vector<RpcResponse> parse_batch_response(std::string_view body, std::span<const std::uint64_t> ids) {
    const json j = parse_json(body);
    if (j.is_object()) {
        RpcResponse r;
        (void)read_response(j, r);
        if (r.error) throw *r.error;
        malformed("a single result answered a batch");
    }
    if (!j.is_array()) malformed("the batch answer is not an array");
    if (j.size() != ids.size())
        malformed("the batch answer has " + std::to_string(j.size()) + " responses for " + std::to_string(ids.size()) + " requests");
    std::vector<RpcResponse> out(ids.size());
    std::vector<bool> seen(ids.size(), false);
    for (const json& item : j) {
        RpcResponse r;
        const auto id = read_response(item, r);
        if (!id) {
            // A null id means the node could not read a request; it cannot be matched to one.
            if (r.error) throw *r.error;
            malformed("a batch response has a null id");
        }
        const auto it = std::find(ids.begin(), ids.end(), *id);
        if (it == ids.end()) malformed("the batch answer holds an unknown id " + std::to_string(*id));
        const auto index = static_cast<std::size_t>(it - ids.begin());
        if (seen[index]) malformed("the batch answer repeats id " + std::to_string(*id));
        seen[index] = true;
        out[index] = std::move(r);
    }
    return out;
}

std::optional<Bytes> revert_data_of(const RpcError& e) {
    const bool reverted = e.code() == 3 || lower(e.rpc_message()).find("revert") != std::string::npos;
    if (!reverted) return std::nullopt;
    // Nodes put the data in error.data as a hex string; some wrap it as {"data": "0x..."}, and
    // ganache (eth_estimateGas) as {"result": "0x...", "reason": ..., "programCounter": ...}.
    if (auto d = hex_data(e.data())) return d;
    if (e.data().is_object()) {
        for (const char* member : {"data", "result"}) {
            const auto inner = e.data().find(member);
            if (inner != e.data().end())
                if (auto d = hex_data(*inner)) return d;
        }
    }
    return Bytes{};
}

std::string describe_revert(ByteView data, std::span<const std::string> custom_error_signatures) {
    return abi::decode_revert(data, custom_error_signatures).message();
}

bool is_log_limit_error(const RpcError& e) {
    if (e.code() == -32005) return true;  // "limit exceeded" in EIP-1474
    const std::string m = lower(e.rpc_message());
    for (const char* phrase : {"too many", "more than", "limit exceeded", "exceed", "too large", "response size",
                               "block range", "query timeout", "range is too"})
        if (m.find(phrase) != std::string::npos) return true;
    return false;
}

RpcClient::RpcClient(std::unique_ptr<Transport> transport) : transport_(std::move(transport)) {
    if (!transport_) throw Error("an RPC client needs a transport");
}

RpcClient::RpcClient(std::string url, HttpOptions options)
    : RpcClient(std::make_unique<HttpTransport>(std::move(url), options)) {}

namespace {
/// Turns a non-2xx answer into RpcError if it carries a JSON-RPC error, else HttpStatusError.
[[noreturn]] void http_failure(const TransportResponse& r, const std::string& url) {
    try {
        const json j = parse_json(r.body);
        const json* e = nullptr;
        if (j.is_object()) e = j.contains("error") ? &j["error"] : nullptr;
        if (e) throw error_of(*e);
    } catch (const MalformedResponseError&) {
    }
    throw HttpStatusError(url, r.status);
}
}  // namespace

json RpcClient::call(std::string_view method, json params) {
    const std::uint64_t id = next_id_.fetch_add(1);
    const json request = {{"jsonrpc", "2.0"}, {"id", id}, {"method", method}, {"params", std::move(params)}};
    const TransportResponse r = transport_->post(request.dump());
    if (r.status < 200 || r.status > 299) http_failure(r, transport_->url());
    return parse_response(r.body, id);
}

std::vector<RpcResponse> RpcClient::batch(std::span<const RpcRequest> requests) {
    if (requests.empty()) return {};
    const std::uint64_t first = next_id_.fetch_add(requests.size());
    std::vector<std::uint64_t> ids(requests.size());
    json body = json::array();
    for (std::size_t i = 0; i < requests.size(); ++i) {
        ids[i] = first + i;
        body.push_back({{"jsonrpc", "2.0"}, {"id", ids[i]}, {"method", requests[i].method}, {"params", requests[i].params}});
    }
    const TransportResponse r = transport_->post(body.dump());
    if (r.status < 200 || r.status > 299) http_failure(r, transport_->url());
    return parse_batch_response(r.body, ids);
}

RevertedError RpcClient::make_revert(Bytes data, std::optional<Bytes32> tx_hash) const {
    std::string reason = describe_revert(data, custom_errors_);
    return RevertedError(std::move(data), std::move(reason), tx_hash);
}

json RpcClient::call_revertible(std::string_view method, json params) {
    try {
        return call(method, std::move(params));
    } catch (const RpcError& e) {
        if (auto data = revert_data_of(e)) throw make_revert(std::move(*data));
        throw;
    }
}

std::uint64_t RpcClient::chain_id() { return decode_u64(call("eth_chainId"), "eth_chainId result"); }

std::uint64_t RpcClient::block_number() { return decode_u64(call("eth_blockNumber"), "eth_blockNumber result"); }

U256 RpcClient::get_balance(const Address& account, const BlockRef& block) {
    return decode_quantity(call("eth_getBalance", json::array({account.to_hex(), block.param()})), "eth_getBalance result");
}

std::uint64_t RpcClient::get_transaction_count(const Address& account, const BlockRef& block) {
    return decode_u64(call("eth_getTransactionCount", json::array({account.to_hex(), block.param()})), "eth_getTransactionCount result");
}

U256 RpcClient::gas_price() { return decode_quantity(call("eth_gasPrice"), "eth_gasPrice result"); }

U256 RpcClient::max_priority_fee_per_gas() {
    return decode_quantity(call("eth_maxPriorityFeePerGas"), "eth_maxPriorityFeePerGas result");
}

FeeHistory RpcClient::fee_history(std::uint64_t block_count, const BlockRef& newest, std::span<const double> reward_percentiles) {
    json percentiles = json::array();
    for (double p : reward_percentiles) percentiles.push_back(p);
    return decode_fee_history(call("eth_feeHistory", json::array({to_quantity(block_count), newest.param(), percentiles})));
}

U256 RpcClient::base_fee() {
    const auto block = get_block(BlockRef::latest());
    if (!block) malformed("the latest block is null");
    return block->base_fee_per_gas.value_or(0);
}

Bytes RpcClient::eth_call(const CallRequest& request, const BlockRef& block) {
    return decode_data(call_revertible("eth_call", json::array({to_json(request), block.param()})), "eth_call result");
}

std::uint64_t RpcClient::estimate_gas(const CallRequest& request) {
    return decode_u64(call_revertible("eth_estimateGas", json::array({to_json(request)})), "eth_estimateGas result");
}

Bytes32 RpcClient::send_raw_transaction(ByteView raw) {
    const Bytes32 hash = decode_bytes32(call("eth_sendRawTransaction", json::array({to_hex(raw)})), "eth_sendRawTransaction result");
    if (hash != keccak256(raw)) malformed("the node reported a transaction hash that is not the hash of the sent transaction");
    return hash;
}

std::optional<Receipt> RpcClient::get_transaction_receipt(const Bytes32& tx_hash) {
    const json r = call("eth_getTransactionReceipt", json::array({to_hex(tx_hash)}));
    if (r.is_null()) return std::nullopt;
    Receipt receipt = decode_receipt(r);
    check_receipt_answer(receipt, tx_hash, url());
    return receipt;
}

std::optional<TransactionInfo> RpcClient::get_transaction(const Bytes32& tx_hash) {
    const json r = call("eth_getTransactionByHash", json::array({to_hex(tx_hash)}));
    if (r.is_null()) return std::nullopt;
    TransactionInfo t = decode_transaction(r);
    if (t.hash != tx_hash)
        throw UntrustedAnswerError(url(), "another transaction than the one asked for: asked for " + to_hex(tx_hash) +
                                              ", got " + to_hex(t.hash));
    return t;
}

std::optional<Block> RpcClient::get_block(const BlockRef& block) {
    const json r = call("eth_getBlockByNumber", json::array({block.param(), false}));
    if (r.is_null()) return std::nullopt;
    return decode_block(r);
}

std::optional<Block> RpcClient::get_block_by_hash(const Bytes32& hash) {
    const json r = call("eth_getBlockByHash", json::array({to_hex(hash), false}));
    if (r.is_null()) return std::nullopt;
    Block b = decode_block(r);
    if (b.hash != hash)
        throw UntrustedAnswerError(url(), "another block than the one asked for: asked for " + to_hex(hash) + ", got " +
                                              to_hex(b.hash));
    return b;
}

Bytes RpcClient::get_code(const Address& account, const BlockRef& block) {
    return decode_data(call("eth_getCode", json::array({account.to_hex(), block.param()})), "eth_getCode result");
}

Bytes32 RpcClient::get_storage_at(const Address& account, const U256& slot, const BlockRef& block) {
    return decode_bytes32(call("eth_getStorageAt", json::array({account.to_hex(), to_quantity(slot), block.param()})),
                          "eth_getStorageAt result");
}

std::vector<Log> RpcClient::get_logs(const LogFilter& filter, const BlockRef& from, const BlockRef& to) {
    std::vector<Log> logs = decode_logs(call("eth_getLogs", json::array({to_json(filter, from, to)})));
    check_logs_answer(logs, filter, from, to, url());
    return logs;
}

std::vector<Log> RpcClient::get_logs_paged(const LogFilter& filter, std::uint64_t from, std::uint64_t to,
                                           std::uint64_t max_range) {
    if (max_range == 0) throw Error("a log page must span at least one block");
    std::vector<Log> out;
    if (from > to) return out;
    std::uint64_t range = max_range;
    std::uint64_t start = from;
    for (;;) {
        throw_if_cancelled("reading the chain's event logs");
        const std::uint64_t end = (to - start >= range - 1) ? start + (range - 1) : to;
        std::vector<Log> page;
        try {
            page = get_logs(filter, BlockRef::number(start), BlockRef::number(end));
        } catch (const RpcError& e) {
            if (!is_log_limit_error(e) || end == start) throw;
            range = std::max<std::uint64_t>(1, (end - start + 1) / 2);
            continue;
        }
        out.insert(out.end(), std::make_move_iterator(page.begin()), std::make_move_iterator(page.end()));
        if (end == to) break;
        start = end + 1;
    }
    return out;
}

Receipt RpcClient::wait_for_receipt(const Bytes32& tx_hash, std::chrono::steady_clock::time_point deadline) {
    using namespace std::chrono;
    // The transaction is out of the caller's hands: a cancel must say which one may still be mined.
    const auto stopped = [&] {
        return Error(ErrorCode::cancelled,
                     "stopped waiting for transaction " + to_hex(tx_hash) + "; it was sent and may still be mined",
                     to_hex(tx_hash));
    };
    milliseconds delay{2};
    for (;;) {
        if (cancelled()) throw stopped();
        std::optional<Receipt> receipt;
        try {
            receipt = get_transaction_receipt(tx_hash);
        } catch (const Error& e) {
            if (e.code() == ErrorCode::cancelled) throw stopped();
            throw;
        }
        if (receipt) return std::move(*receipt);
        const auto now = steady_clock::now();
        if (now >= deadline)
            throw Error(ErrorCode::node_unavailable,
                        "Transaction " + to_hex(tx_hash) + " was not mined before the deadline.");
        if (!wait_or_cancel(std::min<steady_clock::duration>(delay, deadline - now))) throw stopped();
        delay = std::min(delay * 2, kMaxReceiptPollDelay);
    }
}

RevertedError RpcClient::explain_failure(const Receipt& receipt) {
    const auto tx = get_transaction(receipt.transaction_hash);
    if (!tx)
        return RevertedError({}, "reverted (the node no longer knows the transaction, so the reason is unknown)",
                             receipt.transaction_hash);
    CallRequest replay;
    replay.from = tx->from;
    replay.to = tx->to;
    replay.data = tx->input;
    replay.value = tx->value;
    replay.gas = tx->gas;
    // The state just before the transaction's block; exact when the block holds only this one.
    const BlockRef at = BlockRef::number(receipt.block_number == 0 ? 0 : receipt.block_number - 1);
    try {
        (void)eth_call(replay, at);
    } catch (const RevertedError& e) {
        return make_revert(e.revert_data(), receipt.transaction_hash);
    } catch (const RpcError& e) {
        return RevertedError({}, "reverted (replaying it to learn the reason failed: " + e.rpc_message() + ")",
                             receipt.transaction_hash);
    }
    return RevertedError({}, "reverted, but replaying it did not revert (the state before it differed)",
                         receipt.transaction_hash);
}

const Receipt& RpcClient::require_success(const Receipt& receipt) {
    if (!receipt.success) throw explain_failure(receipt);
    return receipt;
}

}  // namespace dossier::eth
