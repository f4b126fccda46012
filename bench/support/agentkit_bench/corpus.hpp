#pragma once
// The benchmarks' input files, which scripts/bootstrap --peers puts under $AGENTKIT_DATA_DIR (else the
// build's AGENTKIT_DATA_DIR): the ~10 MB mixed token corpus, the chunking corpus.
#include <agentkit/core/error.hpp>
#include <agentkit/core/read_file.hpp>

#include <cstddef>
#include <cstdlib>
#include <string>

namespace agentkit_bench {

inline std::string data_dir() {
    const char* env = std::getenv("AGENTKIT_DATA_DIR");
    return env != nullptr && *env != '\0' ? env : AGENTKIT_DATA_DIR;
}

// The largest input file a benchmark reads (the corpora are ~10 MB; a 50 MB end-to-end file is the largest).
inline constexpr std::size_t max_corpus_bytes = std::size_t{1} << 30;

// The whole file, or an empty string when it is missing or cannot be read (the benchmark then skips);
// a file over max_corpus_bytes is an error (capacity_exceeded naming bench.max_corpus_bytes).
inline std::string read_file(const std::string& path) {
    try {
        return agentkit::read_file(path, max_corpus_bytes, "bench.max_corpus_bytes");
    } catch (const agentkit::error& e) {
        if (e.code() == agentkit::errc::capacity_exceeded) throw;
        return {};
    }
}

// $AGENTKIT_TOKENS_CORPUS (bench/run-tokens.sh --quick passes a prefix), else <data>/tokens/corpus.txt;
// empty when missing.
inline const std::string& tokens_corpus() {
    static const std::string text = [] {
        const char* file = std::getenv("AGENTKIT_TOKENS_CORPUS");
        return read_file(file != nullptr && *file != '\0' ? std::string(file) : data_dir() + "/tokens/corpus.txt");
    }();
    return text;
}

}  // namespace agentkit_bench
