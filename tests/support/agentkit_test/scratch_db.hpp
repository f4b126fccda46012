#pragma once
// A fresh SQLite file path for a test: one scratch directory per test process (removed when the process
// ends), and any database, WAL, shared-memory or journal file of an earlier run under that name removed.
#include <filesystem>
#include <string>
#include <system_error>
#include <unistd.h>

namespace agentkit_test {

inline std::filesystem::path scratch_dir() {
    static const struct owner {
        std::filesystem::path dir =
            std::filesystem::temp_directory_path() / ("agentkit_test_" + std::to_string(::getpid()));
        owner() { std::filesystem::create_directories(dir); }
        ~owner() {
            std::error_code ec;
            std::filesystem::remove_all(dir, ec);
        }
    } scratch;
    return scratch.dir;
}

inline std::string fresh_db(const std::string& name) {
    const auto path = (scratch_dir() / name).string();
    for (const char* suffix : {"", "-wal", "-shm", "-journal"}) std::filesystem::remove(path + suffix);
    return path;
}

}  // namespace agentkit_test
