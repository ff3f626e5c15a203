// Parses arbitrary bytes as a Web3 keystore and tries to decrypt it with a fixed password.
// Properties: no crash, no out-of-bounds access, only dossier::Error subclasses thrown, and
// to_json() of a parsed keystore parses back to the same keystore. The KDF cost a file may
// demand is capped tightly (KdfLimits) so that each input runs in milliseconds; the seeds use
// tiny scrypt and PBKDF2 parameters with the fixed password, so mutations reach the MAC check,
// decryption and the address check.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "eth/keystore.hpp"

using namespace dossier;
using namespace dossier::eth;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    KdfLimits limits;
    limits.max_scrypt_memory = 1 << 20;
    limits.max_scrypt_work = 1 << 12;
    limits.max_pbkdf2_iterations = 256;
    try {
        const Keystore ks = Keystore::parse(text);
        const std::string json = ks.to_json();
        if (Keystore::parse(json).to_json() != json) std::abort();  // re-serialisation must be stable
        (void)ks.decrypt("password", limits);
    } catch (const Error&) {
        // Every rejection is a dossier::Error with a message; anything else escapes and is a finding.
    }
    return 0;
}
