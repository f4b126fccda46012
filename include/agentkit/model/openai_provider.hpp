#pragma once
// openai_provider<Transport>: chat completions (messages, tools, tool calls; streamed deltas including
// tool-call deltas; usage) and embeddings against any OpenAI-compatible endpoint, over any transport that
// carries http_request/http_response (transport::http for the network, transport::in_process for tests).
//
// Failures are provider_errors classified for retry: 429 (with Retry-After / retry-after-ms), 408 and 5xx
// retry; other 4xx do not; timeouts and dropped connections retry; a garbled body or a stream cut before
// [DONE] is retryable too (errc::parse_error / unavailable) - the next attempt usually succeeds. Note that
// a streamed attempt that fails mid-way has already delivered some deltas. Reading a stream ends at [DONE],
// whatever the server does with the connection afterwards. An answer past a limit (JSON nesting, streamed
// bytes, tool calls, event size) is capacity_exceeded naming the knob and is not retried: the next attempt
// would bring the same answer.
//
// Over a transport that is also asynchronous (transport::async_streaming_transport: in_process, http), it is
// an async_streaming_provider too: async_complete / async_stream / async_embed build the same requests and
// read the answers with the same code as complete / stream / embed (one stream_reader, one decoder), only
// awaiting the transport instead of blocking on it.
#include <agentkit/core/coroutine_frames.hpp>
#include <agentkit/model/chat.hpp>
#include <agentkit/model/http_provider_failures.hpp>
#include <agentkit/model/openai_wire.hpp>
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
class openai_provider {
public:
    struct config {
        std::string base_url = "https://api.openai.com/v1";
        std::string api_key;  // sent as "Authorization: Bearer ..." when not empty
        std::string model = "gpt-4o-mini";
        std::string embedding_model = "text-embedding-3-small";
        transport::header_list extra_headers;  // e.g. OpenAI-Organization
        // What one streamed answer may accumulate (model.max_streamed_bytes 64 MiB, model.max_streamed_tool_calls
        // 1024) and how large one SSE event may be (sse.max_event_bytes 8 MiB); past either, capacity_exceeded.
        delta_accumulator::config stream_limits{};
        transport::sse_parser::config sse{};

        // From AGENTKIT_BASE_URL (required), AGENTKIT_API_KEY and AGENTKIT_MODEL; nullopt when the URL is unset.
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

    openai_provider(config cfg, Transport t) : cfg_(std::move(cfg)), transport_(std::move(t)) {
        while (!cfg_.base_url.empty() && cfg_.base_url.back() == '/') cfg_.base_url.pop_back();
        if (cfg_.base_url.empty()) throw_invalid_field("base_url", "is empty");
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
        const auto req = chat_call(r, false);
        return decode_completion(guard_transport([&] { return transport_.send(req); }));
    }

    chat_response stream(const chat_request& r, const delta_callback& on_delta) {
        const auto req = chat_call(r, true);
        stream_reader reader(cfg_, on_delta);
        auto sink = [&reader](std::string_view bytes) { return reader.feed(bytes); };
        return reader.finish(guard_transport([&] { return transport_.stream(req, sink); }));
    }

    std::vector<std::vector<float>> embed(const std::vector<std::string>& inputs) {
        if (inputs.empty()) return {};
        const auto req = embedding_call(inputs);
        return decode_embeddings(guard_transport([&] { return transport_.send(req); }), inputs.size());
    }

    // The coroutine API (async_provider, async_streaming_provider): over an asynchronous transport, the same
    // requests, parsing and error mapping as the synchronous calls, with no thread held while waiting.
    boost::asio::awaitable<chat_response> async_complete(const chat_request& r)
        requires transport::async_streaming_transport<Transport>;
    boost::asio::awaitable<chat_response> async_stream(const chat_request& r, const delta_callback& on_delta)
        requires transport::async_streaming_transport<Transport>;
    boost::asio::awaitable<std::vector<std::vector<float>>> async_embed(const std::vector<std::string>& inputs)
        requires transport::async_streaming_transport<Transport>;

private:
    // One streamed answer being read, shared by stream() and async_stream(): SSE bytes in (feed, the
    // transport's body sink), the whole chat_response out (finish, given the transport's response).
    class stream_reader {
    public:
        stream_reader(const config& cfg, const delta_callback& on_delta)
            : sse_(cfg.sse), acc_(cfg.stream_limits), on_delta_(on_delta) {}

        transport::sink_result feed(std::string_view bytes) {
            try {
                sse_.feed(bytes, [this](const transport::sse_event& e) { on_event(e); });
            } catch (const provider_error&) {
                throw;
            } catch (const error& e) {
                throw unusable_answer(e, "", 200);
            }
            // [DONE] is the answer's end: a server that keeps the body open after it must not turn a finished
            // answer into a timeout.
            return done_ ? transport::sink_result::stop : transport::sink_result::more;
        }

        chat_response finish(const transport::http_response& res) {
            if (!res.ok()) throw status_error(res);
            if (!done_)
                throw provider_error(errc::unavailable,
                                     std::string("the stream ended before [DONE]") + (sse_.mid_event() ? " (inside an event)" : ""),
                                     res.status, true);
            return acc_.finish(std::move(finish_), tokens_, std::move(model_));
        }

    private:
        void on_event(const transport::sse_event& e) {
            if (done_) return;
            openai::stream_chunk chunk;
            try {
                chunk = openai::decode_stream_chunk(e.data);
            } catch (const error& err) {
                if (static_cast<errc>(err.code().value()) == errc::unavailable)  // an error event from the server
                    throw provider_error(errc::unavailable, detail_of(err), 200, true, std::nullopt, err.field());
                throw unusable_answer(err, "malformed stream chunk: ", 200);
            }
            if (chunk.done) {
                done_ = true;
                return;
            }
            if (chunk.tokens) tokens_ = *chunk.tokens;
            if (!chunk.finish_reason.empty()) finish_ = chunk.finish_reason;
            if (!chunk.model.empty()) model_ = chunk.model;
            if (!chunk.delta.content.empty() || !chunk.delta.tool_calls.empty()) {
                acc_.add(chunk.delta);
                if (on_delta_) on_delta_(chunk.delta);
            }
        }

        transport::sse_parser sse_;
        delta_accumulator acc_;
        const delta_callback& on_delta_;
        usage tokens_;
        std::string finish_, model_;
        bool done_ = false;
    };

    transport::http_request chat_call(const chat_request& r, bool stream) const {
        return make_request("/chat/completions", openai::encode_chat_request(r, cfg_.model, stream));
    }
    transport::http_request embedding_call(const std::vector<std::string>& inputs) const {
        return make_request("/embeddings", openai::encode_embedding_request(inputs, cfg_.embedding_model));
    }

    transport::http_request make_request(std::string_view path, std::string body) const {
        transport::http_request req;
        req.method = "POST";
        req.url = cfg_.base_url + std::string(path);
        req.headers.emplace_back("Content-Type", "application/json");
        req.headers.emplace_back("Accept", "application/json, text/event-stream");
        if (!cfg_.api_key.empty()) req.headers.emplace_back("Authorization", "Bearer " + cfg_.api_key);
        for (const auto& h : cfg_.extra_headers) req.headers.push_back(h);
        req.body = std::move(body);
        return req;
    }

    // A whole (non-streamed) answer, shared by the synchronous and coroutine calls.
    static chat_response decode_completion(const transport::http_response& res) {
        if (!res.ok()) throw status_error(res);
        try {
            return openai::decode_chat_response(res.body);
        } catch (const error& e) {
            throw unusable_answer(e, "malformed chat completion: ", res.status);
        }
    }
    static std::vector<std::vector<float>> decode_embeddings(const transport::http_response& res, std::size_t expected) {
        if (!res.ok()) throw status_error(res);
        try {
            return openai::decode_embeddings(res.body, expected);
        } catch (const error& e) {
            throw unusable_answer(e, "malformed embeddings: ", res.status);
        }
    }

    static provider_error status_error(const transport::http_response& res) {
        return error_from_status(res.status, openai::error_message(res.body), retry_after_of(res));
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
boost::asio::awaitable<chat_response> openai_provider<Transport>::async_complete(const chat_request& r)
    requires transport::async_streaming_transport<Transport>
{
    const auto req = chat_call(r, false);
    const auto res = co_await guard_transport_async(transport_.async_send(req));
    co_return decode_completion(res);
}

template <transport::streaming_transport Transport>
    requires std::same_as<typename Transport::request, transport::http_request> &&
             std::same_as<typename Transport::response, transport::http_response>
boost::asio::awaitable<chat_response> openai_provider<Transport>::async_stream(const chat_request& r, const delta_callback& on_delta)
    requires transport::async_streaming_transport<Transport>
{
    const auto req = chat_call(r, true);
    stream_reader reader(cfg_, on_delta);
    auto sink = [&reader](std::string_view bytes) { return reader.feed(bytes); };
    const auto res = co_await guard_transport_async(transport_.async_stream(req, sink));
    co_return reader.finish(res);
}

template <transport::streaming_transport Transport>
    requires std::same_as<typename Transport::request, transport::http_request> &&
             std::same_as<typename Transport::response, transport::http_response>
boost::asio::awaitable<std::vector<std::vector<float>>> openai_provider<Transport>::async_embed(const std::vector<std::string>& inputs)
    requires transport::async_streaming_transport<Transport>
{
    if (inputs.empty()) co_return std::vector<std::vector<float>>{};
    const auto req = embedding_call(inputs);
    const auto res = co_await guard_transport_async(transport_.async_send(req));
    co_return decode_embeddings(res, inputs.size());
}

#if defined(AGENTKIT_SEPARATE_COMPILATION) && defined(AGENTKIT_HAS_HTTP)
// Over transport::http, the provider is compiled once with agentkit::http (src/transport_http.cpp).
extern template class openai_provider<transport::http>;
#endif

}  // namespace agentkit::model
AGENTKIT_COROUTINES_END
