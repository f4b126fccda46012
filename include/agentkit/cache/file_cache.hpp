#pragma once
// file_cache: the workflow seed's FileCache. Up to max_cache_size files (128) of at most max_file_size
// bytes (10 MB) each, LRU; an entry is valid while the file's mtime and size are unchanged (a changed
// file is re-read, counted as stale); read_files_parallel(files, max_workers = 4) reads with a small
// thread pool, sequentially below parallel_threshold (3) files, where threads cost more than they save.
// Larger files are returned but not cached (files_skipped), up to max_read_size (1 GiB): a file over that
// is an error (capacity_exceeded naming file_cache.max_read_size), never a truncated entry. Files are read
// with agentkit::read_file (one allocation sized from fstat, POSIX read). Thread safe.
#include <agentkit/cache/cache.hpp>
#include <agentkit/core/error.hpp>
#include <agentkit/core/printable.hpp>
#include <agentkit/core/read_file.hpp>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <exception>
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <sys/stat.h>

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
        std::size_t max_cache_size = 128;              // MAX_CACHE_SIZE: files
        std::size_t max_file_size = 10 * 1024 * 1024;  // MAX_FILE_SIZE: bytes
        std::size_t max_workers = 4;                   // MAX_WORKERS: read_files_parallel's default
        std::size_t parallel_threshold = 3;            // PARALLEL_THRESHOLD: fewer files are read sequentially
        // The largest file read at all (files over max_file_size are read but not cached): far above any
        // file a workflow reads whole; a larger one is capacity_exceeded naming file_cache.max_read_size.
        std::size_t max_read_size = std::size_t{1} << 30;
    };

    file_cache() : file_cache(config{}) {}
    explicit file_cache(const config& c) : c_(c), cache_({.max_size = c.max_cache_size}) {
        if (c.max_file_size == 0) throw_invalid_field("file_cache.max_file_size", "must be at least 1");
        if (c.max_workers == 0) throw_invalid_field("file_cache.max_workers", "must be at least 1");
        if (c.max_read_size == 0) throw_invalid_field("file_cache.max_read_size", "must be at least 1");
    }

    // The file's content, or nullptr when it does not exist or cannot be read (not a regular file, no
    // permission). A file over max_read_size throws (capacity_exceeded naming file_cache.max_read_size).
    content read(const std::filesystem::path& path) { return get(path, false); }

    // As read(), but every failure is an agentkit::error naming the path: not_found when the file does not
    // exist (also when it vanished after it was cached), invalid_argument when it is not a regular file,
    // io_error when it cannot be read.
    content load(const std::filesystem::path& path) { return get(path, true); }

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
        // A worker that throws (a file over max_read_size) stops the others; the first error is rethrown
        // here, after every thread has joined, rather than terminating the process from a thread.
        std::mutex failed_mutex;
        std::exception_ptr failed;
        {
            std::vector<std::jthread> pool;
            pool.reserve(workers);
            for (std::size_t w = 0; w < workers; ++w)
                pool.emplace_back([&] {
                    try {
                        for (std::size_t i; (i = next.fetch_add(1)) < files.size();) out[i] = read(files[i]);
                    } catch (...) {
                        next.store(files.size());
                        const std::lock_guard lock(failed_mutex);
                        if (!failed) failed = std::current_exception();
                    }
                });
        }
        if (failed) std::rethrow_exception(failed);
        return out;
    }

    void invalidate(const std::filesystem::path& path) { cache_.invalidate(path.lexically_normal().string()); }
    void clear() { cache_.clear(); }

    file_cache_stats statistics() const {
        const auto s = cache_.statistics();
        return {hits_.load(), misses_.load(), s.evictions, skipped_.load(), stale_.load(), s.size, c_.max_cache_size};
    }
    const config& configuration() const noexcept { return c_; }

private:
    struct entry {
        content data;
        std::int64_t mtime_ns;  // st_mtim: the stat taken before the read that filled the entry
        std::uint64_t size;
    };
    static std::int64_t mtime_ns(const struct stat& st) noexcept {
        return static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1'000'000'000 + st.st_mtim.tv_nsec;
    }

    content get(const std::filesystem::path& path, bool strict) {
        const std::string key = path.lexically_normal().string();
        struct stat st {};
        if (::stat(path.c_str(), &st) != 0) {
            const int e = errno;
            misses_.fetch_add(1, std::memory_order_relaxed);
            const bool gone = e == ENOENT || e == ENOTDIR;
            if (gone) cache_.invalidate(key);  // its entry can never be served again: free it now
            if (!strict) return nullptr;
            throw error(gone ? errc::not_found : errc::io_error, std::string("cannot open: ") + std::strerror(e),
                        printable(path.string()));
        }
        if (!S_ISREG(st.st_mode)) {
            misses_.fetch_add(1, std::memory_order_relaxed);
            if (!strict) return nullptr;
            throw error(errc::invalid_argument,
                        S_ISDIR(st.st_mode) ? "is a directory, not a file" : "not a regular file",
                        printable(path.string()));
        }
        const auto size = static_cast<std::uint64_t>(st.st_size);
        if (auto e = cache_.get(key)) {
            if ((*e)->mtime_ns == mtime_ns(st) && (*e)->size == size) {
                hits_.fetch_add(1, std::memory_order_relaxed);
                return (*e)->data;
            }
            stale_.fetch_add(1, std::memory_order_relaxed);
            cache_.invalidate(key);
        }
        misses_.fetch_add(1, std::memory_order_relaxed);
        content data;
        try {
            data = std::make_shared<const std::string>(
                read_file(path.string(), c_.max_read_size, "file_cache.max_read_size"));
        } catch (const error& e) {
            // Vanished or became unreadable since the stat: what read() reports as "cannot be read".
            if (strict || e.code() == errc::capacity_exceeded) throw;
            if (e.code() == errc::not_found) cache_.invalidate(key);
            return nullptr;
        }
        if (data->size() > c_.max_file_size) {
            skipped_.fetch_add(1, std::memory_order_relaxed);
            return data;
        }
        // The stat was taken before reading: if the file changed meanwhile, the next read sees a
        // different mtime/size and re-reads, so a torn entry is never served twice.
        cache_.put(key, std::make_shared<const entry>(entry{data, mtime_ns(st), size}));
        return data;
    }

    config c_;
    cache<std::string, std::shared_ptr<const entry>, lru, no_expiry, max_entries, mutex> cache_;
    std::atomic<std::uint64_t> hits_{0}, misses_{0}, skipped_{0}, stale_{0};
};

}  // namespace agentkit::cache
