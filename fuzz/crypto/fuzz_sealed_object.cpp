// Two modes, chosen by the low bit of the first byte:
//  - raw: opens the input as a sealed object under a fixed epoch key, in one piece and in chunks
//    whose size comes from the input; only Dossier's typed errors may come out, and both feeding
//    patterns must agree;
//  - structured: seals the rest of the input under the fixed key (256-byte segments), applies one
//    alteration chosen by the input (flip a byte, cut, append, or none) and opens it: an unaltered
//    object must open to its plaintext, an altered one must fail with a typed error. This reaches
//    the segment logic, which random bytes almost never get past the header to.
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

/// 0 = opened, 1 = typed error; anything else escapes and the fuzzer reports it.
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

void raw(ByteView in) {
    Bytes whole, pieces;
    const int a = open_all(in, in.empty() ? 1 : in.size(), whole);
    const std::size_t chunk = in.empty() ? 1 : 1 + in[0] % 97;
    const int b = open_all(in, chunk, pieces);
    if (a != b) std::abort();
    if (a == 0 && whole != pieces) std::abort();
}

void structured(ByteView in) {
    if (in.size() < 4) return;
    const std::uint8_t op = in[1] % 4;
    const std::size_t where = static_cast<std::size_t>(in[2]) << 8 | in[3];
    const ByteView plaintext = in.subspan(4);
    Bytes sealed = seal_object(fixed_key(), ObjectId{}, plaintext, {kMinSegmentLog2});
    switch (op) {
        case 0: break;
        case 1: sealed[where % sealed.size()] ^= static_cast<std::uint8_t>(1u << (in[0] >> 5)); break;
        case 2: sealed.resize(where % sealed.size()); break;
        default: sealed.push_back(in[0]); break;
    }
    Bytes out;
    const int r = open_all(sealed, 1 + where % 300, out);
    if (op == 0 && (r != 0 || out.size() != plaintext.size() ||
                    !std::equal(out.begin(), out.end(), plaintext.begin())))
        std::abort();
    if (op != 0 && r == 0) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const ByteView in(data, size);
    if (size > 0 && (data[0] & 1) != 0)
        structured(in);
    else
        raw(in);
    return 0;
}
