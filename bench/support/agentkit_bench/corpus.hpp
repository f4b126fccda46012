#pragma once
// The benchmarks' input files, which scripts/bootstrap --peers puts under $AGENTKIT_DATA_DIR (else the
// build's AGENTKIT_DATA_DIR): the ~10 MB mixed token corpus, the chunking corpus.
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <string>

namespace agentkit_bench {

inline std::string data_dir() {
    const char* env = std::getenv("AGENTKIT_DATA_DIR");
    return env != nullptr && *env != '\0' ? env : AGENTKIT_DATA_DIR;
}

// The whole file, or an empty string when it cannot be read.
inline std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return in ? std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>()) : std::string();
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
