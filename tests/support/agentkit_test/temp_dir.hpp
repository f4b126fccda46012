#pragma once
// A scratch directory for one test, removed with everything in it when the test ends; `file` is the path of
// a file in it, `write` puts a file in it and returns its path. The default name is not scratch_db.hpp's
// ("agentkit_test"), whose directory lives as long as the process.
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>

namespace agentkit_test {

struct temp_dir {
    std::filesystem::path path;
    explicit temp_dir(std::string_view name = "agentkit_temp")
        : path(std::filesystem::temp_directory_path() /
               std::string(name).append("_").append(std::to_string(::getpid()))) {
        std::filesystem::create_directories(path);
    }
    ~temp_dir() {
        std::error_code ec;
        std::filesystem::remove_all(path, ec);
    }
    temp_dir(const temp_dir&) = delete;
    temp_dir& operator=(const temp_dir&) = delete;

    std::string file(std::string_view name) const { return (path / name).string(); }

    std::string write(std::string_view file, std::string_view text) const {
        const auto p = path / file;
        std::ofstream(p, std::ios::binary).write(text.data(), static_cast<std::streamsize>(text.size()));
        return p.string();
    }
};

}  // namespace agentkit_test
