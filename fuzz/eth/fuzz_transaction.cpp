// Decodes arbitrary bytes as a signed raw transaction (EIP-1559 or EIP-155 legacy).
// Properties: no crash or out-of-bounds access; only TransactionError on rejection; and every
// accepted input is canonical: re-encoding the decoded transaction and signature gives the input
// back byte for byte, and the reported hash is keccak256 of the input.
#include <cstdint>
#include <cstdlib>

#include "eth/keccak.hpp"
#include "eth/transaction.hpp"

using namespace dossier;
using namespace dossier::eth;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const ByteView raw(data, size);
    try {
        const DecodedTransaction d = decode_signed(raw);
        const Bytes again = encode_signed(d.tx, d.signature);
        if (again.size() != size || !std::equal(again.begin(), again.end(), data)) std::abort();
        if (d.hash != keccak256(raw)) std::abort();
    } catch (const TransactionError&) {
    }
    return 0;
}
