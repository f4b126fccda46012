#pragma once
// A SIMULATED model upstream, for the gateway's embedded defaults, its tests and offline demos: it answers
// without a network and without a model, and says so (every reply starts with "[simulated]"; the model it
// reports is "agentkit-sim" unless the request names one). What it does, deterministically:
//   - a request that offers tools and ends with a user message gets a call of the first tool, with the
//     user's text as {"input": ...};
//   - a request that ends with a tool result gets "[simulated] the tool returned: <result>";
//   - anything else gets "[simulated] you said: <the last user message>";
// streamed in pieces of about four characters (one "token"), after time_to_first_token, then at
// tokens_per_second; usage counts one token per four characters. failure_rate fails that share of calls with
// a retryable 503 before any token (a fixed sequence from `seed`, so runs repeat).
#include <agentkit/core/coroutine_frames.hpp>
#include <agentkit/json/escape.hpp>
#include <agentkit/model/chat.hpp>
#include <agentkit/model/provider.hpp>
#include <agentkit/model/provider_error.hpp>

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <thread>

AGENTKIT_COROUTINES_BEGIN
namespace agentkit_gateway {
namespace model = agentkit::model;

class simulated_upstream {
public:
    struct config {
        std::chrono::microseconds latency{0};              // before a non-streamed answer
        std::chrono::microseconds time_to_first_token{0};  // before a stream's first piece
        double tokens_per_second = 0;                      // 0: every piece at once after the first
        double failure_rate = 0;                           // 0..1
        std::uint64_t seed = 1;
    };

    simulated_upstream() : simulated_upstream(config{}) {}
    explicit simulated_upstream(config cfg) : cfg_(cfg), calls_(std::make_shared<std::atomic<std::uint64_t>>(0)) {}

    // The synchronous API (the provider concept): same answers, sleeping the thread.
    model::chat_response complete(const model::chat_request& r) {
        fail_maybe();
        if (cfg_.latency.count() > 0) std::this_thread::sleep_for(cfg_.latency);
        return answer(r);
    }
    model::chat_response stream(const model::chat_request& r, const model::delta_callback& on_delta) {
        fail_maybe();
        auto response = answer(r);
        for_each_piece(response, [&](const model::chat_delta& d) { on_delta(d); });
        return response;
    }

    boost::asio::awaitable<model::chat_response> async_complete(const model::chat_request& r) {
        fail_maybe();
        co_await sleep(cfg_.latency);
        co_return answer(r);
    }
    boost::asio::awaitable<model::chat_response> async_stream(const model::chat_request& r,
                                                              const model::delta_callback& on_delta) {
        fail_maybe();
        auto response = answer(r);
        co_await sleep(cfg_.time_to_first_token);
        const auto gap = cfg_.tokens_per_second > 0
            ? std::chrono::microseconds(static_cast<std::int64_t>(1e6 / cfg_.tokens_per_second))
            : std::chrono::microseconds(0);
        std::vector<model::chat_delta> pieces;
        for_each_piece(response, [&](const model::chat_delta& d) { pieces.push_back(d); });
        for (std::size_t i = 0; i < pieces.size(); ++i) {
            if (i > 0) co_await sleep(gap);
            on_delta(pieces[i]);
        }
        co_return response;
    }

    const config& configuration() const noexcept { return cfg_; }

private:
    static boost::asio::awaitable<void> sleep(std::chrono::microseconds d) {
        if (d.count() <= 0) co_return;
        boost::asio::steady_timer t(co_await boost::asio::this_coro::executor, d);
        co_await t.async_wait(boost::asio::use_awaitable);
    }

    void fail_maybe() {
        const std::uint64_t n = calls_->fetch_add(1, std::memory_order_relaxed);
        if (cfg_.failure_rate <= 0) return;
        // splitmix64 of (seed, call number): a fixed, well-spread sequence.
        std::uint64_t z = cfg_.seed + 0x9e3779b97f4a7c15ULL * (n + 1);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
        z ^= z >> 31;
        if (static_cast<double>(z >> 11) * 0x1.0p-53 < cfg_.failure_rate)
            throw model::provider_error(agentkit::errc::unavailable, "simulated upstream failure (failure_rate)", 503,
                                        true);
    }

    static std::uint64_t tokens_of(std::size_t chars) { return (chars + 3) / 4; }

    static model::chat_response answer(const model::chat_request& r) {
        model::chat_response out;
        out.model = r.model.empty() ? "agentkit-sim" : r.model;
        std::size_t prompt_chars = 0;
        for (const auto& m : r.messages) prompt_chars += m.content().size();
        std::string last_user;
        for (auto it = r.messages.rbegin(); it != r.messages.rend(); ++it)
            if (it->role() == agentkit::role::user) {
                last_user = it->content();
                break;
            }
        const bool after_tool = !r.messages.empty() && r.messages.back().role() == agentkit::role::tool;
        if (!r.tools.empty() && !r.messages.empty() && r.messages.back().role() == agentkit::role::user) {
            std::string args = "{\"input\":";
            agentkit::json::append_string(args, last_user);
            args.push_back('}');
            out.reply =
                agentkit::message::assistant("", {agentkit::tool_call{"call_sim_1", r.tools.front().name, args}});
            out.finish_reason = "tool_calls";
            out.tokens = {tokens_of(prompt_chars), tokens_of(args.size())};
            return out;
        }
        std::string text = after_tool
            ? std::string("[simulated] the tool returned: ").append(r.messages.back().content())
            : std::string("[simulated] you said: ").append(last_user);
        out.tokens = {tokens_of(prompt_chars), tokens_of(text.size())};
        out.reply = agentkit::message::assistant(std::move(text));
        out.finish_reason = "stop";
        return out;
    }

    // The reply as a stream delivers it: text in ~4-character pieces; a tool call as its id and name, then its
    // arguments in pieces.
    template <class F>
    static void for_each_piece(const model::chat_response& r, F&& f) {
        const std::string& text = r.reply.content();
        for (std::size_t i = 0; i < text.size(); i += 4) {
            model::chat_delta d;
            d.content = text.substr(i, 4);
            f(d);
        }
        std::size_t index = 0;
        for (const auto& call : r.reply.tool_calls()) {
            model::chat_delta head;
            head.tool_calls.push_back({index, call.id, call.name, ""});
            f(head);
            for (std::size_t i = 0; i < call.arguments.size(); i += 8) {
                model::chat_delta more;
                more.tool_calls.push_back({index, "", "", call.arguments.substr(i, 8)});
                f(more);
            }
            ++index;
        }
    }

    config cfg_;
    std::shared_ptr<std::atomic<std::uint64_t>> calls_;  // shared by copies, so any_provider copies count once
};

static_assert(model::provider<simulated_upstream>);
static_assert(model::async_streaming_provider<simulated_upstream>);

}  // namespace agentkit_gateway
AGENTKIT_COROUTINES_END
