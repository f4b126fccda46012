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
// read the answers with the same code as complete / stream / embed (one reader, one decoder), only
// awaiting the transport instead of blocking on it.
#include <agentkit/core/coroutine_frames.hpp>
#include <agentkit/model/chat.hpp>
#include <agentkit/model/detail/http_chat_provider.hpp>
#include <agentkit/model/http_provider_failures.hpp>
#include <agentkit/model/openai_wire.hpp>
#include <agentkit/model/provider.hpp>
#include <agentkit/model/provider_error.hpp>
#include <agentkit/transport/http_message.hpp>
#include <agentkit/transport/async_transport.hpp>
#include <agentkit/transport/sse_parser.hpp>
#if defined(AGENTKIT_SEPARATE_COMPILATION) && defined(AGENTKIT_HAS_HTTP)
#include <agentkit/transport/http.hpp>  // declarations only in this mode
#endif

#include <boost/asio/awaitable.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

AGENTKIT_COROUTINES_BEGIN
namespace agentkit::model {

struct openai_provider_config {
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
    static std::optional<openai_provider_config> from_env() {
        return detail::config_from_env<openai_provider_config>();
    }
};

template <detail::http_chat_transport Transport>
class openai_provider
    : public detail::http_chat_provider<openai_provider<Transport>, openai_provider_config, Transport> {
    using base = detail::http_chat_provider<openai_provider<Transport>, openai_provider_config, Transport>;
    friend base;

public:
    using config = openai_provider_config;

    openai_provider(config cfg, Transport t) : base(std::move(cfg), std::move(t)) {}

    // complete, stream, async_complete, async_stream, configuration, transport, attach_metrics: from the base.

    std::vector<std::vector<float>> embed(const std::vector<std::string>& inputs) {
        if (inputs.empty()) return {};
        const auto req = embedding_call(inputs);
        return decode_embeddings(guard_transport([&] { return transport_.send(req); }), inputs.size());
    }

    boost::asio::awaitable<std::vector<std::vector<float>>> async_embed(
        const std::vector<std::string>& inputs) requires transport::async_streaming_transport<Transport>;

private:
    using base::cfg_;
    using base::transport_;

    // OpenAI's stream for the shared reader: chunks until [DONE], usage, finish reason and model on the way.
    class stream_events {
    public:
        static constexpr std::string_view end = "[DONE]";
        explicit stream_events(const config&) {}

        bool done() const noexcept { return done_; }
        std::optional<chat_delta> decode(const transport::sse_event& e) {
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
                return std::nullopt;
            }
            if (chunk.tokens) tokens_ = *chunk.tokens;
            if (!chunk.finish_reason.empty()) finish_ = chunk.finish_reason;
            if (!chunk.model.empty()) model_ = chunk.model;
            if (chunk.delta.content.empty() && chunk.delta.tool_calls.empty()) return std::nullopt;
            return std::move(chunk.delta);
        }
        chat_response finish(delta_accumulator& acc) {
            return acc.finish(std::move(finish_), tokens_, std::move(model_));
        }

    private:
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
    static chat_response decode_chat(const transport::http_response& res) {
        return detail::decode_body(res, &status_error, "malformed chat completion: ", [](const std::string& body) {
            return openai::decode_chat_response(body);
        });
    }
    static std::vector<std::vector<float>> decode_embeddings(const transport::http_response& res,
                                                             std::size_t expected) {
        return detail::decode_body(res, &status_error, "malformed embeddings: ", [expected](const std::string& body) {
            return openai::decode_embeddings(body, expected);
        });
    }

    static provider_error status_error(const transport::http_response& res) {
        return error_from_status(res.status, openai::error_message(res.body), retry_after_of(res));
    }
};

// Defined outside the class so that the extern template below keeps it out of a user's translation unit in
// the separate mode (see detail/http_chat_provider.hpp).
template <detail::http_chat_transport Transport>
boost::asio::awaitable<std::vector<std::vector<float>>> openai_provider<Transport>::async_embed(
    const std::vector<std::string>& inputs) requires transport::async_streaming_transport<Transport> {
    if (inputs.empty()) co_return std::vector<std::vector<float>>{};
    const auto req = embedding_call(inputs);
    const auto res = co_await guard_transport_async(transport_.async_send(req));
    co_return decode_embeddings(res, inputs.size());
}

#if defined(AGENTKIT_SEPARATE_COMPILATION) && defined(AGENTKIT_HAS_HTTP)
// Over transport::http, the provider is compiled once with agentkit::http (src/transport_http.cpp).
extern template class detail::http_chat_provider<openai_provider<transport::http>, openai_provider_config,
                                                 transport::http>;
extern template class openai_provider<transport::http>;
#endif

}  // namespace agentkit::model
AGENTKIT_COROUTINES_END
