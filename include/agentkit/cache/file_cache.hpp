#pragma once
// file_cache: the workflow seed's FileCache. Up to max_cache_size files (128) of at most max_file_size
// bytes (10 MB) each, LRU; an entry is valid while the file's mtime and size are unchanged (a changed
// file is re-read, counted as stale); read_files_parallel(files, max_workers = 4) reads with a small
// thread pool, sequentially below parallel_threshold (3) files, where threads cost more than they save.
// Larger files are returned but not cached (files_skipped). Thread safe.
#include <agentkit/cache/cache.hpp>
#include <agentkit/core/error.hpp>

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <system_error>
#include <thread>
#include <vector>

namespace agentkit::cache {

struct file_cache_stats {
    std::uint64_t hits = 0;
    std::uint64_t misses = 0;
    std::uint64_t evictions = 0;
    std::uint64_t files_skipped = 0;  // larger than max_file_size: read but not cached
    std::uint64_t stale = 0;          // cached, but the file's mtime or size changed: re-read
    std::size_t cache_size = 0;
    std::size_t max_cache_size = 0;
    double hit_rate() const noexcept {
        const auto n = hits + misses;
        return n == 0 ? 0.0 : static_cast<double>(hits) / static_cast<double>(n);
    }
};

class file_cache {
public:
    using content = std::shared_ptr<const std::string>;  // shared, so a hit copies no file data
    struct config {
        std::size_t max_cache_size = 128;                  // MAX_CACHE_SIZE: files
        std::size_t max_file_size = 10 * 1024 * 1024;      // MAX_FILE_SIZE: bytes
        std::size_t max_workers = 4;                       // MAX_WORKERS: read_files_parallel's default
        std::size_t parallel_threshold = 3;                // PARALLEL_THRESHOLD: fewer files are read sequentially
    };

    file_cache() : file_cache(config{}) {}
    explicit file_cache(const config& c) : c_(c), cache_({.max_size = c.max_cache_size}) {
        if (c.max_file_size == 0) throw_invalid_field("file_cache.max_file_size", "must be at least 1");
        if (c.max_workers == 0) throw_invalid_field("file_cache.max_workers", "must be at least 1");
    }

    // The file's content, or nullptr when it does not exist or cannot be read.
    content read(const std::filesystem::path& path) {
        std::error_code ec;
        const auto status = std::filesystem::status(path, ec);
        if (ec || !std::filesystem::is_regular_file(status)) {
            misses_.fetch_add(1, std::memory_order_relaxed);
            return nullptr;
        }
        const auto size = std::filesystem::file_size(path, ec);
        const auto mtime = std::filesystem::last_write_time(path, ec);
        if (ec) {
            misses_.fetch_add(1, std::memory_order_relaxed);
            return nullptr;
        }
        const std::string key = path.lexically_normal().string();
        if (auto e = cache_.get(key)) {
            if ((*e)->mtime == mtime && (*e)->size == size) {
                hits_.fetch_add(1, std::memory_order_relaxed);
                return (*e)->data;
            }
            stale_.fetch_add(1, std::memory_order_relaxed);
            cache_.invalidate(key);
        }
        misses_.fetch_add(1, std::memory_order_relaxed);
        auto data = slurp(path, size);
        if (!data) return nullptr;
        if (data->size() > c_.max_file_size) {
            skipped_.fetch_add(1, std::memory_order_relaxed);
            return data;
        }
        // The stat was taken before reading: if the file changed meanwhile, the next read sees a
        // different mtime/size and re-reads, so a torn entry is never served twice.
        cache_.put(key, std::make_shared<const entry>(entry{data, mtime, size}));
        return data;
    }

    // Reads every file (results[i] for files[i]); parallel with up to max_workers threads when there are
    // at least parallel_threshold files.
    std::vector<content> read_files_parallel(const std::vector<std::filesystem::path>& files) {
        return read_files_parallel(files, c_.max_workers);
    }
    std::vector<content> read_files_parallel(const std::vector<std::filesystem::path>& files, std::size_t max_workers) {
        if (max_workers == 0) throw_invalid_field("max_workers", "must be at least 1");
        std::vector<content> out(files.size());
        if (files.size() < c_.parallel_threshold || max_workers == 1) {
            for (std::size_t i = 0; i < files.size(); ++i) out[i] = read(files[i]);
            return out;
        }
        std::atomic<std::size_t> next{0};
        const std::size_t workers = std::min(max_workers, files.size());
        {
            std::vector<std::jthread> pool;
            pool.reserve(workers);
            for (std::size_t w = 0; w < workers; ++w)
                pool.emplace_back([&] {
                    for (std::size_t i; (i = next.fetch_add(1)) < files.size();) out[i] = read(files[i]);
                });
        }
        return out;
    }

    void invalidate(const std::filesystem::path& path) { cache_.invalidate(path.lexically_normal().string()); }
    void clear() { cache_.clear(); }

    file_cache_stats stats() const {
        const auto s = cache_.stats();
        return {hits_.load(), misses_.load(), s.evictions, skipped_.load(), stale_.load(), s.size, c_.max_cache_size};
    }
    const config& settings() const noexcept { return c_; }

private:
    struct entry {
        content data;
        std::filesystem::file_time_type mtime;
        std::uintmax_t size;
    };
    static content slurp(const std::filesystem::path& path, std::uintmax_t expected) {
        std::ifstream in(path, std::ios::binary);
        if (!in) return nullptr;
        auto s = std::make_shared<std::string>();
        s->reserve(static_cast<std::size_t>(expected));
        s->assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
        if (in.bad()) return nullptr;
        return s;
    }

    config c_;
    cache<std::string, std::shared_ptr<const entry>, lru, no_expiry, max_entries, mutex> cache_;
    std::atomic<std::uint64_t> hits_{0}, misses_{0}, skipped_{0}, stale_{0};
};

}  // namespace agentkit::cache
