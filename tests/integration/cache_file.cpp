// file_cache on real files: seed defaults, mtime+size invalidation, skipped large files, LRU bound, and
// read_files_parallel (sequential below the threshold, parallel above, results in input order).
#include <agentkit/cache/file_cache.hpp>

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>
#include <unistd.h>
#include <vector>

namespace ac = agentkit::cache;
namespace fs = std::filesystem;

namespace {
struct temp_dir {
    fs::path path = fs::temp_directory_path() / ("agentkit_file_cache_" + std::to_string(::getpid()) + "_" +
                                                 ::testing::UnitTest::GetInstance()->current_test_info()->name());
    temp_dir() { fs::create_directories(path); }
    ~temp_dir() { fs::remove_all(path); }
    fs::path write(const std::string& name, const std::string& text) const {
        const auto p = path / name;
        std::ofstream(p, std::ios::binary) << text;
        return p;
    }
};
}  // namespace

TEST(CacheFile, SeedDefaults) {
    const ac::file_cache::config c;
    EXPECT_EQ(c.max_cache_size, 128u);
    EXPECT_EQ(c.max_file_size, 10u * 1024 * 1024);
    EXPECT_EQ(c.max_workers, 4u);
    EXPECT_EQ(c.parallel_threshold, 3u);
}

TEST(CacheFile, HitsAndMtimeSizeInvalidation) {
    temp_dir d;
    ac::file_cache c;
    const auto p = d.write("a.txt", "one");
    EXPECT_EQ(*c.read(p), "one");
    EXPECT_EQ(*c.read(p), "one");
    EXPECT_EQ(c.stats().hits, 1u);
    d.write("a.txt", "three");  // size changes
    EXPECT_EQ(*c.read(p), "three");
    d.write("a.txt", "THREE");  // same size: the mtime decides; move it explicitly (no sleeping)
    fs::last_write_time(p, fs::last_write_time(p) + std::chrono::seconds(2));
    EXPECT_EQ(*c.read(p), "THREE");
    const auto s = c.stats();
    EXPECT_EQ(s.stale, 2u);
    EXPECT_EQ(s.misses, 3u);
    EXPECT_EQ(s.cache_size, 1u);
    EXPECT_EQ(c.read(d.path / "missing.txt"), nullptr);
}

TEST(CacheFile, LargeFilesAreReadButSkipped) {
    temp_dir d;
    ac::file_cache c({.max_file_size = 10});
    const auto p = d.write("big.txt", std::string(11, 'x'));
    EXPECT_EQ(c.read(p)->size(), 11u);
    EXPECT_EQ(c.read(p)->size(), 11u);
    const auto s = c.stats();
    EXPECT_EQ(s.files_skipped, 2u);
    EXPECT_EQ(s.hits, 0u);
    EXPECT_EQ(s.cache_size, 0u);
}

TEST(CacheFile, BoundedByMaxCacheSize) {
    temp_dir d;
    ac::file_cache c({.max_cache_size = 2});
    for (int i = 0; i < 5; ++i) c.read(d.write("f" + std::to_string(i), std::to_string(i)));
    EXPECT_EQ(c.stats().cache_size, 2u);
    EXPECT_EQ(c.stats().evictions, 3u);
    EXPECT_THROW(ac::file_cache({.max_workers = 0}), agentkit::error);
}

TEST(CacheFile, ReadFilesParallelKeepsOrder) {
    temp_dir d;
    ac::file_cache c;
    std::vector<fs::path> files;
    for (int i = 0; i < 40; ++i) files.push_back(d.write("f" + std::to_string(i), "content " + std::to_string(i)));
    files.push_back(d.path / "missing");
    const auto out = c.read_files_parallel(files);
    ASSERT_EQ(out.size(), files.size());
    for (int i = 0; i < 40; ++i) EXPECT_EQ(*out[static_cast<std::size_t>(i)], "content " + std::to_string(i));
    EXPECT_EQ(out.back(), nullptr);
    const auto again = c.read_files_parallel(files, 2);
    EXPECT_EQ(*again[7], "content 7");
    EXPECT_EQ(c.stats().hits, 40u);
    const auto two = c.read_files_parallel({files[0], files[1]});  // below the threshold: sequential
    EXPECT_EQ(*two[1], "content 1");
    EXPECT_THROW(c.read_files_parallel(files, 0), agentkit::error);
}
