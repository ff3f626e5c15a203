#pragma once
/// Ethereum transactions that Dossier signs locally: EIP-1559 (type 2) and legacy transactions
/// with EIP-155 replay protection. Encoding follows the execution specs exactly, so the raw bytes
/// and hashes equal what geth, anvil and foundry's `cast mktx` produce for the same fields.
///
/// Signed raw transactions can be decoded strictly (canonical RLP, canonical integers, low-s
/// signature, sender recovered), which is what a journal of sent transactions needs to re-send
/// and re-verify its entries.
#include <cstdint>
#include <optional>
#include <vector>

#include "base/bytes.hpp"
#include "base/error.hpp"
#include "eth/address.hpp"
#include "eth/keys.hpp"
#include "eth/uint256.hpp"

namespace dossier::eth {

/// A malformed or unsupported transaction (on encoding or decoding).
class TransactionError : public DecodeError {
public:
    using DecodeError::DecodeError;
};

enum class TxType : std::uint8_t {
    legacy = 0,   ///< pre-typed transaction, signed with EIP-155 (v = chain_id * 2 + 35 + parity)
    eip1559 = 2,  ///< EIP-1559 dynamic-fee transaction: 0x02 || rlp([...])
};

/// One EIP-2930 access-list entry.
struct AccessListEntry {
    Address address;
    std::vector<Bytes32> storage_keys;
    bool operator==(const AccessListEntry&) const = default;
};
using AccessList = std::vector<AccessListEntry>;

/// The fields of an unsigned transaction. Which fee fields apply depends on `type`:
/// legacy uses gas_price; eip1559 uses max_priority_fee_per_gas and max_fee_per_gas. The fields
/// that do not apply must be zero (and the access list empty for legacy), so that a value never
/// silently carries a fee that is not signed.
struct Transaction {
    TxType type = TxType::eip1559;
    std::uint64_t chain_id = 1;
    std::uint64_t nonce = 0;
    U256 gas_price = 0;                 ///< legacy only
    U256 max_priority_fee_per_gas = 0;  ///< eip1559 only
    U256 max_fee_per_gas = 0;           ///< eip1559 only
    std::uint64_t gas_limit = 0;
    std::optional<Address> to;  ///< nullopt = contract creation (data is the init code)
    U256 value = 0;
    Bytes data;
    AccessList access_list;  ///< eip1559 only

    bool operator==(const Transaction&) const = default;
};

/// A transaction ready for eth_sendRawTransaction.
struct SignedTransaction {
    Bytes raw;      ///< the network encoding (typed envelope or legacy RLP list)
    Bytes32 hash;   ///< keccak256(raw): the transaction hash nodes report
    Address from;   ///< the signer
};

/// The payload whose keccak256 the sender signs: for eip1559, 0x02 || rlp([chain_id, nonce,
/// max_priority_fee, max_fee, gas, to, value, data, access_list]); for legacy,
/// rlp([nonce, gas_price, gas, to, value, data, chain_id, 0, 0]) (EIP-155).
/// Throws TransactionError if a field that does not apply to the type is set, or chain_id is 0.
[[nodiscard]] Bytes signing_payload(const Transaction& tx);
/// keccak256(signing_payload(tx)).
[[nodiscard]] Bytes32 signing_hash(const Transaction& tx);

/// The network encoding of `tx` signed with `sig` (which must have a low s).
[[nodiscard]] Bytes encode_signed(const Transaction& tx, const Signature& sig);

/// Signs `tx` with `key`: deterministic (RFC 6979), so the same inputs give the same raw bytes.
[[nodiscard]] SignedTransaction sign(const Transaction& tx, const PrivateKey& key);

/// A signed transaction taken apart.
struct DecodedTransaction {
    Transaction tx;
    Signature signature;
    Address from;  ///< recovered from the signature
    Bytes32 hash;  ///< keccak256(raw)
};

/// Decodes a signed raw transaction (type 2 or EIP-155 legacy) and recovers its sender.
/// Strict: canonical RLP with no trailing bytes, integers without leading zeros, nonce, gas and
/// chain id within 64 bits, `to` empty or 20 bytes, storage keys 32 bytes, r and s non-zero and
/// below the group order, s low, y parity 0 or 1. Pre-EIP-155 legacy transactions (v = 27/28)
/// and other transaction types are rejected. Throws TransactionError (also for a signature that
/// recovers no key); never reads out of bounds on any input. encode_signed() of the result gives
/// back `raw` byte for byte.
[[nodiscard]] DecodedTransaction decode_signed(ByteView raw);

}  // namespace dossier::eth
