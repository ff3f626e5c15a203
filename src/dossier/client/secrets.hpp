#pragma once
/// Keeping secrets out of places they would outlive their use: core dumps, other processes of the
/// same user, and the heap after a buffer is freed.
#include <string>

namespace dossier::client {

/// Makes the process neither dumpable nor traceable by other processes of the same user
/// (prctl(PR_SET_DUMPABLE, 0): no core file, /proc/<pid>/mem and ptrace closed to them) and sets
/// the core file size limit to 0, for this process and its children. A face calls it first thing in
/// main(), before any password, key or decrypted record is in memory. Throws Error if the kernel
/// refuses (which a supported Linux does not).
void protect_process();

/// Overwrites `secret`'s characters in a way the compiler cannot elide, then clears it; for a key
/// text or a password once it has been used.
void wipe(std::string& secret) noexcept;

}  // namespace dossier::client
