// Opens arbitrary bytes as a sealed object under a fixed epoch key, in one piece and in chunks
// whose sizes come from the input: only Dossier's typed errors may come out, never a crash, never
// an out-of-bounds read, and the two feeding patterns must agree.
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "crypto/sealed_object.hpp"

using namespace dossier;
using namespace dossier::crypto;

namespace {

const SecretKey32& fixed_key() {
    static const SecretKey32 k = SecretKey32::from_bytes(Bytes(32, 0x42));
    return k;
}

/// 0 = opened, 1 = typed error; anything else aborts.
int open_all(ByteView data, std::size_t chunk, Bytes& out) {
    try {
        ObjectOpener opener(fixed_key());
        for (std::size_t off = 0; off < data.size(); off += chunk)
            opener.update(data.subspan(off, std::min(chunk, data.size() - off)), out);
        opener.finish(out);
        return 0;
    } catch (const TamperedError&) {
        return 1;
    } catch (const DecodeError&) {
        return 1;
    } catch (const WrongEpochKeyError&) {
        return 1;
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const ByteView in(data, size);
    Bytes whole, pieces;
    const int a = open_all(in, size == 0 ? 1 : size, whole);
    const std::size_t chunk = size == 0 ? 1 : 1 + data[0] % 97;
    const int b = open_all(in, chunk, pieces);
    if (a != b) std::abort();
    if (a == 0 && whole != pieces) std::abort();
    return 0;
}
