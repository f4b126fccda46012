// The `agentkit` command line as a user runs it: the built binary, its exit status (0 ok, 1 the command
// failed, 2 the command line is wrong), --help everywhere, `--` before operands that look like options,
// the input limits, and errors that never echo raw control bytes to the terminal.
#include <agentkit/core/read_file.hpp>

#include <agentkit_test/temp_dir.hpp>
#include <gtest/gtest.h>

#include <cstddef>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <sys/wait.h>
#include <unistd.h>

namespace cli_test {

namespace fs = std::filesystem;

struct result {
    int status = -1;
    std::string out, err;
};

std::string quoted(const std::string& s) {
    std::string q = "'";
    for (const char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return q + "'";
}

// What the CLI wrote (its largest output here is a few MB).
std::string slurp(const fs::path& p) { return agentkit::read_file(p.string(), std::size_t{1} << 30, "slurp"); }

class Cli : public ::testing::Test {
protected:
    const agentkit_test::temp_dir scratch{"agentkit_cli_test"};
    const fs::path dir = scratch.path;

    fs::path file(const std::string& name, const std::string& content) {
        std::ofstream(dir / name, std::ios::binary) << content;
        return dir / name;
    }
    // Runs the CLI in `dir` with `args`; stdin from `input` (a path; empty: /dev/null), stdout to `output`
    // (a path; by default a file read back into result::out).
    result run(const std::vector<std::string>& args, const std::string& input = "/dev/null",
               const std::string& output = "") {
        // append(), not "literal" + std::string: g++ 12 -O3 reports a false -Wrestrict inside that operator+.
        std::string cmd = "cd ";
        cmd.append(quoted(dir.string())).append(" && ").append(quoted(AGENTKIT_CLI));
        for (const auto& a : args) cmd.append(" ").append(quoted(a));
        const fs::path out = output.empty() ? dir / ".out" : fs::path(output);
        cmd.append(" <").append(quoted(input)).append(" >").append(quoted(out.string()));
        cmd.append(" 2>").append(quoted((dir / ".err").string()));
        const int raw = std::system(cmd.c_str());
        result r;
        r.status = WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
        if (output.empty()) r.out = slurp(out);
        r.err = slurp(dir / ".err");
        return r;
    }
};

#define EXPECT_STATUS(r, code) EXPECT_EQ((r).status, code) << "stdout: " << (r).out << "\nstderr: " << (r).err

TEST_F(Cli, HelpEverywherePrintsUsageToStdoutAndExitsZero) {
    const std::vector<std::vector<std::string>> cases = {
        {"help"},
        {"--help"},
        {"-h"},
        {"config", "--help"},
        {"config", "-h"},
        {"config", "check", "--help"},
        {"config", "check", "--lenient", "-h"},
        {"config", "defaults", "--help"},
        {"tokens", "--help"},
        {"tokens", "count", "--help"},
        {"tokens", "decode", "-h"},
        {"chunk", "--help"},
        {"chunk", "--max", "10", "-h"},
        {"cache-sim", "--help"},
        {"cache-sim", "-h"},
    };
    for (const auto& args : cases) {
        const auto r = run(args);
        EXPECT_STATUS(r, 0) << " for " << ::testing::PrintToString(args);
        EXPECT_NE(r.out.find("usage: agentkit"), std::string::npos) << ::testing::PrintToString(args) << ": " << r.out;
        EXPECT_EQ(r.err, "") << ::testing::PrintToString(args);
    }
    // The top-level usage documents the exit statuses.
    const auto top = run({"--help"});
    EXPECT_NE(top.out.find("exit status: 0"), std::string::npos) << top.out;
}

TEST_F(Cli, UsageErrorsExitTwo) {
    const auto trace = file("t.keys", "1\n2\n");
    const std::vector<std::vector<std::string>> cases = {
        {},
        {"frobnicate"},
        {"config"},
        {"config", "bogus"},
        {"config", "check"},
        {"config", "check", "--bogus", "x.json"},
        {"config", "check", "a.json", "b.json"},
        {"config", "defaults", "extra"},
        {"tokens"},
        {"tokens", "frob"},
        {"tokens", "count", "--bogus"},
        {"tokens", "count", "--encoding"},
        {"tokens", "count", "--encoding", "nope"},
        {"tokens", "encode", "--encoding", "estimate"},
        {"tokens", "count", "--max-bytes", "lots"},
        {"tokens", "count", "a", "b"},
        {"chunk", "--bogus"},
        {"chunk", "--max", "abc"},
        {"chunk", "--max"},
        {"chunk", "--by", "words"},
        {"chunk", "--max", "10", "--overlap", "10"},
        {"chunk", "--max-bytes", "-1"},
        {"cache-sim", "--bogus"},
        {"cache-sim", "--capacity", "1"},
        {"cache-sim", "--policy", "nope", "--capacity", "1", trace.string()},
        {"cache-sim", "--format", "csv", "--capacity", "1", trace.string()},
        {"cache-sim", "--capacity", "0", trace.string()},
        {"cache-sim", "--capacity", "1", trace.string(), trace.string()},
        {"cache-sim", "--zipf", "x", "--keys", "1", "--requests", "1"},
        {"cache-sim", "--zipf", "nan", "--keys", "1", "--requests", "1", "--capacity", "1"},
        {"config", "defaults", "--", "x"},
    };
    for (const auto& args : cases) {
        const auto r = run(args);
        EXPECT_STATUS(r, 2) << " for " << ::testing::PrintToString(args);
        EXPECT_NE(r.err, "") << ::testing::PrintToString(args);
    }
}

TEST_F(Cli, RuntimeFailuresExitOne) {
    const auto bad_config = file("bad.json", R"({"models": {"router": {"retry": {"maxAtempts": 3}}}})");
    const auto bad_trace = file("bad.keys", "1\ntwo\n");
    auto r = run({"config", "check", bad_config.string()});
    EXPECT_STATUS(r, 1);
    EXPECT_NE(r.err.find("models.router.retry.maxAtempts: unknown key (did you mean maxAttempts?)"), std::string::npos)
        << r.err;
    EXPECT_STATUS(run({"config", "check", (dir / "missing.json").string()}), 1);
    EXPECT_STATUS(run({"config", "check", "-"}, bad_config.string()), 1);
    EXPECT_STATUS(run({"tokens", "count", "--encoding", "estimate", (dir / "missing.txt").string()}), 1);
    EXPECT_STATUS(run({"tokens", "decode", "--encoding", "cl100k_base"}, file("ids", "1 2 x").string()), 1);
    EXPECT_STATUS(run({"chunk", (dir / "missing.txt").string()}), 1);
    EXPECT_STATUS(run({"cache-sim", "--capacity", "1", (dir / "missing.keys").string()}), 1);
    r = run({"cache-sim", "--capacity", "1", bad_trace.string()});
    EXPECT_STATUS(r, 1);
    EXPECT_NE(r.err.find("line 2"), std::string::npos) << r.err;
}

TEST_F(Cli, SuccessesExitZero) {
    const auto good = file("good.json", R"({"agent": {"maxIterations": 7}})");
    auto r = run({"config", "check", "--compact", good.string()});
    EXPECT_STATUS(r, 0);
    EXPECT_NE(r.out.find("\"maxIterations\":7"), std::string::npos) << r.out;
    EXPECT_STATUS(run({"config", "check", "-"}, good.string()), 0);
    EXPECT_STATUS(run({"config", "defaults"}), 0);
    EXPECT_STATUS(run({"config", "defaults", "--"}), 0);
    r = run({"tokens", "count", "--encoding", "estimate"}, file("doc.txt", "hello world").string());
    EXPECT_STATUS(r, 0);
    r = run({"chunk", "--max", "5", "--overlap", "1"}, file("doc2.txt", "hello world, hello chunks").string());
    EXPECT_STATUS(r, 0);
    EXPECT_NE(r.out.find("{\"begin\":0"), std::string::npos) << r.out;
    r = run({"cache-sim", "--policy", "lru", "--capacity", "2", "-"}, file("t.keys", "1\n2\n1\n").string());
    EXPECT_STATUS(r, 0);
    EXPECT_NE(r.out.find("requests: 3"), std::string::npos) << r.out;
}

TEST_F(Cli, ChunkWritesExactJsonLines) {
    // Quotes, a backslash, control bytes and UTF-8 in --text: escaped as JSON, UTF-8 passed through.
    const std::string doc = "say \"hi\" \\ tab\there\x01\x1f \xc3\xbc";
    auto r = run({"chunk", "--max", "100", "--text", file("esc.txt", doc).string()});
    EXPECT_STATUS(r, 0);
    EXPECT_EQ(r.out,
              "{\"begin\":0,\"end\":" + std::to_string(doc.size()) +
                  ",\"size\":23,\"text\":\"say \\\"hi\\\" \\\\ tab\\there\\u0001\\u001f \xc3\xbc\"}\n");
    // Output well past the writer's 1 MiB block: every line whole, in order, covering the document.
    std::string big;
    for (int i = 0; i < 60000; ++i) big += "word" + std::to_string(i) + (i % 7 == 0 ? "\n\n" : " ");
    r = run({"chunk", "--max", "16", "--overlap", "0", "--min", "1", file("big.txt", big).string()});
    EXPECT_STATUS(r, 0);
    ASSERT_GT(r.out.size(), std::size_t{1} << 20);
    std::size_t lines = 0, last_end = 0, at = 0;
    for (std::size_t nl; (nl = r.out.find('\n', at)) != std::string::npos; at = nl + 1, ++lines) {
        const std::string line = r.out.substr(at, nl - at);
        ASSERT_EQ(line.rfind("{\"begin\":", 0), 0u) << line;
        ASSERT_EQ(line.back(), '}') << line;
        const auto e = line.find("\"end\":");
        const std::size_t end = std::stoul(line.substr(e + 6));
        ASSERT_GE(end, last_end) << line;
        last_end = end;
    }
    EXPECT_EQ(at, r.out.size());
    EXPECT_GT(lines, 30000u);
    EXPECT_GE(last_end + 1, big.size());  // the trailing separator is stripped
}

TEST_F(Cli, ChunkOutputThatCannotBeWrittenExitsOne) {
    if (!fs::exists("/dev/full")) GTEST_SKIP() << "no /dev/full";
    const auto r =
        run({"chunk", "--max", "8", "--overlap", "2", file("doc.txt", "some words to chunk and to write").string()},
            "/dev/null", "/dev/full");
    EXPECT_STATUS(r, 1);
    EXPECT_NE(r.err.find("cannot write the chunks"), std::string::npos) << r.err;
}

TEST_F(Cli, DoubleDashEndsOptionsInEverySubcommand) {
    file("--help", R"({"agent": {"maxIterations": 3}})");
    file("-doc", "some words to count and to chunk");
    file("-t.keys", "1\n2\n1\n");
    auto r = run({"config", "check", "--compact", "--", "--help"});
    EXPECT_STATUS(r, 0);
    EXPECT_NE(r.out.find("\"maxIterations\":3"), std::string::npos) << r.out;
    r = run({"tokens", "count", "--encoding", "estimate", "--", "-doc"});
    EXPECT_STATUS(r, 0);
    r = run({"chunk", "--max", "8", "--overlap", "2", "--", "-doc"});
    EXPECT_STATUS(r, 0);
    EXPECT_NE(r.out.find("\"begin\":0"), std::string::npos) << r.out;
    r = run({"cache-sim", "--capacity", "1", "--", "-t.keys"});
    EXPECT_STATUS(r, 0);
    EXPECT_NE(r.out.find("requests: 3"), std::string::npos) << r.out;
    // `--` then `-` is still stdin.
    r = run({"tokens", "count", "--encoding", "estimate", "--", "-"}, (dir / "-doc").string());
    EXPECT_STATUS(r, 0);
}

TEST_F(Cli, WholeInputReadsAreBoundedAndNameTheLimit) {
    const auto eleven = file("eleven.txt", "hello world");
    auto r = run({"tokens", "count", "--encoding", "estimate", "--max-bytes", "10", eleven.string()});
    EXPECT_STATUS(r, 1);
    EXPECT_NE(r.err.find("--max-bytes"), std::string::npos) << r.err;
    r = run({"tokens", "count", "--encoding", "estimate", "--max-bytes", "11", eleven.string()});
    EXPECT_STATUS(r, 0);
    r = run({"tokens", "count", "--encoding", "estimate", "--max-bytes", "1048576"}, "/dev/zero");
    EXPECT_STATUS(r, 1);
    EXPECT_NE(r.err.find("larger than 1048576 bytes"), std::string::npos) << r.err;
    r = run({"chunk", "--max-bytes", "1000", "/dev/zero"});
    EXPECT_STATUS(r, 1);
    EXPECT_NE(r.err.find("--max-bytes"), std::string::npos) << r.err;
    // config check: 16 MiB, from a file and from stdin alike.
    r = run({"config", "check", "-"}, "/dev/zero");
    EXPECT_STATUS(r, 1);
    EXPECT_NE(r.err.find("config.max_file_bytes"), std::string::npos) << r.err;
    r = run({"config", "check", "/dev/zero"});
    EXPECT_STATUS(r, 1);
    EXPECT_NE(r.err.find("config.max_file_bytes"), std::string::npos) << r.err;
    // The documented defaults.
    EXPECT_NE(run({"tokens", "--help"}).out.find("--max-bytes N"), std::string::npos);
    EXPECT_NE(run({"chunk", "--help"}).out.find("--max-bytes N"), std::string::npos);
    EXPECT_NE(run({"config", "--help"}).out.find("16 MiB"), std::string::npos);
}

TEST_F(Cli, CacheSimTraceLimitsAndDevices) {
    const auto arc = file("bomb.arc", "0 1000000 0 0\n1 1000000 0 0\n");
    auto r = run({"cache-sim", "--capacity", "10", "--format", "arc", "--max-requests", "1500000", arc.string()});
    EXPECT_STATUS(r, 1);
    EXPECT_NE(r.err.find("--max-requests: trace has more than 1500000 requests"), std::string::npos) << r.err;
    r = run({"cache-sim", "--capacity", "10", "--max-input-bytes", "100",
             file("long.keys", std::string(200, '\n')).string()});
    EXPECT_STATUS(r, 1);
    EXPECT_NE(r.err.find("--max-input-bytes: trace is larger than 100 bytes"), std::string::npos) << r.err;
    r = run({"cache-sim", "--capacity", "10", "/dev/zero"});
    EXPECT_STATUS(r, 1);
    EXPECT_EQ(r.err.find("no such"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("not a regular file"), std::string::npos) << r.err;
    r = run({"cache-sim", "--zipf", "0.9", "--keys", "10", "--requests", "1000", "--max-requests", "100", "--capacity",
             "1"});
    EXPECT_STATUS(r, 1);
    EXPECT_NE(r.err.find("--max-requests"), std::string::npos) << r.err;
}

TEST_F(Cli, ErrorsNeverEchoRawControlBytes) {
    const std::string evil = "\x1b]0;owned\x07\x1b[2J";
    const auto trace = file("evil.keys", "1\n" + evil + "\n");
    std::vector<result> results = {
        run({"cache-sim", "--capacity", "1", trace.string()}),
        run({"cache-sim", "--capacity", "1", (dir / ("missing" + evil)).string()}),
        run({"cache-sim", "--format", evil, "--capacity", "1", trace.string()}),
        run({"cache-sim", "--policy", evil, "--capacity", "1", trace.string()}),
        run({"cache-sim", "--capacity", evil, trace.string()}),
        run({"cache-sim", "--" + evil}),
        run({"tokens", "count", "--" + evil}),
        run({"tokens", evil}),
        run({"tokens", "count", "--encoding", evil}),
        run({"tokens", "decode", "--encoding", "cl100k_base"}, file("ids.txt", "1 " + evil).string()),
        run({"chunk", "--" + evil}),
        run({"chunk", "--max", evil}),
        run({"chunk", (dir / ("missing" + evil)).string()}),
        run({"config", evil}),
        run({"config", "check", (dir / ("missing" + evil)).string()}),
        run({"config", "check", "-"}, file("evil.json", "{\"agent\": {\"\\u001b[2J\": 1}}").string()),
        run({evil}),
    };
    for (std::size_t i = 0; i < results.size(); ++i) {
        EXPECT_NE(results[i].status, 0) << "case " << i;
        EXPECT_NE(results[i].err, "") << "case " << i;
        EXPECT_EQ(results[i].err.find('\x1b'), std::string::npos) << "case " << i << ": " << results[i].err;
        EXPECT_EQ(results[i].err.find('\x07'), std::string::npos) << "case " << i << ": " << results[i].err;
    }
}

}  // namespace cli_test
