// The quickstart example against failing endpoints: a model it cannot reach or that refuses it ends the
// program with a message on stderr and exit code 1 (never an abort), and a tool call with arguments that
// do not fit the tool's schema becomes a tool error the model reads, not a crash.
//
// The binary is AGENTKIT_QUICKSTART_BINARY when the build defines it, else the quickstart next to this test
// in the same build tree (<build>/examples/quickstart/quickstart); the tests skip when it was not built.
#include <agentkit_test/numbered.hpp>
#include <agentkit_test/anthropic_server.hpp>
#include <agentkit_test/openai_server.hpp>
#include <agentkit_test/scratch_db.hpp>
#include <agentkit_test/wait_child.hpp>

#include <gtest/gtest.h>

#include <fcntl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>
#include <netinet/in.h>

#include <chrono>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

extern char** environ;

namespace quickstart_errors_test {

namespace fs = std::filesystem;
using agentkit_test::openai_server;
using namespace std::chrono_literals;

std::optional<fs::path> quickstart_binary() {
#ifdef AGENTKIT_QUICKSTART_BINARY
    if (fs::exists(AGENTKIT_QUICKSTART_BINARY)) return fs::path(AGENTKIT_QUICKSTART_BINARY);
#endif
    std::error_code ec;
    const auto self = fs::read_symlink("/proc/self/exe", ec);
    if (ec) return std::nullopt;
    const auto candidate = self.parent_path().parent_path() / "examples" / "quickstart" / "quickstart";
    if (fs::exists(candidate, ec)) return candidate;
    return std::nullopt;
}

struct run_result {
    bool exited = false;  // false: killed by a signal (or by us, on a hang)
    int exit_code = -1;
    int signal = 0;
    std::string out, err;
};

std::string slurp(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// Runs the quickstart with AGENTKIT_BASE_URL = base_url, a test key and `extra_env` (no other AGENTKIT_
// variable), capturing its output.
run_result run_quickstart(const fs::path& binary, const std::string& base_url,
                          std::vector<std::string> extra_env = {}) {
    std::vector<std::string> env_strings;
    for (char** e = environ; *e; ++e)
        if (std::string_view(*e).rfind("AGENTKIT_", 0) != 0) env_strings.emplace_back(*e);
    env_strings.push_back("AGENTKIT_BASE_URL=" + base_url);
    env_strings.push_back("AGENTKIT_API_KEY=test-key");
    for (auto& e : extra_env) env_strings.push_back(std::move(e));
    std::vector<char*> envp;
    for (auto& s : env_strings) envp.push_back(s.data());
    envp.push_back(nullptr);
    std::string path = binary.string();
    char* argv[] = {path.data(), nullptr};

    const auto dir = fs::temp_directory_path();
    const auto tag = std::to_string(::getpid()) +
        agentkit_test::numbered("-", std::chrono::steady_clock::now().time_since_epoch().count());
    const auto out_path = dir / ("agentkit-quickstart-" + tag + ".out");
    const auto err_path = dir / ("agentkit-quickstart-" + tag + ".err");
    const int out_fd = ::open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    const int err_fd = ::open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    run_result r;
    if (out_fd < 0 || err_fd < 0) {
        ADD_FAILURE() << "cannot create the capture files in " << dir;
        return r;
    }
    const pid_t pid = ::fork();
    if (pid == 0) {  // only async-signal-safe calls from here on
        ::dup2(out_fd, STDOUT_FILENO);
        ::dup2(err_fd, STDERR_FILENO);
        ::execve(argv[0], argv, envp.data());
        ::_exit(127);
    }
    ::close(out_fd);
    ::close(err_fd);
    if (pid < 0) {
        ADD_FAILURE() << "fork failed";
        return r;
    }
    const auto [status, hung] = agentkit_test::wait_child(pid, 120s);  // generous: only a hang gets near it
    if (hung) ADD_FAILURE() << "the quickstart hung";
    r.exited = WIFEXITED(status);
    r.exit_code = r.exited ? WEXITSTATUS(status) : -1;
    r.signal = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
    r.out = slurp(out_path);
    r.err = slurp(err_path);
    std::error_code ec;
    fs::remove(out_path, ec);
    fs::remove(err_path, ec);
    return r;
}

// A 127.0.0.1 port with nothing listening: bound to learn a free port, then closed.
int closed_port() {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    socklen_t len = sizeof addr;
    if (fd < 0 || ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
        ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
        if (fd >= 0) ::close(fd);
        return 1;  // a privileged port nobody listens on in a test environment
    }
    const int port = ntohs(addr.sin_port);
    ::close(fd);
    return port;
}

#define REQUIRE_QUICKSTART(var)           \
    const auto var = quickstart_binary(); \
    if (!var) GTEST_SKIP() << "the quickstart binary is not built next to this test";

TEST(QuickstartErrors, UnreachableModelExitsWithOneAndAMessage) {
    REQUIRE_QUICKSTART(bin);
    const auto r = run_quickstart(*bin, agentkit_test::numbered("http://127.0.0.1:", closed_port()) + "/v1");
    EXPECT_TRUE(r.exited) << "killed by signal " << r.signal << "\nstderr: " << r.err;
    EXPECT_EQ(r.exit_code, 1) << r.err;
    EXPECT_NE(r.err.find("quickstart: "), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("cannot connect"), std::string::npos) << r.err;
    EXPECT_EQ(r.err.find("terminate called"), std::string::npos) << r.err;
}

TEST(QuickstartErrors, ProviderRefusalExitsWithOneAndAMessage) {
    REQUIRE_QUICKSTART(bin);
    openai_server server;
    for (int i = 0; i < 8; ++i) server.push(openai_server::status(401, "invalid api key"));
    const auto r = run_quickstart(*bin, server.base_url());
    EXPECT_TRUE(r.exited) << "killed by signal " << r.signal << "\nstderr: " << r.err;
    EXPECT_EQ(r.exit_code, 1) << r.err;
    EXPECT_NE(r.err.find("quickstart: "), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("invalid api key"), std::string::npos) << r.err;
}

TEST(QuickstartErrors, MalformedToolArgumentsBecomeAToolErrorNotACrash) {
    REQUIRE_QUICKSTART(bin);
    openai_server server;
    // First question: a tool call whose arguments are an array, then a plain answer; second question: a call
    // with a string where a number belongs, then the default echo.
    server.push(openai_server::stream(openai_server::stream_events("", "multiply", "[1,2]")));
    server.push(openai_server::stream(openai_server::stream_events("sorry")));
    server.push(openai_server::stream(openai_server::stream_events("", "multiply", R"({"a":"six","b":7})")));
    const auto r = run_quickstart(*bin, server.base_url());
    EXPECT_TRUE(r.exited) << "killed by signal " << r.signal << "\nstderr: " << r.err;
    EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
    EXPECT_NE(r.out.find("must be a JSON object"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("argument 'a' of tool 'multiply' must be of type number"), std::string::npos) << r.out;
}

TEST(QuickstartProviders, TalksToAnAnthropicEndpointWhenAsked) {
    REQUIRE_QUICKSTART(bin);
    using agentkit_test::anthropic_server;
    anthropic_server server;
    server.push(anthropic_server::stream(anthropic_server::stream_events("Hello from the Messages API.")));
    server.push(anthropic_server::stream(anthropic_server::stream_events("", "multiply", R"({"a":6,"b":7})")));
    server.push(anthropic_server::stream(anthropic_server::stream_events("6 times 7 is 42.")));
    const auto r =
        run_quickstart(*bin, server.base_url(), {"AGENTKIT_PROVIDER=anthropic", "AGENTKIT_MODEL=claude-test"});
    EXPECT_TRUE(r.exited) << "killed by signal " << r.signal << "\nstderr: " << r.err;
    ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
    EXPECT_NE(r.out.find("Hello from the Messages API."), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("[tool] multiply"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("-> 42"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("6 times 7 is 42."), std::string::npos) << r.out;
    ASSERT_EQ(server.requests(), 3u);
    const auto bodies = server.bodies();
    EXPECT_NE(bodies.back().find(R"("type":"tool_result")"), std::string::npos) << bodies.back();
    EXPECT_NE(bodies.back().find(R"("model":"claude-test")"), std::string::npos) << bodies.back();
}

TEST(QuickstartSession, ASecondRunOnTheSameDatabaseResumesTheConversation) {
    REQUIRE_QUICKSTART(bin);
    const auto db = agentkit_test::fresh_db("quickstart.db");
    auto script = [](openai_server& server) {
        server.push(openai_server::stream(openai_server::stream_events("Hello, I remember.")));
        server.push(openai_server::stream(openai_server::stream_events("", "multiply", R"({"a":6,"b":7})")));
        server.push(openai_server::stream(openai_server::stream_events("6 times 7 is 42.")));
    };
    openai_server first;
    script(first);
    const auto one = run_quickstart(*bin, first.base_url(), {"AGENTKIT_DB=" + db});
    ASSERT_EQ(one.exit_code, 0) << one.out << one.err;
    EXPECT_EQ(one.out.find("resumed"), std::string::npos) << one.out;
    openai_server second;
    script(second);
    const auto two = run_quickstart(*bin, second.base_url(), {"AGENTKIT_DB=" + db});
    ASSERT_EQ(two.exit_code, 0) << two.out << two.err;
    EXPECT_NE(two.out.find("(resumed 6 messages of session 'quickstart'"), std::string::npos) << two.out;
    // The second run's first model request carries the first run's turns, the tool result included.
    const auto bodies = second.bodies();
    ASSERT_FALSE(bodies.empty());
    EXPECT_NE(bodies.front().find("Hello, I remember."), std::string::npos) << bodies.front();
    EXPECT_NE(bodies.front().find("6 times 7 is 42."), std::string::npos) << bodies.front();
    EXPECT_NE(bodies.front().find(R"("role":"tool")"), std::string::npos) << bodies.front();
}

TEST(QuickstartProviders, AnUnknownProviderIsAnErrorNamingTheVariable) {
    REQUIRE_QUICKSTART(bin);
    const auto r = run_quickstart(*bin, "http://127.0.0.1:1/v1", {"AGENTKIT_PROVIDER=gemini"});
    EXPECT_TRUE(r.exited) << r.err;
    EXPECT_EQ(r.exit_code, 1) << r.err;
    EXPECT_NE(r.err.find("AGENTKIT_PROVIDER"), std::string::npos) << r.err;
}

}  // namespace quickstart_errors_test
