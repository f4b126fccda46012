#pragma once
// executor: runs the tool calls of one model turn. Each call gets a timeout (default_timeout, or a
// per-tool value), its output is capped at max_output_bytes with a marker saying so, independent calls run
// in parallel (up to max_workers, when there are at least parallel_threshold of them), and every failure -
// unknown tool, arguments that are not a JSON object or do not match the tool's schema, an exception, a
// timeout - becomes a tool message the model reads, never an exception out of the loop.
//
// Arguments are checked against the tool's schema before the tool runs: they must be a JSON object, every
// "required" property must be present, and a property whose schema declares a primitive "type" (string,
// number, integer, boolean, object, array, null) must have it. A mismatch names the field and the tool
// never runs.
//
// Timeouts: a call's deadline is its timeout counted from when it was handed to the workers. A call that
// has not started by then never starts (it is cancelled, so no side effect follows the model being told it
// timed out). A call still running at its deadline is reported timed out and its std::stop_token is
// signalled (a tool that takes one should return soon after; threads cannot be killed safely).
//
// Shutdown: the last executor sharing the workers signals every running tool to stop and waits at most
// shutdown_timeout for the workers to end. A worker still inside a tool after that is detached: it owns
// its share of the workers' state (nothing of the executor), so it touches no freed memory of the
// executor, but its tool keeps running until it returns - a tool must not outlive the toolbox it belongs
// to, so give hung tools a stop token to watch. The toolbox must outlive the executor.
#include <agentkit/core/config_macros.hpp>
#include <agentkit/core/message.hpp>
#include <agentkit/tools/argument_check.hpp>
#include <agentkit/tools/toolbox.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <stop_token>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <utility>
#include <vector>

namespace agentkit::tools {

enum class outcome_status { ok, failed, timed_out, unknown_tool, bad_arguments };

struct tool_outcome {
    std::string call_id;
    std::string name;
    std::string content;  // what the model sees (output, or "error: ...")
    outcome_status status = outcome_status::ok;
    bool truncated = false;
    std::size_t original_bytes = 0;
    std::chrono::nanoseconds elapsed{0};

    bool ok() const noexcept { return status == outcome_status::ok; }
    message to_message() const { return message::tool_result(call_id, content, name); }
};

// Cuts `output` to at most `max_bytes` (never inside a UTF-8 sequence) and appends a marker naming both sizes.
AGENTKIT_DECL bool cap_output(std::string& output, std::size_t max_bytes);

namespace detail {

// One tool call handed to the workers, shared by the caller (which may give up on it) and a worker. The
// state moves queued -> running (a worker took it) or queued -> cancelled (its deadline passed first);
// exactly one of the two wins, so a cancelled call never starts.
struct tool_job {
    enum phase : int { queued, running, cancelled };
    std::atomic<int> state{queued};
    std::stop_source stop;
    std::function<std::string(std::stop_token)> body;  // touched only by whoever won the state change
    std::promise<std::string> result;

    bool claim(phase to) {
        int expected = queued;
        return state.compare_exchange_strong(expected, to);
    }
};

// The executor's worker threads. They start on the first call and hold the shared state by shared_ptr,
// so a worker stuck in a tool can be detached at shutdown without referring to anything freed.
class tool_workers {
public:
    AGENTKIT_DECL tool_workers(std::size_t workers, std::chrono::milliseconds shutdown_timeout);
    tool_workers(const tool_workers&) = delete;
    tool_workers& operator=(const tool_workers&) = delete;

    // Stops the workers: running tools get a stop request, queued calls are dropped; waits at most
    // shutdown_timeout for the workers to end, then detaches the ones still inside a tool.
    AGENTKIT_DECL ~tool_workers();

    // Throws std::system_error when a thread cannot be started.
    AGENTKIT_DECL void submit(std::shared_ptr<tool_job> job);
    AGENTKIT_DECL bool started() const;

private:
    struct shared;

    AGENTKIT_DECL void start_threads();  // mutex held
    AGENTKIT_DECL static void work(const std::shared_ptr<shared>& s, std::size_t slot);

    std::size_t size_;
    std::chrono::milliseconds shutdown_timeout_;
    std::shared_ptr<shared> state_;
    std::vector<std::thread> threads_;  // guarded by state_->mutex
};

}  // namespace detail

class executor {
public:
    struct config {
        std::chrono::milliseconds default_timeout{30000};  // seeds: tools.executor.defaultTimeoutMs
        std::size_t max_output_bytes = 51200;              // seeds: tools.executor.maxOutputBytes (50 KiB)
        bool parallel_execution_enabled = true;
        std::size_t max_workers = 4;         // seeds: max_parallel_workers
        std::size_t parallel_threshold = 2;  // seeds: parallel_threshold (min calls to go parallel)
        std::unordered_map<std::string, std::chrono::milliseconds> timeouts;  // per-tool overrides
        // How long destroying the executor waits for running tools to return after asking them to stop;
        // a worker still inside a tool after that is detached (see the header comment). 0: do not wait.
        std::chrono::milliseconds shutdown_timeout{5000};
    };

    executor() : executor(config{}) {}
    explicit executor(config cfg)
        : cfg_(std::move(cfg)),
          workers_(std::make_shared<detail::tool_workers>(check(cfg_).max_workers, cfg_.shutdown_timeout)) {}

    const config& configuration() const noexcept { return cfg_; }
    bool started() const { return workers_->started(); }

    template <toolbox Box>
    std::vector<tool_outcome> run(Box& box, std::span<const tool_call> calls) {
        std::vector<tool_outcome> out(calls.size());
        std::vector<pending> waiting(calls.size());
        const auto specs = box.specs();
        const bool parallel =
            cfg_.parallel_execution_enabled && calls.size() >= cfg_.parallel_threshold && calls.size() > 1;
        for (std::size_t i = 0; i < calls.size(); ++i) {
            out[i].call_id = calls[i].id;
            out[i].name = calls[i].name;
            start(box, specs, calls[i], out[i], waiting[i]);
            if (!parallel) finish(out[i], waiting[i]);
        }
        if (parallel)
            for (std::size_t i = 0; i < calls.size(); ++i) finish(out[i], waiting[i]);
        return out;
    }

    template <toolbox Box>
    tool_outcome run_one(Box& box, const tool_call& call) {
        return std::move(run(box, std::span<const tool_call>(&call, 1)).front());
    }

private:
    struct pending {
        std::shared_ptr<detail::tool_job> job;
        std::future<std::string> result;
        std::chrono::steady_clock::time_point began;
        std::chrono::milliseconds timeout{0};
    };

    static const config& check(const config& c) {
        if (c.max_workers == 0) throw_invalid_field("tools.executor.max_workers", "must be at least 1");
        if (c.default_timeout < std::chrono::milliseconds(1))
            throw_invalid_field("tools.executor.default_timeout", "must be at least 1 ms");
        // Far below the clock's range, so deadline arithmetic (now + timeout) cannot overflow.
        constexpr std::chrono::milliseconds longest{std::int64_t{1} << 40};
        if (c.default_timeout > longest) throw_invalid_field("tools.executor.default_timeout", "is too large");
        if (c.shutdown_timeout < std::chrono::milliseconds(0) || c.shutdown_timeout > longest)
            throw_invalid_field("tools.executor.shutdown_timeout", "must be between 0 and 2^40 ms");
        for (const auto& [tool, t] : c.timeouts)
            if (t < std::chrono::milliseconds(1) || t > longest)
                throw_invalid_field("tools.executor.timeouts." + tool, "must be between 1 ms and 2^40 ms");
        return c;
    }

    std::chrono::milliseconds timeout_for(const std::string& name) const {
        auto it = cfg_.timeouts.find(name);
        return it != cfg_.timeouts.end() ? it->second : cfg_.default_timeout;
    }

    template <class Box>
    void start(Box& box, const std::vector<tool_spec>& specs, const tool_call& call, tool_outcome& o, pending& p) {
        if (!box.contains(call.name)) {
            o.status = outcome_status::unknown_tool;
            o.content = "error: unknown tool '" + call.name + "'";
            return;
        }
        std::string args = call.arguments.empty() ? std::string("{}") : call.arguments;
        auto spec = std::find_if(specs.begin(), specs.end(), [&](const tool_spec& s) { return s.name == call.name; });
        const std::string_view schema = spec != specs.end() ? std::string_view(spec->parameters_schema) : "{}";
        if (auto bad = check_arguments(call.name, args, schema)) {
            o.status = outcome_status::bad_arguments;
            o.content = std::move(*bad);
            return;
        }
        p.timeout = timeout_for(call.name);
        p.job = std::make_shared<detail::tool_job>();
        p.job->body = [&box, name = call.name, args = std::move(args)](std::stop_token token) {
            return std::string(box.invoke(name, args, std::move(token)));
        };
        p.result = p.job->result.get_future();
        p.began = std::chrono::steady_clock::now();
        try {
            workers_->submit(p.job);
        } catch (const std::exception& e) {
            p.job.reset();
            o.status = outcome_status::failed;
            o.content = "error: tool '" + o.name + "' could not be started: " + e.what();
        }
    }

    void finish(tool_outcome& o, pending& p) {
        if (!p.job) return;
        if (p.result.wait_until(p.began + p.timeout) != std::future_status::ready) {
            const bool never_started = p.job->claim(detail::tool_job::cancelled);
            if (never_started) p.job->body = nullptr;  // no worker will touch it now
            if (never_started || p.result.wait_for(std::chrono::seconds(0)) != std::future_status::ready) {
                if (!never_started) p.job->stop.request_stop();
                o.status = outcome_status::timed_out;
                o.content = "error: tool '" + o.name + "' timed out after " + std::to_string(p.timeout.count()) + " ms";
                if (never_started) o.content += " before it started; it did not run";
                o.elapsed = std::chrono::steady_clock::now() - p.began;
                return;
            }
        }
        try {
            o.content = p.result.get();
            o.original_bytes = o.content.size();
            o.truncated = cap_output(o.content, cfg_.max_output_bytes);
        } catch (const std::exception& e) {
            o.status = outcome_status::failed;
            o.content = "error: tool '" + o.name + "' failed: " + e.what();
        } catch (...) {
            o.status = outcome_status::failed;
            o.content = "error: tool '" + o.name + "' failed with an unknown exception";
        }
        o.elapsed = std::chrono::steady_clock::now() - p.began;
    }

    config cfg_;
    // Threads start on the first tool call; shared so executors move and copy. The last owner stops them.
    std::shared_ptr<detail::tool_workers> workers_;
};

}  // namespace agentkit::tools

#if !defined(AGENTKIT_SEPARATE_COMPILATION)
#include <agentkit/tools/impl/executor.ipp>
#endif
