// A name server that never answers: the lookup is bounded by http.connect_timeout like the connect itself
// (getaddrinfo cannot be cancelled, so a lookup past its budget is left to finish on its own thread).
//
// The test needs its own resolver. A child process enters new mount and network namespaces (root, or a
// user with CAP_SYS_ADMIN; otherwise the test skips), brings up its loopback, binds UDP 127.0.0.1:53 and
// never answers, and mounts a resolv.conf naming that server over /etc/resolv.conf. Nothing outside the
// child sees any of it.
#include <agentkit/transport/http.hpp>

#include <agentkit_test/wait_child.hpp>
#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <thread>

namespace integration_http_dns_test {

using namespace std::chrono_literals;

constexpr int child_skip = 77;

// In the child: a private resolver that swallows every query. Returns false when the namespaces cannot be made.
bool isolate_with_a_silent_name_server() {
    if (::unshare(CLONE_NEWNS | CLONE_NEWNET) != 0) return false;
    if (::mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0) return false;
    const int s = ::socket(AF_INET, SOCK_DGRAM, 0);
    ::ifreq lo{};
    std::strncpy(lo.ifr_name, "lo", IFNAMSIZ - 1);
    if (s < 0 || ::ioctl(s, SIOCGIFFLAGS, &lo) != 0) return false;
    lo.ifr_flags = static_cast<short>(lo.ifr_flags | IFF_UP);
    if (::ioctl(s, SIOCSIFFLAGS, &lo) != 0) return false;
    ::sockaddr_in at{};
    at.sin_family = AF_INET;
    at.sin_port = htons(53);
    at.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::bind(s, reinterpret_cast<const ::sockaddr*>(&at), sizeof at) != 0) return false;  // kept open, never read
    char path[] = "/tmp/agentkit-resolv-XXXXXX";
    const int fd = ::mkstemp(path);
    if (fd < 0) return false;
    const std::string conf = "nameserver 127.0.0.1\noptions timeout:30 attempts:5\n";
    const bool written = ::write(fd, conf.data(), conf.size()) == static_cast<ssize_t>(conf.size());
    ::close(fd);
    const bool mounted = written && ::mount(path, "/etc/resolv.conf", nullptr, MS_BIND, nullptr) == 0;
    ::unlink(path);  // the mount keeps the file alive
    return mounted;
}

TEST(HttpDns, ANameServerThatNeverAnswersIsBoundedByTheConnectTimeout) {
    const pid_t pid = ::fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
        if (!isolate_with_a_silent_name_server()) ::_exit(child_skip);
        agentkit::transport::http::config cfg;
        cfg.connect_timeout = std::chrono::milliseconds(500);
        agentkit::transport::http client(cfg);
        agentkit::transport::http_request r;
        r.url = "http://model.agentkit-test.example/v1/models";
        const auto start = std::chrono::steady_clock::now();
        int status = 1;
        try {
            (void)client.send(r);
            std::fprintf(stderr, "the request succeeded\n");
        } catch (const agentkit::error& e) {
            const auto took = std::chrono::steady_clock::now() - start;
            const bool timed_out = e.code() == agentkit::errc::timeout && e.field() == "http.connect_timeout";
            if (!timed_out) std::fprintf(stderr, "unexpected error: %s (field %s)\n", e.what(), e.field().c_str());
            if (took > 5s)
                std::fprintf(
                    stderr, "took %lld ms\n",
                    static_cast<long long>(std::chrono::duration_cast<std::chrono::milliseconds>(took).count()));
            status = timed_out && took < 5s ? 0 : 1;
        }
        std::fflush(stderr);
        ::_exit(status);  // the lookup thread is still waiting on the silent server: do not wait for it
    }
    const auto [status, hung] = agentkit_test::wait_child(pid, 60s);  // generous: only a hang gets near it
    if (hung) FAIL() << "the request hung on a name server that never answers";
    ASSERT_TRUE(WIFEXITED(status)) << "killed by signal " << WTERMSIG(status);
    if (WEXITSTATUS(status) == child_skip)
        GTEST_SKIP() << "cannot create mount and network namespaces here (needs CAP_SYS_ADMIN)";
    EXPECT_EQ(WEXITSTATUS(status), 0) << "see the child's message above";
}

}  // namespace integration_http_dns_test
