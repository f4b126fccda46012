#pragma once
// The definitions of executor.hpp's non-template parts: included by it (header-only) or compiled once
// (src/agentkit.cpp).
#include <agentkit/tools/executor.hpp>
#include <agentkit/core/utf8.hpp>

#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace agentkit::tools {

AGENTKIT_DECL bool cap_output(std::string& output, std::size_t max_bytes) {
    if (output.size() <= max_bytes) return false;
    const std::size_t total = output.size();
    const std::size_t cut = utf8::cut_point(output, max_bytes);
    output.resize(cut);
    output += std::string("\n[agentkit: output truncated to ")
                  .append(std::to_string(cut))
                  .append(" of ")
                  .append(std::to_string(total))
                  .append(" bytes (tools.executor.max_output_bytes)]");
    return true;
}

namespace detail {

struct tool_workers::shared {
    std::mutex mutex;
    std::condition_variable ready;   // work queued, or stopping
    std::condition_variable exited;  // a worker ended
    std::deque<std::shared_ptr<tool_job>> queue;
    std::vector<std::shared_ptr<tool_job>> running;  // per worker: the call it is inside, if any
    std::vector<char> done;                          // per worker: it has left its loop
    std::size_t live = 0;
    bool stopping = false;
};

AGENTKIT_DECL tool_workers::tool_workers(std::size_t workers, std::chrono::milliseconds shutdown_timeout)
    : size_(workers), shutdown_timeout_(shutdown_timeout), state_(std::make_shared<shared>()) {}

AGENTKIT_DECL tool_workers::~tool_workers() {
    std::unique_lock lock(state_->mutex);
    state_->stopping = true;
    for (auto& job : state_->running)
        if (job) job->stop.request_stop();
    state_->queue.clear();
    state_->ready.notify_all();
    state_->exited.wait_for(lock, shutdown_timeout_, [this] { return state_->live == 0; });
    for (std::size_t i = 0; i < threads_.size(); ++i) {
        if (state_->done[i])
            threads_[i].join();  // it only has its return left; joining cannot block
        else
            threads_[i].detach();
    }
}

AGENTKIT_DECL void tool_workers::submit(std::shared_ptr<tool_job> job) {
    {
        std::lock_guard lock(state_->mutex);
        if (threads_.empty()) start_threads();  // lazy start
        state_->queue.push_back(std::move(job));
    }
    state_->ready.notify_one();
}

AGENTKIT_DECL bool tool_workers::started() const {
    std::lock_guard lock(state_->mutex);
    return !threads_.empty();
}

AGENTKIT_DECL void tool_workers::start_threads() {
    state_->running.resize(size_);
    state_->done.resize(size_, 0);
    threads_.reserve(size_);
    try {
        for (std::size_t i = 0; i < size_; ++i) {
            threads_.emplace_back([s = state_, i] { work(s, i); });
            ++state_->live;
        }
    } catch (...) {
        for (std::size_t i = threads_.size(); i < size_; ++i) state_->done[i] = 1;
        if (threads_.empty()) throw;  // with at least one worker the calls still run, just fewer at once
    }
}

AGENTKIT_DECL void tool_workers::work(const std::shared_ptr<shared>& s, std::size_t slot) {
    for (;;) {
        std::shared_ptr<tool_job> job;
        {
            std::unique_lock lock(s->mutex);
            s->ready.wait(lock, [&] { return s->stopping || !s->queue.empty(); });
            if (s->stopping) break;
            job = std::move(s->queue.front());
            s->queue.pop_front();
            if (!job->claim(tool_job::running)) continue;  // its deadline passed while queued: never start
            s->running[slot] = job;
        }
        try {
            job->result.set_value(job->body(job->stop.get_token()));
        } catch (...) {
            job->result.set_exception(std::current_exception());
        }
        job->body = nullptr;  // release the captured arguments now
        std::lock_guard lock(s->mutex);
        s->running[slot].reset();
    }
    std::lock_guard lock(s->mutex);
    s->done[slot] = 1;
    --s->live;
    s->exited.notify_all();
}

}  // namespace detail

}  // namespace agentkit::tools
