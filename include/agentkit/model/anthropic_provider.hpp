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
// with the same code as complete / stream (one reader, one decoder), only awaiting the transport.
#include <agentkit/core/coroutine_frames.hpp>
#include <agentkit/model/anthropic_wire.hpp>
#include <agentkit/model/chat.hpp>
#include <agentkit/model/detail/http_chat_provider.hpp>
#include <agentkit/model/http_provider_failures.hpp>
#include <agentkit/model/provider.hpp>
#include <agentkit/model/provider_error.hpp>
#include <agentkit/transport/http_message.hpp>
#include <agentkit/transport/sse_parser.hpp>
#if defined(AGENTKIT_SEPARATE_COMPILATION) && defined(AGENTKIT_HAS_HTTP)
#include <agentkit/transport/http.hpp>  // declarations only in this mode
#endif

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

AGENTKIT_COROUTINES_BEGIN
namespace agentkit::model {

struct anthropic_provider_config {
    std::string base_url = "https://api.anthropic.com";  // without /v1, as Anthropic's own SDKs take it
    std::string api_key;                                 // sent as "x-api-key" when not empty
    std::string model = "claude-sonnet-4-5";
    // The API requires max_tokens on every request; this stands in when the chat_request sets none.
    std::uint32_t max_tokens = 4096;
    std::string anthropic_version = "2023-06-01";  // the "anthropic-version" header
    transport::header_list extra_headers;          // e.g. anthropic-beta
    // What one streamed answer may accumulate (model.max_streamed_bytes 64 MiB, model.max_streamed_tool_calls
    // 1024) and how large one SSE event may be (sse.max_event_bytes 8 MiB); past either, capacity_exceeded.
    delta_accumulator::config stream_limits{};
    transport::sse_parser::config sse{};

    // From AGENTKIT_BASE_URL (required, e.g. https://api.anthropic.com), AGENTKIT_API_KEY and
    // AGENTKIT_MODEL, as openai_provider reads them; nullopt when the URL is unset.
    static std::optional<anthropic_provider_config> from_env() {
        return detail::config_from_env<anthropic_provider_config>();
    }
};

template <detail::http_chat_transport Transport>
class anthropic_provider
    : public detail::http_chat_provider<anthropic_provider<Transport>, anthropic_provider_config, Transport> {
    using base = detail::http_chat_provider<anthropic_provider<Transport>, anthropic_provider_config, Transport>;
    friend base;

public:
    using config = anthropic_provider_config;

    anthropic_provider(config cfg, Transport t) : base(std::move(cfg), std::move(t)) {
        if (cfg_.max_tokens == 0) throw_invalid_field("max_tokens", "must be at least 1");
    }

    // complete, stream, async_complete, async_stream, configuration, transport, attach_metrics: from the base.

private:
    using base::cfg_;

    // Anthropic's stream for the shared reader: typed events until message_stop (anthropic::stream_decoder).
    class stream_events {
    public:
        static constexpr std::string_view end = "message_stop";
        explicit stream_events(const config& cfg) : decoder_(cfg.stream_limits) {}

        bool done() const noexcept { return decoder_.done(); }
        std::optional<chat_delta> decode(const transport::sse_event& e) {
            try {
                return decoder_.decode(e.type, e.data);
            } catch (const provider_error&) {
                throw;  // an error event from the server, already classified
            } catch (const error& err) {
                throw unusable_answer(err, "malformed stream event: ", 200);
            }
        }
        chat_response finish(delta_accumulator& acc) {
            auto out = acc.finish(decoder_.finish_reason(), decoder_.tokens(), decoder_.model());
            // Tool inputs in the form a whole (non-streamed) answer gives them: compact JSON, "{}" for none.
            if (!out.reply.tool_calls().empty()) {
                auto calls = out.reply.tool_calls();
                for (auto& c : calls) c.arguments = anthropic::canonical_arguments(c.arguments);
                out.reply = message::assistant(out.reply.content(), std::move(calls));
            }
            return out;
        }

    private:
        anthropic::stream_decoder decoder_;
    };

    transport::http_request chat_call(const chat_request& r, bool stream) const {
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
    static chat_response decode_chat(const transport::http_response& res) {
        return detail::decode_body(res, &status_error, "malformed message: ", [](const std::string& body) {
            return anthropic::decode_response(body);
        });
    }

    static provider_error status_error(const transport::http_response& res) {
        return anthropic::decode_error(res.status, res.body, retry_after_of(res));
    }
};

#if defined(AGENTKIT_SEPARATE_COMPILATION) && defined(AGENTKIT_HAS_HTTP)
// Over transport::http, the provider is compiled once with agentkit::http (src/transport_http.cpp).
extern template class detail::http_chat_provider<anthropic_provider<transport::http>, anthropic_provider_config,
                                                 transport::http>;
extern template class anthropic_provider<transport::http>;
#endif

}  // namespace agentkit::model
AGENTKIT_COROUTINES_END
