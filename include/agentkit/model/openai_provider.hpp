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
#include <agentkit/model/chat.hpp>
#include <agentkit/model/http_provider_failures.hpp>
#include <agentkit/model/openai_wire.hpp>
#include <agentkit/model/provider.hpp>
#include <agentkit/model/provider_error.hpp>
#include <agentkit/transport/http_message.hpp>
#include <agentkit/transport/sse_parser.hpp>
#include <agentkit/transport/transport.hpp>
#if defined(AGENTKIT_SEPARATE_COMPILATION) && defined(AGENTKIT_HAS_HTTP)
#include <agentkit/transport/http.hpp>  // declarations only in this mode
#endif

#include <chrono>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

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

    chat_response complete(const chat_request& r) {
        auto res = call(make_request("/chat/completions", openai::encode_chat_request(r, cfg_.model, false)));
        try {
            return openai::decode_chat_response(res.body);
        } catch (const error& e) {
            throw unusable_answer(e, "malformed chat completion: ", res.status);
        }
    }

    chat_response stream(const chat_request& r, const delta_callback& on_delta) {
        transport::sse_parser sse(cfg_.sse);
        delta_accumulator acc(cfg_.stream_limits);
        usage tokens;
        std::string finish, model;
        bool done = false;
        auto on_event = [&](const transport::sse_event& e) {
            if (done) return;
            openai::stream_chunk chunk;
            try {
                chunk = openai::decode_stream_chunk(e.data);
            } catch (const error& err) {
                if (static_cast<errc>(err.code().value()) == errc::unavailable)  // an error event from the server
                    throw provider_error(errc::unavailable, detail_of(err), 200, true, std::nullopt, err.field());
                throw unusable_answer(err, "malformed stream chunk: ", 200);
            }
            if (chunk.done) {
                done = true;
                return;
            }
            if (chunk.tokens) tokens = *chunk.tokens;
            if (!chunk.finish_reason.empty()) finish = chunk.finish_reason;
            if (!chunk.model.empty()) model = chunk.model;
            if (!chunk.delta.content.empty() || !chunk.delta.tool_calls.empty()) {
                acc.add(chunk.delta);
                if (on_delta) on_delta(chunk.delta);
            }
        };
        auto res = guard_transport([&] {
            return transport_.stream(make_request("/chat/completions", openai::encode_chat_request(r, cfg_.model, true)),
                                     [&](std::string_view bytes) {
                                         try {
                                             sse.feed(bytes, on_event);
                                         } catch (const provider_error&) {
                                             throw;
                                         } catch (const error& e) {
                                             throw unusable_answer(e, "", 200);
                                         }
                                         // [DONE] is the answer's end: a server that keeps the body open after it
                                         // must not turn a finished answer into a timeout.
                                         return done ? transport::sink_result::stop : transport::sink_result::more;
                                     });
        });
        if (!res.ok()) throw status_error(res);
        if (!done)
            throw provider_error(errc::unavailable,
                                 std::string("the stream ended before [DONE]") + (sse.mid_event() ? " (inside an event)" : ""),
                                 res.status, true);
        return acc.finish(std::move(finish), tokens, std::move(model));
    }

    std::vector<std::vector<float>> embed(const std::vector<std::string>& inputs) {
        if (inputs.empty()) return {};
        auto res = call(make_request("/embeddings", openai::encode_embedding_request(inputs, cfg_.embedding_model)));
        try {
            return openai::decode_embeddings(res.body, inputs.size());
        } catch (const error& e) {
            throw unusable_answer(e, "malformed embeddings: ", res.status);
        }
    }

private:
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

    transport::http_response call(const transport::http_request& req) {
        auto res = guard_transport([&] { return transport_.send(req); });
        if (!res.ok()) throw status_error(res);
        return res;
    }

    static provider_error status_error(const transport::http_response& res) {
        return error_from_status(res.status, openai::error_message(res.body), retry_after_of(res));
    }

    config cfg_;
    Transport transport_;
};

#if defined(AGENTKIT_SEPARATE_COMPILATION) && defined(AGENTKIT_HAS_HTTP)
// Over transport::http, the provider is compiled once with agentkit::http (src/transport_http.cpp).
extern template class openai_provider<transport::http>;
#endif

}  // namespace agentkit::model
