// client/secrets.hpp: the process protection both faces apply first thing, and wiping a secret.
#include <gtest/gtest.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "dossier/client/secrets.hpp"

using namespace dossier;

// In a child, so that the test program itself stays debuggable.
TEST(Secrets, AProtectedProcessIsNotDumpableAndHasNoCoreLimit) {
    const pid_t pid = ::fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
        int failures = 0;
        if (::prctl(PR_GET_DUMPABLE) != 1) failures |= 1;  // the starting point the call changes
        client::protect_process();
        if (::prctl(PR_GET_DUMPABLE) != 0) failures |= 2;
        rlimit core{};
        if (::getrlimit(RLIMIT_CORE, &core) != 0 || core.rlim_cur != 0 || core.rlim_max != 0) failures |= 4;
        ::_exit(failures);
    }
    int status = 0;
    ASSERT_EQ(::waitpid(pid, &status, 0), pid);
    ASSERT_TRUE(WIFEXITED(status));
    EXPECT_EQ(WEXITSTATUS(status), 0) << "bits: 1 dumpable before, 2 still dumpable, 4 core limit not 0";
}

TEST(Secrets, WipeClearsTheText) {
    std::string key = "0x4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318";
    const char* storage = key.data();
    const std::size_t n = key.size();
    client::wipe(key);
    EXPECT_TRUE(key.empty());
    // The characters were overwritten in place (the string keeps its buffer after clear()).
    ASSERT_EQ(key.data(), storage);
    for (std::size_t i = 0; i < n; ++i) EXPECT_EQ(storage[i], '\0') << i;
}
