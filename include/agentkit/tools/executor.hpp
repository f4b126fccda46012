#pragma once
// executor: runs the tool calls of one model turn. Each call gets a timeout (default_timeout_ms, or a
// per-tool value), its output is capped at max_output_bytes with a marker saying so, independent calls run
// in parallel (up to max_workers, when there are at least parallel_threshold of them), and every failure -
// unknown tool, arguments that are not JSON, an exception, a timeout - becomes a tool message the model
// reads, never an exception out of the loop.
//
// A timed-out tool keeps its worker until it returns (threads cannot be killed safely); a tool that takes a
// std::stop_token is asked to stop. The toolbox must outlive the executor (the destructor waits for
// stragglers).
#include <agentkit/core/message.hpp>
#include <agentkit/model/json.hpp>
#include <agentkit/runtime/thread_pool.hpp>
#include <agentkit/tools/toolbox.hpp>

#include <chrono>
#include <cstddef>
#include <exception>
#include <future>
#include <memory>
#include <span>
#include <stop_token>
#include <string>
#include <unordered_map>
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
inline bool cap_output(std::string& output, std::size_t max_bytes) {
    if (output.size() <= max_bytes) return false;
    const std::size_t total = output.size();
    std::size_t cut = max_bytes;
    while (cut > 0 && (static_cast<unsigned char>(output[cut]) & 0xC0u) == 0x80u) --cut;
    output.resize(cut);
    output += "\n[agentkit: output truncated to " + std::to_string(cut) + " of " + std::to_string(total) +
              " bytes (tools.executor.max_output_bytes)]";
    return true;
}

class executor {
public:
    struct config {
        std::uint64_t default_timeout_ms = 30000;  // seeds: tools.executor.defaultTimeoutMs
        std::size_t max_output_bytes = 51200;      // seeds: tools.executor.maxOutputBytes (50 KiB)
        bool parallel_execution_enabled = true;
        std::size_t max_workers = 4;               // seeds: max_parallel_workers
        std::size_t parallel_threshold = 2;        // seeds: parallel_threshold (min calls to go parallel)
        std::unordered_map<std::string, std::uint64_t> timeouts_ms;  // per-tool overrides
    };

    executor() : executor(config{}) {}
    explicit executor(config cfg)
        : cfg_(std::move(cfg)), pool_(std::make_shared<runtime::thread_pool>(check(cfg_).max_workers)) {}

    const config& settings() const noexcept { return cfg_; }
    bool started() const { return pool_->started(); }

    template <toolbox Box>
    std::vector<tool_outcome> run(Box& box, std::span<const tool_call> calls) {
        std::vector<tool_outcome> out(calls.size());
        std::vector<pending> waiting(calls.size());
        const bool parallel = cfg_.parallel_execution_enabled && calls.size() >= cfg_.parallel_threshold && calls.size() > 1;
        for (std::size_t i = 0; i < calls.size(); ++i) {
            out[i].call_id = calls[i].id;
            out[i].name = calls[i].name;
            start(box, calls[i], out[i], waiting[i]);
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
        bool started = false;
        std::future<std::string> result;
        std::stop_source stop;
        std::chrono::steady_clock::time_point began;
        std::chrono::milliseconds timeout{0};
    };

    static const config& check(const config& c) {
        if (c.max_workers == 0) throw_invalid_field("tools.executor.max_workers", "must be at least 1");
        if (c.default_timeout_ms == 0) throw_invalid_field("tools.executor.default_timeout_ms", "must be at least 1");
        return c;
    }

    std::chrono::milliseconds timeout_for(const std::string& name) const {
        auto it = cfg_.timeouts_ms.find(name);
        return std::chrono::milliseconds(it != cfg_.timeouts_ms.end() ? it->second : cfg_.default_timeout_ms);
    }

    template <class Box>
    void start(Box& box, const tool_call& call, tool_outcome& o, pending& p) {
        if (!box.contains(call.name)) {
            o.status = outcome_status::unknown_tool;
            o.content = "error: unknown tool '" + call.name + "'";
            return;
        }
        if (!call.arguments.empty() && !json::is_valid(call.arguments)) {
            o.status = outcome_status::bad_arguments;
            o.content = "error: the arguments of tool '" + call.name + "' are not valid JSON";
            return;
        }
        p.timeout = timeout_for(call.name);
        p.began = std::chrono::steady_clock::now();
        p.started = true;
        p.result = pool_->submit([&box, name = call.name, args = call.arguments.empty() ? std::string("{}") : call.arguments,
                                 token = p.stop.get_token()] { return std::string(box.invoke(name, args, token)); });
    }

    void finish(tool_outcome& o, pending& p) {
        if (!p.started) return;
        if (p.result.wait_until(p.began + p.timeout) != std::future_status::ready) {
            p.stop.request_stop();
            o.status = outcome_status::timed_out;
            o.content = "error: tool '" + o.name + "' timed out after " + std::to_string(p.timeout.count()) + " ms";
            o.elapsed = std::chrono::steady_clock::now() - p.began;
            return;
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
    std::shared_ptr<runtime::thread_pool> pool_;  // threads start on the first tool call; shared so executors move
};

}  // namespace agentkit::tools
