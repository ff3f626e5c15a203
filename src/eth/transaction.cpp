#include "eth/transaction.hpp"

#include <cstring>
#include <limits>
#include <string>

#include "eth/keccak.hpp"
#include "eth/rlp.hpp"

namespace dossier::eth {
namespace {

using rlp::Item;

Item uint_item(std::uint64_t v) { return Item::string(rlp::minimal_be(v)); }
Item u256_item(const U256& v) { return Item::string(to_be_minimal(v)); }
Item bytes_item(ByteView b) { return Item::string(Bytes(b.begin(), b.end())); }

Item to_item(const std::optional<Address>& to) {
    return to ? bytes_item(to->bytes) : Item::string({});
}

Item access_list_item(const AccessList& list) {
    Item out = Item::list({});
    for (const AccessListEntry& e : list) {
        Item keys = Item::list({});
        for (const Bytes32& k : e.storage_keys) keys.items.push_back(bytes_item(k));
        out.items.push_back(Item::list({bytes_item(e.address.bytes), std::move(keys)}));
    }
    return out;
}

void check_fields(const Transaction& tx) {
    if (tx.chain_id == 0) throw TransactionError("transaction chain id must not be 0 (replay protection needs it)");
    switch (tx.type) {
        case TxType::legacy:
            if (tx.max_fee_per_gas != 0 || tx.max_priority_fee_per_gas != 0)
                throw TransactionError("a legacy transaction has a gas price, not EIP-1559 fee caps");
            if (!tx.access_list.empty()) throw TransactionError("a legacy transaction cannot carry an access list");
            return;
        case TxType::eip1559:
            if (tx.gas_price != 0) throw TransactionError("an EIP-1559 transaction has fee caps, not a gas price");
            return;
    }
    throw TransactionError("unsupported transaction type " + std::to_string(static_cast<int>(tx.type)));
}

/// The fields common to both types' signed and unsigned lists, in their order for `tx.type`.
std::vector<Item> body_items(const Transaction& tx) {
    if (tx.type == TxType::legacy)
        return {uint_item(tx.nonce), u256_item(tx.gas_price), uint_item(tx.gas_limit), to_item(tx.to),
                u256_item(tx.value), bytes_item(tx.data)};
    return {uint_item(tx.chain_id),       uint_item(tx.nonce),       u256_item(tx.max_priority_fee_per_gas),
            u256_item(tx.max_fee_per_gas), uint_item(tx.gas_limit),   to_item(tx.to),
            u256_item(tx.value),           bytes_item(tx.data),       access_list_item(tx.access_list)};
}

Bytes typed(std::uint8_t type, const Item& list) {
    Bytes out{type};
    append(out, rlp::encode(list));
    return out;
}

Bytes strip_leading_zeros(const Bytes32& b) {
    std::size_t i = 0;
    while (i < b.size() && b[i] == 0) ++i;
    return Bytes(b.begin() + static_cast<std::ptrdiff_t>(i), b.end());
}

// ---- decoding helpers: each names the field it rejects ----

const Bytes& string_field(const Item& item, const char* field) {
    if (item.is_list) throw TransactionError(std::string("transaction field '") + field + "' must be a string, not a list");
    return item.bytes;
}

U256 u256_field(const Item& item, const char* field) {
    const Bytes& b = string_field(item, field);
    if (b.size() > 32) throw TransactionError(std::string("transaction field '") + field + "' is wider than 256 bits");
    if (!b.empty() && b[0] == 0)
        throw TransactionError(std::string("transaction field '") + field + "' has a leading zero byte");
    return from_be(b);
}

std::uint64_t u64_field(const Item& item, const char* field) {
    const U256 v = u256_field(item, field);
    if (v > std::numeric_limits<std::uint64_t>::max())
        throw TransactionError(std::string("transaction field '") + field + "' does not fit in 64 bits");
    return static_cast<std::uint64_t>(v);
}

std::optional<Address> to_field(const Item& item) {
    const Bytes& b = string_field(item, "to");
    if (b.empty()) return std::nullopt;
    if (b.size() != 20) throw TransactionError("transaction field 'to' must be empty or 20 bytes");
    Address a;
    std::memcpy(a.bytes.data(), b.data(), 20);
    return a;
}

Bytes32 scalar_field(const Item& item, const char* field) {
    const U256 v = u256_field(item, field);
    if (v == 0) throw TransactionError(std::string("transaction signature '") + field + "' is zero");
    return to_be32(v);
}

AccessList access_list_field(const Item& item) {
    if (!item.is_list) throw TransactionError("transaction access list must be a list");
    AccessList list;
    for (const Item& entry : item.items) {
        if (!entry.is_list || entry.items.size() != 2)
            throw TransactionError("access list entry must be a list [address, storage keys]");
        const Bytes& addr = string_field(entry.items[0], "access list address");
        if (addr.size() != 20) throw TransactionError("access list address must be 20 bytes");
        AccessListEntry e;
        std::memcpy(e.address.bytes.data(), addr.data(), 20);
        if (!entry.items[1].is_list) throw TransactionError("access list storage keys must be a list");
        for (const Item& key : entry.items[1].items) {
            const Bytes& k = string_field(key, "access list storage key");
            if (k.size() != 32) throw TransactionError("access list storage key must be 32 bytes");
            Bytes32 kb{};
            std::memcpy(kb.data(), k.data(), 32);
            e.storage_keys.push_back(kb);
        }
        list.push_back(std::move(e));
    }
    return list;
}

Item decode_list(ByteView data, std::size_t fields, const char* what) {
    Item item;
    try {
        item = rlp::decode(data);
    } catch (const rlp::RlpError& e) {
        throw TransactionError(std::string(what) + ": " + e.what());
    }
    if (!item.is_list || item.items.size() != fields)
        throw TransactionError(std::string(what) + " must be an RLP list of " + std::to_string(fields) + " fields");
    return item;
}

}  // namespace

Bytes signing_payload(const Transaction& tx) {
    check_fields(tx);
    std::vector<Item> items = body_items(tx);
    if (tx.type == TxType::legacy) {
        items.push_back(uint_item(tx.chain_id));
        items.push_back(Item::string({}));
        items.push_back(Item::string({}));
        return rlp::encode(Item::list(std::move(items)));
    }
    return typed(2, Item::list(std::move(items)));
}

Bytes32 signing_hash(const Transaction& tx) { return keccak256(signing_payload(tx)); }

Bytes encode_signed(const Transaction& tx, const Signature& sig) {
    check_fields(tx);
    if (sig.recovery_id > 1) throw TransactionError("signature recovery id must be 0 or 1");
    if (!sig.has_low_s()) throw TransactionError("transaction signature has a high s value");
    std::vector<Item> items = body_items(tx);
    if (tx.type == TxType::legacy) {
        const U256 v = U256(tx.chain_id) * 2 + 35 + sig.recovery_id;
        items.push_back(u256_item(v));
    } else {
        items.push_back(uint_item(sig.recovery_id));
    }
    items.push_back(Item::string(strip_leading_zeros(sig.r)));
    items.push_back(Item::string(strip_leading_zeros(sig.s)));
    if (tx.type == TxType::legacy) return rlp::encode(Item::list(std::move(items)));
    return typed(2, Item::list(std::move(items)));
}

SignedTransaction sign(const Transaction& tx, const PrivateKey& key) {
    const Signature sig = sign_hash(key, signing_hash(tx));
    SignedTransaction out;
    out.raw = encode_signed(tx, sig);
    out.hash = keccak256(out.raw);
    out.from = key.address();
    return out;
}

DecodedTransaction decode_signed(ByteView raw) {
    if (raw.empty()) throw TransactionError("empty transaction");
    DecodedTransaction out;
    Transaction& tx = out.tx;
    Signature& sig = out.signature;
    if (raw[0] >= 0xc0) {
        const Item list = decode_list(raw, 9, "legacy transaction");
        const auto& f = list.items;
        tx.type = TxType::legacy;
        tx.nonce = u64_field(f[0], "nonce");
        tx.gas_price = u256_field(f[1], "gasPrice");
        tx.gas_limit = u64_field(f[2], "gas");
        tx.to = to_field(f[3]);
        tx.value = u256_field(f[4], "value");
        tx.data = string_field(f[5], "data");
        const U256 v = u256_field(f[6], "v");
        if (v == 27 || v == 28)
            throw TransactionError("legacy transaction without EIP-155 replay protection (v = 27/28) is not accepted");
        if (v < 37) throw TransactionError("legacy transaction has an invalid v");
        const U256 chain = (v - 35) / 2;
        if (chain > std::numeric_limits<std::uint64_t>::max())
            throw TransactionError("legacy transaction chain id does not fit in 64 bits");
        tx.chain_id = static_cast<std::uint64_t>(chain);
        sig.recovery_id = static_cast<std::uint8_t>((v - 35) % 2);
        sig.r = scalar_field(f[7], "r");
        sig.s = scalar_field(f[8], "s");
    } else if (raw[0] == 0x02) {
        const Item list = decode_list(raw.subspan(1), 12, "EIP-1559 transaction");
        const auto& f = list.items;
        tx.type = TxType::eip1559;
        tx.chain_id = u64_field(f[0], "chainId");
        if (tx.chain_id == 0) throw TransactionError("transaction chain id is 0");
        tx.nonce = u64_field(f[1], "nonce");
        tx.max_priority_fee_per_gas = u256_field(f[2], "maxPriorityFeePerGas");
        tx.max_fee_per_gas = u256_field(f[3], "maxFeePerGas");
        tx.gas_limit = u64_field(f[4], "gas");
        tx.to = to_field(f[5]);
        tx.value = u256_field(f[6], "value");
        tx.data = string_field(f[7], "data");
        tx.access_list = access_list_field(f[8]);
        const U256 parity = u256_field(f[9], "yParity");
        if (parity > 1) throw TransactionError("transaction yParity must be 0 or 1");
        sig.recovery_id = static_cast<std::uint8_t>(parity);
        sig.r = scalar_field(f[10], "r");
        sig.s = scalar_field(f[11], "s");
    } else if (raw[0] < 0x80) {
        throw TransactionError("unsupported transaction type " + std::to_string(raw[0]));
    } else {
        throw TransactionError("not a transaction: an RLP string instead of a list or typed envelope");
    }
    if (!sig.has_low_s()) throw TransactionError("transaction signature has a high s value");
    try {
        out.from = recover_address(signing_hash(tx), sig);
    } catch (const KeyError& e) {
        throw TransactionError(std::string("transaction signature: ") + e.what());
    }
    out.hash = keccak256(raw);
    return out;
}

}  // namespace dossier::eth
