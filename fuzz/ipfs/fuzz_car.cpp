// CAR v1 import from arbitrary bytes: only DecodeError subclasses (CarError, CidError...) may
// escape; every block that is accepted hashes to its CID.
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "ipfs/block_store.hpp"
#include "ipfs/car.hpp"

using namespace dossier;
using namespace dossier::ipfs;

namespace {
class CheckingWriter final : public BlockWriter {
public:
    void put(const Cid& cid, Bytes&& block) override {
        if (!cid.hash.matches(block)) std::abort();
    }
    void commit() override {}
};
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const ByteView in(data, size);
    try {
        auto src = source_from_bytes(in);
        CheckingWriter w;
        (void)car::read(*src, w);
    } catch (const DecodeError&) {
    }
    try {
        const auto roots = car::decode_header(in);
        if (car::encode_header(roots) != Bytes(in.begin(), in.end())) std::abort();
    } catch (const DecodeError&) {
    }
    return 0;
}
