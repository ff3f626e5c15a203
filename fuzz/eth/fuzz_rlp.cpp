// libFuzzer target: strict RLP decoding. Any input either throws RlpError or decodes to an item
// whose canonical re-encoding is exactly the input (decoding accepts only canonical RLP).
#include <cstdlib>

#include "eth/rlp.hpp"

using namespace dossier;
namespace rlp = dossier::eth::rlp;

namespace {
// Integers read back from every string item must not crash either.
void touch_integers(const rlp::Item& item) {
    if (item.is_list) {
        for (const rlp::Item& child : item.items) touch_integers(child);
        return;
    }
    try {
        (void)rlp::to_uint64(item);
    } catch (const rlp::RlpError&) {
    }
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const ByteView input(data, size);
    rlp::Item item;
    try {
        item = rlp::decode(input);
    } catch (const rlp::RlpError&) {
        return 0;
    }
    const Bytes again = rlp::encode(item);
    if (!std::equal(again.begin(), again.end(), input.begin(), input.end())) std::abort();
    touch_integers(item);
    return 0;
}
