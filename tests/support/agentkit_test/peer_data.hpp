#pragma once
// For tests that compare with data or tools that scripts/bootstrap installs (tiktoken vocabularies and
// reference ids, the LangChain reference chunks, Caffeine, promtool): when one is missing the test FAILS,
// naming the bootstrap step, so a run without failures is a run that compared everything.
// AGENTKIT_ALLOW_MISSING_PEERS=1 turns that failure into a skip, for machines that cannot install them.
#include <gtest/gtest.h>

#include <cstdlib>
#include <string_view>

namespace agentkit_test {

inline bool missing_peers_allowed() {
    const char* v = std::getenv("AGENTKIT_ALLOW_MISSING_PEERS");
    return v != nullptr && std::string_view(v) == "1";
}

}  // namespace agentkit_test

// Used like GTEST_SKIP(): `if (!have_it) AGENTKIT_MISSING_PEER() << "no X (run scripts/bootstrap)";`
// A fatal failure by default, a skip under AGENTKIT_ALLOW_MISSING_PEERS=1; either returns from the function.
#define AGENTKIT_MISSING_PEER()                                                                                  \
    return GTEST_MESSAGE_(::agentkit_test::missing_peers_allowed()                                               \
                              ? ""                                                                               \
                              : "Missing reference data or tool (AGENTKIT_ALLOW_MISSING_PEERS=1 skips instead)", \
                          ::agentkit_test::missing_peers_allowed() ? ::testing::TestPartResult::kSkip            \
                                                                   : ::testing::TestPartResult::kFatalFailure)
