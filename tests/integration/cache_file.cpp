// file_cache on real files: seed defaults, mtime+size invalidation, skipped large files, LRU bound, and
// read_files_parallel (sequential below the threshold, parallel above, results in input order), the read
// limit (max_read_size: an error, never a truncated entry) and load()'s typed errors (a vanished file).
#include <agentkit/cache/file_cache.hpp>

#include <gtest/gtest.h>

#include <agentkit_test/error_of.hpp>
#include <agentkit_test/numbered.hpp>
#include <agentkit_test/temp_dir.hpp>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>
#include <unistd.h>
#include <vector>

namespace ac = agentkit::cache;
namespace fs = std::filesystem;

namespace {
// A directory of each test's own.
struct temp_dir : agentkit_test::temp_dir {
    temp_dir()
        : agentkit_test::temp_dir(std::string("agentkit_file_cache_") +
                                  ::testing::UnitTest::GetInstance()->current_test_info()->name()) {}
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
    EXPECT_EQ(c.statistics().hits, 1u);
    d.write("a.txt", "three");  // size changes
    EXPECT_EQ(*c.read(p), "three");
    d.write("a.txt", "THREE");  // same size: the mtime decides; move it explicitly (no sleeping)
    fs::last_write_time(p, fs::last_write_time(p) + std::chrono::seconds(2));
    EXPECT_EQ(*c.read(p), "THREE");
    const auto s = c.statistics();
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
    const auto s = c.statistics();
    EXPECT_EQ(s.files_skipped, 2u);
    EXPECT_EQ(s.hits, 0u);
    EXPECT_EQ(s.cache_size, 0u);
}

TEST(CacheFile, BoundedByMaxCacheSize) {
    temp_dir d;
    ac::file_cache c({.max_cache_size = 2});
    for (int i = 0; i < 5; ++i) c.read(d.write(agentkit_test::numbered("f", i), std::to_string(i)));
    EXPECT_EQ(c.statistics().cache_size, 2u);
    EXPECT_EQ(c.statistics().evictions, 3u);
    EXPECT_THROW(ac::file_cache({.max_workers = 0}), agentkit::error);
}

TEST(CacheFile, ReadFilesParallelKeepsOrder) {
    temp_dir d;
    ac::file_cache c;
    std::vector<fs::path> files;
    for (int i = 0; i < 40; ++i)
        files.push_back(d.write(agentkit_test::numbered("f", i), agentkit_test::numbered("content ", i)));
    files.push_back(d.path / "missing");
    const auto out = c.read_files_parallel(files);
    ASSERT_EQ(out.size(), files.size());
    for (int i = 0; i < 40; ++i) EXPECT_EQ(*out[static_cast<std::size_t>(i)], agentkit_test::numbered("content ", i));
    EXPECT_EQ(out.back(), nullptr);
    const auto again = c.read_files_parallel(files, 2);
    EXPECT_EQ(*again[7], "content 7");
    EXPECT_EQ(c.statistics().hits, 40u);
    const auto two = c.read_files_parallel({files[0], files[1]});  // below the threshold: sequential
    EXPECT_EQ(*two[1], "content 1");
    EXPECT_THROW(c.read_files_parallel(files, 0), agentkit::error);
}

TEST(CacheFile, OverMaxReadSizeIsAnErrorNotATruncatedEntry) {
    temp_dir d;
    ac::file_cache c({.max_file_size = 4, .max_read_size = 10});
    const auto at_limit = d.write("ten.txt", std::string(10, 'x'));  // over max_file_size: read, not cached
    EXPECT_EQ(c.read(at_limit)->size(), 10u);
    const auto big = d.write("big.txt", std::string(11, 'x'));
    for (const bool strict : {false, true}) {
        const auto e = agentkit_test::error_of([&] { strict ? c.load(big) : c.read(big); });
        EXPECT_EQ(e.code(), agentkit::errc::capacity_exceeded);
        EXPECT_EQ(e.field(), "file_cache.max_read_size");
    }
    EXPECT_EQ(c.statistics().cache_size, 0u);
    EXPECT_EQ(c.statistics().files_skipped, 1u);
    EXPECT_THROW(ac::file_cache({.max_read_size = 0}), agentkit::error);
}

TEST(CacheFile, ReadFilesParallelRethrowsAWorkersError) {
    temp_dir d;
    ac::file_cache c({.max_read_size = 10});
    std::vector<fs::path> files;
    for (int i = 0; i < 8; ++i) files.push_back(d.write(agentkit_test::numbered("f", i), "small"));
    files.push_back(d.write("big", std::string(11, 'x')));
    const auto e =
        agentkit_test::error_of([&] { c.read_files_parallel(files, 2); });  // no std::terminate from a thread
    EXPECT_EQ(e.code(), agentkit::errc::capacity_exceeded);
    EXPECT_EQ(e.field(), "file_cache.max_read_size");
}

TEST(CacheFile, VanishedFileIsNotFoundAndLeavesTheCache) {
    temp_dir d;
    ac::file_cache c;
    const auto p = d.write("gone.txt", "here");
    EXPECT_EQ(*c.load(p), "here");
    EXPECT_EQ(c.statistics().cache_size, 1u);
    fs::remove(p);
    const auto e = agentkit_test::error_of([&] { c.load(p); });
    EXPECT_EQ(e.code(), agentkit::errc::not_found);
    EXPECT_EQ(e.field(), p);
    EXPECT_EQ(c.read(p), nullptr);  // read() keeps the seed's contract: nullptr, never the stale content
    EXPECT_EQ(c.statistics().cache_size, 0u);
}

TEST(CacheFile, LoadNamesWhatIsWrong) {
    temp_dir d;
    ac::file_cache c;
    EXPECT_EQ(c.read(d.path), nullptr);
    const auto dir = agentkit_test::error_of([&] { c.load(d.path); });
    EXPECT_EQ(dir.code(), agentkit::errc::invalid_argument);
    EXPECT_EQ(dir.field(), d.path.string());
    EXPECT_EQ(agentkit_test::error_of([&] { c.load(d.path / "missing" / "deeper.txt"); }).code(),
              agentkit::errc::not_found);
    const auto hit = d.write("same.txt", "same");
    EXPECT_EQ(*c.load(hit), "same");
    EXPECT_EQ(*c.read(hit), "same");
    EXPECT_EQ(c.statistics().hits, 1u);
}
