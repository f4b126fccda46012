#pragma once
// anthropic_provider<Transport>: Anthropic's Messages API (POST {base_url}/v1/messages) - messages, tools,
// tool calls, streamed text and tool-input deltas, usage - over any transport that carries
// http_request/http_response (transport::http for the network, transport::in_process for tests). It is a
// streaming provider like openai_provider, so it fits the agent's model slot, any_provider and the router.
// The wire mapping (system messages, tool results, stop reasons, usage) is described in anthropic_wire.hpp.
//
// Failures are provider_errors classified for retry: 429 (with Retry-After / retry-after-ms), 408, 5xx and
// 529 "overloaded" retry; other 4xx do not; timeouts and dropped connections retry; a garbled body or a
// stream cut before message_stop is retryable too. An error event inside a stream is classified by its
// type (overloaded_error, api_error, rate_limit_error retry; invalid_request_error does not). A streamed
// attempt that fails mid-way has already delivered some deltas. Reading a stream ends at message_stop,
// whatever the server does with the connection afterwards. An answer past a limit (JSON nesting, streamed
// bytes, tool calls, event size) is capacity_exceeded naming the knob and is not retried.
//
// Over a transport that is also asynchronous (transport::async_streaming_transport: in_process, http), it is
// an async_streaming_provider too: async_complete / async_stream build the same requests and read the answers
// with the same code as complete / stream (one stream_reader, one decoder), only awaiting the transport.
#include <agentkit/core/coroutine_frames.hpp>
#include <agentkit/model/anthropic_wire.hpp>
#include <agentkit/model/chat.hpp>
#include <agentkit/model/http_provider_failures.hpp>
#include <agentkit/model/provider.hpp>
#include <agentkit/model/provider_error.hpp>
#include <agentkit/observe/metric_registry_fwd.hpp>
#include <agentkit/transport/http_message.hpp>
#include <agentkit/transport/async_transport.hpp>
#include <agentkit/transport/sse_parser.hpp>
#include <agentkit/transport/transport.hpp>
#if defined(AGENTKIT_SEPARATE_COMPILATION) && defined(AGENTKIT_HAS_HTTP)
#include <agentkit/transport/http.hpp>  // declarations only in this mode
#endif

#include <boost/asio/awaitable.hpp>

#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

AGENTKIT_COROUTINES_BEGIN
namespace agentkit::model {

template <transport::streaming_transport Transport>
    requires std::same_as<typename Transport::request, transport::http_request> &&
             std::same_as<typename Transport::response, transport::http_response>
class anthropic_provider {
public:
    struct config {
        std::string base_url = "https://api.anthropic.com";  // without /v1, as Anthropic's own SDKs take it
        std::string api_key;                                 // sent as "x-api-key" when not empty
        std::string model = "claude-sonnet-4-5";
        // The API requires max_tokens on every request; this stands in when the chat_request sets none.
        std::uint32_t max_tokens = 4096;
        std::string anthropic_version = "2023-06-01";  // the "anthropic-version" header
        transport::header_list extra_headers;           // e.g. anthropic-beta
        // What one streamed answer may accumulate (model.max_streamed_bytes 64 MiB, model.max_streamed_tool_calls
        // 1024) and how large one SSE event may be (sse.max_event_bytes 8 MiB); past either, capacity_exceeded.
        delta_accumulator::config stream_limits{};
        transport::sse_parser::config sse{};

        // From AGENTKIT_BASE_URL (required, e.g. https://api.anthropic.com), AGENTKIT_API_KEY and
        // AGENTKIT_MODEL, as openai_provider reads them; nullopt when the URL is unset.
        static std::optional<config> from_env() {
            auto env = [](const char* name) { const char* v = std::getenv(name); return std::string(v ? v : ""); };
            if (env("AGENTKIT_BASE_URL").empty()) return std::nullopt;
            config c;
            c.base_url = env("AGENTKIT_BASE_URL");
            c.api_key = env("AGENTKIT_API_KEY");
            if (!env("AGENTKIT_MODEL").empty()) c.model = env("AGENTKIT_MODEL");
            return c;
        }
    };

    anthropic_provider(config cfg, Transport t) : cfg_(std::move(cfg)), transport_(std::move(t)) {
        while (!cfg_.base_url.empty() && cfg_.base_url.back() == '/') cfg_.base_url.pop_back();
        if (cfg_.base_url.empty()) throw_invalid_field("base_url", "is empty");
        if (cfg_.max_tokens == 0) throw_invalid_field("max_tokens", "must be at least 1");
    }

    const config& settings() const noexcept { return cfg_; }
    Transport& transport() noexcept { return transport_; }
    // The transport's metrics (transport::http: requests, connections, timeouts), so that an agent given
    // use_metrics(registry) reaches the client its model talks through.
    template <observe::registry Registry>
        requires requires(Transport& t, Registry& r) { t.attach_metrics(r); }
    void attach_metrics(Registry& registry) {
        transport_.attach_metrics(registry);
    }

    // The synchronous API: for every transport.
    chat_response complete(const chat_request& r) {
        const auto request = make_request(r, false);  // a conversation the API cannot take fails here, not retried
        return decode_message(guard_transport([&] { return transport_.send(request); }));
    }

    chat_response stream(const chat_request& r, const delta_callback& on_delta) {
        const auto request = make_request(r, true);
        stream_reader reader(cfg_, on_delta);
        auto sink = [&reader](std::string_view bytes) { return reader.feed(bytes); };
        return reader.finish(guard_transport([&] { return transport_.stream(request, sink); }));
    }

    // The coroutine API (async_provider, async_streaming_provider): over an asynchronous transport, the same
    // requests, parsing and error mapping as the synchronous calls, with no thread held while waiting.
    boost::asio::awaitable<chat_response> async_complete(const chat_request& r)
        requires transport::async_streaming_transport<Transport>;
    boost::asio::awaitable<chat_response> async_stream(const chat_request& r, const delta_callback& on_delta)
        requires transport::async_streaming_transport<Transport>;

private:
    // One streamed answer being read, shared by stream() and async_stream(): SSE bytes in (feed, the
    // transport's body sink), the whole chat_response out (finish, given the transport's response).
    class stream_reader {
    public:
        stream_reader(const config& cfg, const delta_callback& on_delta)
            : sse_(cfg.sse), acc_(cfg.stream_limits), decoder_(cfg.stream_limits), on_delta_(on_delta) {}

        transport::sink_result feed(std::string_view bytes) {
            try {
                sse_.feed(bytes, [this](const transport::sse_event& e) { on_event(e); });
            } catch (const provider_error&) {
                throw;
            } catch (const error& e) {
                throw unusable_answer(e, "", 200);
            }
            // message_stop is the answer's end: a server that keeps the body open after it must not turn a
            // finished answer into a timeout.
            return decoder_.done() ? transport::sink_result::stop : transport::sink_result::more;
        }

        chat_response finish(const transport::http_response& res) {
            if (!res.ok()) throw status_error(res);
            if (!decoder_.done())
                throw provider_error(errc::unavailable,
                                     std::string("the stream ended before message_stop") + (sse_.mid_event() ? " (inside an event)" : ""),
                                     res.status, true);
            auto out = acc_.finish(decoder_.finish_reason(), decoder_.tokens(), decoder_.model());
            // Tool inputs in the form a whole (non-streamed) answer gives them: compact JSON, "{}" for none.
            if (!out.reply.tool_calls().empty()) {
                auto calls = out.reply.tool_calls();
                for (auto& c : calls) c.arguments = anthropic::canonical_arguments(c.arguments);
                out.reply = message::assistant(out.reply.content(), std::move(calls));
            }
            return out;
        }

    private:
        void on_event(const transport::sse_event& e) {
            if (decoder_.done()) return;
            std::optional<chat_delta> delta;
            try {
                delta = decoder_.decode(e.type, e.data);
            } catch (const provider_error&) {
                throw;  // an error event from the server, already classified
            } catch (const error& err) {
                throw unusable_answer(err, "malformed stream event: ", 200);
            }
            if (delta) {
                acc_.add(*delta);
                if (on_delta_) on_delta_(*delta);
            }
        }

        transport::sse_parser sse_;
        delta_accumulator acc_;
        anthropic::stream_decoder decoder_;
        const delta_callback& on_delta_;
    };

    transport::http_request make_request(const chat_request& r, bool stream) const {
        transport::http_request req;
        req.method = "POST";
        req.url = cfg_.base_url + "/v1/messages";
        req.headers.emplace_back("Content-Type", "application/json");
        req.headers.emplace_back("Accept", stream ? "text/event-stream" : "application/json");
        req.headers.emplace_back("anthropic-version", cfg_.anthropic_version);
        if (!cfg_.api_key.empty()) req.headers.emplace_back("x-api-key", cfg_.api_key);
        for (const auto& h : cfg_.extra_headers) req.headers.push_back(h);
        req.body = anthropic::encode_request(r, cfg_.model, cfg_.max_tokens, stream);
        return req;
    }

    // A whole (non-streamed) answer, shared by the synchronous and coroutine calls.
    static chat_response decode_message(const transport::http_response& res) {
        if (!res.ok()) throw status_error(res);
        try {
            return anthropic::decode_response(res.body);
        } catch (const provider_error&) {
            throw;
        } catch (const error& e) {
            throw unusable_answer(e, "malformed message: ", res.status);
        }
    }

    static provider_error status_error(const transport::http_response& res) {
        return anthropic::decode_error(res.status, res.body, retry_after_of(res));
    }

    config cfg_;
    Transport transport_;
};

// The coroutine members, defined outside the class so that the extern template below keeps them out of a
// user's translation unit in the separate mode (members defined in the class are inline, and g++ compiles
// inline coroutines of an extern template at -O2 all the same).
template <transport::streaming_transport Transport>
    requires std::same_as<typename Transport::request, transport::http_request> &&
             std::same_as<typename Transport::response, transport::http_response>
boost::asio::awaitable<chat_response> anthropic_provider<Transport>::async_complete(const chat_request& r)
    requires transport::async_streaming_transport<Transport>
{
    const auto request = make_request(r, false);
    const auto res = co_await guard_transport_async(transport_.async_send(request));
    co_return decode_message(res);
}

template <transport::streaming_transport Transport>
    requires std::same_as<typename Transport::request, transport::http_request> &&
             std::same_as<typename Transport::response, transport::http_response>
boost::asio::awaitable<chat_response> anthropic_provider<Transport>::async_stream(const chat_request& r, const delta_callback& on_delta)
    requires transport::async_streaming_transport<Transport>
{
    const auto request = make_request(r, true);
    stream_reader reader(cfg_, on_delta);
    auto sink = [&reader](std::string_view bytes) { return reader.feed(bytes); };
    const auto res = co_await guard_transport_async(transport_.async_stream(request, sink));
    co_return reader.finish(res);
}

#if defined(AGENTKIT_SEPARATE_COMPILATION) && defined(AGENTKIT_HAS_HTTP)
// Over transport::http, the provider is compiled once with agentkit::http (src/transport_http.cpp).
extern template class anthropic_provider<transport::http>;
#endif

}  // namespace agentkit::model
AGENTKIT_COROUTINES_END
