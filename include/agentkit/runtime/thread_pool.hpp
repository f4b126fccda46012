#pragma once
// A fixed-size thread pool whose threads start on first use (an agent that never runs a tool in parallel
// never starts one). submit() returns a std::future; the destructor finishes queued work and joins.
#include <agentkit/core/error.hpp>

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <thread>
#include <type_traits>
#include <utility>
#include <vector>

namespace agentkit::runtime {

class thread_pool {
public:
    explicit thread_pool(std::size_t workers) : size_(workers) {
        if (workers == 0) throw_invalid_field("max_workers", "must be at least 1");
    }
    thread_pool(const thread_pool&) = delete;
    thread_pool& operator=(const thread_pool&) = delete;
    ~thread_pool() {
        {
            std::lock_guard lock(mutex_);
            stopping_ = true;
        }
        ready_.notify_all();
        for (auto& t : threads_) t.join();
    }

    template <class F>
    auto submit(F&& f) -> std::future<std::invoke_result_t<std::decay_t<F>>> {
        using R = std::invoke_result_t<std::decay_t<F>>;
        auto task = std::make_shared<std::packaged_task<R()>>(std::forward<F>(f));
        auto result = task->get_future();
        {
            std::lock_guard lock(mutex_);
            if (threads_.empty())  // lazy start
                for (std::size_t i = 0; i < size_; ++i) threads_.emplace_back([this] { work(); });
            queue_.emplace_back([task] { (*task)(); });
        }
        ready_.notify_one();
        return result;
    }

    std::size_t size() const noexcept { return size_; }
    bool started() const {
        std::lock_guard lock(mutex_);
        return !threads_.empty();
    }

private:
    void work() {
        for (;;) {
            std::function<void()> job;
            {
                std::unique_lock lock(mutex_);
                ready_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
                if (queue_.empty()) return;
                job = std::move(queue_.front());
                queue_.pop_front();
            }
            job();
        }
    }

    std::size_t size_;
    mutable std::mutex mutex_;
    std::condition_variable ready_;
    std::deque<std::function<void()>> queue_;
    std::vector<std::thread> threads_;
    bool stopping_ = false;
};

}  // namespace agentkit::runtime
