// CID parsing from bytes and from text: only DecodeError subclasses may escape, and whatever
// parses must round-trip exactly (the decoders accept canonical forms only).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "ipfs/cid.hpp"

using namespace dossier;
using namespace dossier::ipfs;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const ByteView in(data, size);
    try {
        const Cid c = Cid::from_bytes(in);
        if (c.bytes() != Bytes(in.begin(), in.end())) std::abort();
        if (Cid::parse(c.to_string()) != c) std::abort();
    } catch (const DecodeError&) {
    }
    const std::string text(as_chars(in));
    try {
        const Cid c = Cid::parse(text);
        if (c.to_string(text.empty() || text[0] != 'z' ? multibase::Base::Base32Lower : multibase::Base::Base58Btc) != text)
            std::abort();
    } catch (const DecodeError&) {
    }
    try {
        std::size_t pos = 0;
        (void)Multihash::read(in, pos);
    } catch (const DecodeError&) {
    }
    return 0;
}
