#pragma once
// Reads the token corpus and the @dqbd/tiktoken reference ids that bench/peers/tokens/make-reference.mjs
// writes under $AGENTKIT_DATA_DIR/tokens (scripts/bootstrap). Absent files give an empty result, and the
// tests that need them fail with AGENTKIT_MISSING_PEER (peer_data.hpp).
#include <agentkit_test/peer_data.hpp>

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <optional>
#include <string>
#include <vector>

namespace agentkit_test {

inline std::string data_dir() {
    if (const char* d = std::getenv("AGENTKIT_DATA_DIR"); d && *d) return d;
    return AGENTKIT_DATA_DIR;
}

inline std::optional<std::string> read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return std::nullopt;
    return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

struct reference_doc {
    std::string kind;
    std::string text;
    std::vector<std::uint32_t> ids;
};

// corpus file (corpus.bin / random.bin) + ids file (<enc>.ids / random.<enc>.ids) -> documents.
inline std::vector<reference_doc> read_reference(const std::string& corpus_file, const std::string& ids_file) {
    const auto corpus = read_file(data_dir() + "/tokens/" + corpus_file);
    const auto ids = read_file(data_dir() + "/tokens/" + ids_file);
    std::vector<reference_doc> docs;
    if (!corpus || !ids) return docs;
    auto u32 = [](const std::string& s, std::size_t at) {
        std::uint32_t v = 0;
        std::memcpy(&v, s.data() + at, 4);
        return v;
    };
    std::size_t p = 0, q = 0;
    while (p < corpus->size()) {
        reference_doc d;
        const std::size_t klen = static_cast<unsigned char>((*corpus)[p++]);
        d.kind = corpus->substr(p, klen);
        p += klen;
        const std::uint32_t len = u32(*corpus, p);
        p += 4;
        d.text = corpus->substr(p, len);
        p += len;
        const std::uint32_t n = u32(*ids, q);
        q += 4;
        d.ids.resize(n);
        if (n) std::memcpy(d.ids.data(), ids->data() + q, 4 * std::size_t{n});
        q += 4 * std::size_t{n};
        docs.push_back(std::move(d));
    }
    return docs;
}

}  // namespace agentkit_test
