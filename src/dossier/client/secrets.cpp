#include "dossier/client/secrets.hpp"

#include <sys/prctl.h>
#include <sys/resource.h>

#include <cerrno>
#include <cstring>
#include <string.h>

#include "dossier/client/error.hpp"

namespace dossier::client {

void protect_process() {
    // Both: the limit alone leaves /proc/<pid>/mem and ptrace open to the same user, and a
    // core_pattern that pipes to a handler ignores RLIMIT_CORE.
    const rlimit none{0, 0};
    if (::setrlimit(RLIMIT_CORE, &none) != 0)
        throw Error(ErrorCode::internal, std::string("cannot disable core dumps: ") + std::strerror(errno));
    if (::prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0)
        throw Error(ErrorCode::internal, std::string("cannot make the process undumpable: ") + std::strerror(errno));
}

void wipe(std::string& secret) noexcept {
    ::explicit_bzero(secret.data(), secret.size());
    secret.clear();
}

}  // namespace dossier::client
