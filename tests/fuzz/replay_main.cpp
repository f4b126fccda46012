// Drives a libFuzzer entry point without libFuzzer: every corpus file, then seeded random inputs and
// random mutations of corpus files. Deterministic (fixed seed), bounded, so it belongs in every ctest run.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

int main(int argc, char** argv) {
    std::vector<std::string> corpus;
    if (argc > 1 && std::filesystem::is_directory(argv[1])) {
        for (const auto& entry : std::filesystem::recursive_directory_iterator(argv[1])) {
            if (!entry.is_regular_file()) continue;
            std::ifstream in(entry.path(), std::ios::binary);
            corpus.emplace_back(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
        }
    }
    const long runs = argc > 2 ? std::atol(argv[2]) : 10000;
    for (const auto& input : corpus)
        LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t*>(input.data()), input.size());

    std::mt19937_64 rng(0x6167656e746b6974ULL);  // "agentkit"
    std::string buffer;
    for (long i = 0; i < runs; ++i) {
        if (!corpus.empty() && (i & 1)) {
            buffer = corpus[rng() % corpus.size()];
            const auto edits = 1 + rng() % 8;
            for (std::uint64_t e = 0; e < edits; ++e) {
                const auto pos = buffer.empty() ? 0 : rng() % (buffer.size() + 1);
                switch (rng() % 4) {
                    case 0:
                        buffer.insert(buffer.begin() + static_cast<std::ptrdiff_t>(pos), static_cast<char>(rng()));
                        break;
                    case 1:
                        if (pos < buffer.size()) buffer.erase(pos, 1 + rng() % 16);
                        break;
                    case 2:
                        if (pos < buffer.size()) buffer[pos] = static_cast<char>(rng());
                        break;
                    default: buffer.resize(pos); break;
                }
            }
        } else {
            buffer.resize(rng() % 512);
            for (auto& c : buffer) c = static_cast<char>(rng());
        }
        LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t*>(buffer.data()), buffer.size());
    }
    std::printf("fuzz replay: %zu corpus files, %ld generated inputs, no crash\n", corpus.size(), runs);
    return 0;
}
