#pragma once
// scripted_executor: a test double for the executor of a queue; it only queues the jobs submitted, and the
// test runs them, one at a time or all, when it says so.
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <utility>

namespace agentkit_test {

class scripted_executor {
public:
    void submit(std::function<void()> job) {
        std::lock_guard lock(mutex_);
        jobs_.push_back(std::move(job));
    }
    // Runs the oldest job; false when there is none.
    bool run_one() {
        std::function<void()> job;
        {
            std::lock_guard lock(mutex_);
            if (jobs_.empty()) return false;
            job = std::move(jobs_.front());
            jobs_.pop_front();
        }
        job();
        return true;
    }
    // Runs jobs until none is left, those the jobs submit included.
    void run_all() {
        while (run_one()) {}
    }
    std::size_t pending() const {
        std::lock_guard lock(mutex_);
        return jobs_.size();
    }

private:
    mutable std::mutex mutex_;
    std::deque<std::function<void()>> jobs_;
};

}  // namespace agentkit_test
