#pragma once
// wait_child: waits for a forked child process up to a deadline; a child still running then (hung) is
// killed. Returns its waitpid status, and whether it had to be killed.
#include <sys/types.h>
#include <sys/wait.h>

#include <chrono>
#include <csignal>
#include <thread>

namespace agentkit_test {

struct child_end {
    int status = 0;     // as waitpid gives it (WIFEXITED, WEXITSTATUS, ...)
    bool hung = false;  // still running at the deadline: killed with SIGKILL
};

inline child_end wait_child(pid_t pid, std::chrono::steady_clock::duration limit) {
    child_end end;
    const auto deadline = std::chrono::steady_clock::now() + limit;
    while (::waitpid(pid, &end.status, WNOHANG) == 0) {
        if (std::chrono::steady_clock::now() > deadline) {
            ::kill(pid, SIGKILL);
            ::waitpid(pid, &end.status, 0);
            end.hung = true;
            break;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return end;
}

}  // namespace agentkit_test
