#include "eth/tx_sender.hpp"

#include <algorithm>

namespace dossier::eth {

namespace {
std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
}
}  // namespace

bool is_nonce_too_low(const RpcError& e) {
    const std::string m = lower(e.rpc_message());
    return m.find("nonce too low") != std::string::npos || m.find("nonce is too low") != std::string::npos ||
           m.find("replacement transaction underpriced") != std::string::npos ||
           m.find("already used") != std::string::npos;
}

TxSender::TxSender(RpcClient& rpc, PrivateKey key, TxSenderOptions options)
    : rpc_(rpc), key_(std::move(key)), address_(key_.address()), options_(std::move(options)) {
    if (options_.gas_margin_percent < 100) throw Error("the gas margin must be at least 100 percent of the estimate");
}

std::uint64_t TxSender::chain_id() {
    {
        std::lock_guard lock(mutex_);
        if (chain_id_) return *chain_id_;
    }
    const std::uint64_t id = rpc_.chain_id();
    if (options_.expected_chain_id && id != *options_.expected_chain_id)
        throw Error(ErrorCode::deployment, "the node at " + rpc_.url() + " is chain " + std::to_string(id) +
                                               ", not chain " + std::to_string(*options_.expected_chain_id) +
                                               " the transaction is meant for; nothing was signed");
    std::lock_guard lock(mutex_);
    chain_id_ = id;
    return id;
}

void TxSender::resync_nonce() {
    std::lock_guard lock(mutex_);
    next_nonce_.reset();
}

std::uint64_t TxSender::take_nonce() {
    std::lock_guard lock(mutex_);
    // Seeding under the lock keeps two threads from both seeding from the same count.
    if (!next_nonce_) next_nonce_ = rpc_.get_transaction_count(address_, BlockRef::pending());
    return (*next_nonce_)++;
}

Transaction TxSender::prepare(const TxRequest& request) {
    Transaction tx;
    tx.chain_id = chain_id();
    tx.to = request.to;
    tx.value = request.value;
    tx.data = request.data;

    // Everything the node must tell us, in one round trip.
    std::vector<RpcRequest> asks;
    int estimate_at = -1, block_at = -1, tip_at = -1;
    if (!request.gas_limit) {
        CallRequest call;
        call.from = address_;
        call.to = request.to;
        call.data = request.data;
        call.value = request.value;
        estimate_at = static_cast<int>(asks.size());
        asks.push_back({"eth_estimateGas", json::array({to_json(call)})});
    }
    if (!request.max_fee_per_gas) {
        block_at = static_cast<int>(asks.size());
        asks.push_back({"eth_getBlockByNumber", json::array({"latest", false})});
    }
    if (!request.max_priority_fee_per_gas) {
        tip_at = static_cast<int>(asks.size());
        asks.push_back({"eth_maxPriorityFeePerGas", json::array()});
    }
    const std::vector<RpcResponse> answers = rpc_.batch(asks);

    if (estimate_at >= 0) {
        const RpcResponse& a = answers[static_cast<std::size_t>(estimate_at)];
        if (a.error) {
            if (auto data = revert_data_of(*a.error)) throw rpc_.make_revert(std::move(*data));
            throw *a.error;
        }
        const std::uint64_t estimate = decode_u64(a.result, "eth_estimateGas result");
        const U256 with_margin = U256(estimate) * options_.gas_margin_percent / 100;
        tx.gas_limit = to_u64(with_margin);
    } else {
        tx.gas_limit = *request.gas_limit;
    }

    U256 tip = request.max_priority_fee_per_gas.value_or(0);
    if (tip_at >= 0) {
        const RpcResponse& a = answers[static_cast<std::size_t>(tip_at)];
        tip = a.error ? options_.fallback_priority_fee : decode_quantity(a.result, "eth_maxPriorityFeePerGas result");
    }
    if (block_at >= 0) {
        const json& b = answers[static_cast<std::size_t>(block_at)].value();
        if (b.is_null()) throw MalformedResponseError("malformed JSON-RPC response: the latest block is null.");
        const Block latest = decode_block(b);
        if (!latest.base_fee_per_gas) {
            // A chain without EIP-1559: a legacy transaction at the node's gas price.
            tx.type = TxType::legacy;
            tx.gas_price = rpc_.gas_price();
            return tx;
        }
        tx.max_fee_per_gas = *latest.base_fee_per_gas * options_.base_fee_multiplier + tip;
    } else {
        tx.max_fee_per_gas = *request.max_fee_per_gas;
    }
    tx.type = TxType::eip1559;
    tx.max_priority_fee_per_gas = std::min(tip, tx.max_fee_per_gas);
    return tx;
}

SentTransaction TxSender::send(const TxRequest& request) {
    Transaction tx = prepare(request);
    for (int attempt = 0;; ++attempt) {
        tx.nonce = take_nonce();
        const SignedTransaction signed_tx = sign(tx, key_);
        try {
            if (options_.on_signed) options_.on_signed(tx, signed_tx);
            const Bytes32 hash = rpc_.send_raw_transaction(signed_tx.raw);
            return SentTransaction{hash, tx.nonce, tx};
        } catch (const RpcError& e) {
            // The nonce may now be a gap (refused) or used elsewhere (too low): ask the node again.
            resync_nonce();
            if (is_nonce_too_low(e) && attempt < options_.nonce_retries) continue;
            throw;
        } catch (...) {
            resync_nonce();
            throw;
        }
    }
}

Receipt TxSender::wait_for_receipt(const Bytes32& tx_hash, std::chrono::steady_clock::time_point deadline) {
    return rpc_.wait_for_receipt(tx_hash, deadline);
}

Receipt TxSender::send_and_wait(const TxRequest& request, std::chrono::steady_clock::duration timeout) {
    const SentTransaction sent = send(request);
    Receipt receipt = wait_for_receipt(sent.hash, std::chrono::steady_clock::now() + timeout);
    rpc_.require_success(receipt);
    return receipt;
}

}  // namespace dossier::eth
