#pragma once
// For tests of agentkit::text's exact BPE: the shared encoding when scripts/bootstrap has fetched the rank
// files, else nullptr (the test then fails naming scripts/bootstrap, or skips under
// AGENTKIT_ALLOW_MISSING_PEERS=1: never reported as passed).
#include <agentkit/text/bpe_encoding.hpp>

#include <agentkit_test/peer_data.hpp>

#include <filesystem>
#include <string>

namespace agentkit_test {

template <class P>
const agentkit::text::basic_bpe_encoding<typename P::split>* try_bpe_encoding() {
    std::string dir;
    try {
        dir = agentkit::text::tiktoken_dir();
    } catch (const agentkit::error&) {
        return nullptr;
    }
    if (!std::filesystem::exists(dir + "/" + std::string(P::file))) return nullptr;
    return &agentkit::text::bpe_encoding_of<P>();
}

}  // namespace agentkit_test

#define AGENTKIT_REQUIRE_BPE(P, var)                          \
    const auto* var = ::agentkit_test::try_bpe_encoding<P>(); \
    if (!var) AGENTKIT_MISSING_PEER() << P::file << " not found (run scripts/bootstrap, or set AGENTKIT_TIKTOKEN_DIR)"
