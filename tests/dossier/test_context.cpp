#include <gtest/gtest.h>

#include "fixture.hpp"
#include "support/error_code.hpp"

using namespace dossier;

TEST(Context, FixtureDeploysAndSendersAreReused) {
    test::CoreFixture f;
    EXPECT_NO_THROW(f.ctx().contracts().verify_deployment());
    const auto key = f.funded_key();
    EXPECT_EQ(&f.ctx().sender(key), &f.ctx().sender(key));
    EXPECT_GT(f.ctx().rpc().get_balance(key.address()), eth::U256(0));
    EXPECT_GT(f.ctx().chain_time(), 0u);
}

TEST(Context, OpenWithoutARunningEmbeddedNodeSaysSo) {
    test::TempDir dir;
    core::Config config;
    config.data_dir = dir.path();
    // The detail is the reason a face offers its remedy for (the CLI: 'dossier node up'); the
    // sentence names the data directory.
    const auto e = test::expect_code([&] { (void)core::Context::open(config); }, ErrorCode::node_unavailable,
                                     "NodeNotRunning");
    EXPECT_NE(test::message_of(e).find(dir.path()), std::string::npos) << test::message_of(e);
}
