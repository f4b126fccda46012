#pragma once
// The Anthropic Messages API wire format (POST /v1/messages): requests written with RapidJSON's Writer
// straight into one buffer; responses, stream events and error bodies read with the bounded json::parse.
// Every malformed input is an agentkit::error(parse_error) naming the field ("content[1].input"), never a
// crash; an error the server reports is a provider_error classified for the retry machinery.
//
// How agentkit's OpenAI-shaped conversation maps onto it:
//   system messages           -> the top-level "system" (one string; several are joined by a blank line,
//                                in order, wherever they stood in the conversation)
//   user message              -> {"role":"user","content":"..."}
//   assistant message         -> {"role":"assistant","content":[text block, tool_use blocks]} with each call's
//                                arguments as the block's "input" object (empty arguments -> {})
//   tool results              -> one user message of tool_result blocks (consecutive results together);
//                                a user message next to them joins that message as a text block after
//                                the results (the API wants tool_result blocks first); consecutive
//                                messages of one role become one turn, as the API would merge them anyway
//   tools                     -> {"name","description","input_schema"}
//   stop_reason               -> finish_reason: end_turn / stop_sequence -> "stop", max_tokens /
//                                model_context_window_exceeded -> "length", tool_use -> "tool_calls",
//                                refusal -> "content_filter", anything else as sent
//   usage                     -> prompt_tokens = input_tokens + cache_creation_input_tokens +
//                                cache_read_input_tokens (what the prompt cost in all), completion = output
// Dropped, as agentkit's message has no place for them: a message's name, thinking and redacted_thinking
// blocks, server tool blocks and citations.
// The definitions are in impl/anthropic_wire.ipp (see core/config_macros.hpp).
#include <agentkit/core/config_macros.hpp>
#include <agentkit/core/error.hpp>
#include <agentkit/core/role.hpp>
#include <agentkit/model/chat.hpp>
#include <agentkit/model/provider_error.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace agentkit::model::anthropic {

// The Messages request body. `default_model` stands in for an empty r.model; `default_max_tokens` for an
// unset r.max_tokens (the API requires it). A tool-call argument text that is not a JSON object, or a tool
// schema that is not valid JSON, is invalid_argument naming the field: the API takes only objects there.
AGENTKIT_DECL std::string encode_request(const chat_request& r, std::string_view default_model,
                                         std::uint32_t default_max_tokens, bool stream);

// The Messages API's stop_reason in agentkit's (OpenAI's) vocabulary.
AGENTKIT_DECL std::string finish_reason_of(std::string_view stop_reason);

// A tool call's arguments in one canonical form, so a streamed reply (whose input arrives as JSON text in
// pieces) and a whole one (whose input arrives as an object) give equal responses: compact JSON, "{}" for
// none. Text that does not parse (a stream cut at max_tokens) is kept as it came.
AGENTKIT_DECL std::string canonical_arguments(std::string_view text);

// An error the server reported, as a provider_error for the retry machinery. With an HTTP error status the
// status decides, as the resilience layer's classifier does (429, 5xx and Anthropic's 529 "overloaded"
// retry; 400, 401, 403, 404, 413 do not). Without one (an error event inside a 200 stream) the error's
// type decides: overloaded_error, api_error -> unavailable, rate_limit_error -> rate_limited,
// timeout_error -> timeout, all retried; invalid_request_error, authentication_error, permission_error,
// request_too_large, billing_error -> invalid_argument and not_found_error -> not_found, not retried; an
// unknown type is retried as unavailable (a stream the server broke off). The message reads
// "<message> (<type>)", so the classifier's message patterns see the type.
AGENTKIT_DECL provider_error decode_error(int http_status, std::string_view body,
                                          std::optional<std::chrono::milliseconds> retry_after = std::nullopt);

// A complete (non-streamed) Messages response.
AGENTKIT_DECL chat_response decode_response(std::string_view body);

namespace detail {
// The token counts of "usage" objects as they arrive (a stream's message_delta replaces message_start's).
struct raw_usage {
    std::uint64_t input = 0, cache_creation = 0, cache_read = 0, output = 0;
    usage total() const noexcept { return {input + cache_creation + cache_read, output}; }
};
}  // namespace detail

// Reads a Messages stream one SSE event at a time. Each event gives at most one chat_delta (text, or a
// tool call's id and name, or more of its input JSON); message-level facts (model, usage, stop reason, the
// end) are kept here. Content block indexes, which count text and tool_use blocks alike and may be any
// number the server sends, map to tool-call indexes 0, 1, 2, ... in the order tool_use blocks start; a
// tool_use block at or past limits.max_streamed_tool_calls is capacity_exceeded, so what the decoder holds
// stays bounded too. ping and unknown event types (the API adds some over time) are ignored; an error
// event throws the classified provider_error (decode_error).
class stream_decoder {
public:
    stream_decoder() = default;
    explicit stream_decoder(delta_accumulator::config limits) : limits_(limits) {}

    // `event_type` is the SSE event's name; the payload's own "type" takes precedence when present.
    AGENTKIT_DECL std::optional<chat_delta> decode(std::string_view event_type, std::string_view data);

    // True once message_stop arrived: the answer is complete.
    bool done() const noexcept { return done_; }
    std::string finish_reason() const { return finish_reason_of(stop_reason_); }
    usage tokens() const noexcept { return usage_.total(); }
    const std::string& model() const noexcept { return model_; }

private:
    delta_accumulator::config limits_{};
    std::map<std::uint64_t, std::size_t> tools_;  // content block index -> tool-call index
    std::size_t tool_count_ = 0;
    detail::raw_usage usage_;
    std::string model_;
    std::string stop_reason_;
    bool done_ = false;
};

// ---- the server's side: answering Anthropic clients (the gateway) ------------------------------------------
// A client's POST /v1/messages body, mapped as above the other way round: "system" (a string or text blocks)
// becomes one system message first; a user turn's tool_result blocks become tool messages (then its text, one
// user message); an assistant turn's text and tool_use blocks one assistant message whose calls carry the
// input object as their arguments text. Images, documents and other block types are invalid_argument naming
// the field (messages[2].content[0].type); limits as for the OpenAI wire (model::request_limits).
struct incoming_messages {
    chat_request request;
    bool stream = false;
};
AGENTKIT_DECL incoming_messages decode_request(std::string_view body, const request_limits& limits = {});

// The Messages API's stop_reason for agentkit's finish_reason (stop -> end_turn, length -> max_tokens,
// tool_calls -> tool_use, content_filter -> refusal).
AGENTKIT_DECL std::string stop_reason_of(std::string_view finish_reason);

// A whole Messages response (`id` such as "msg_..."): text block, then tool_use blocks.
AGENTKIT_DECL std::string encode_response(const chat_response& r, std::string_view id);

// Writes a Messages stream as SSE events ("event: <type>\ndata: {...}\n\n"), in the API's order:
// message_start, then per content block content_block_start / content_block_delta (text_delta or
// input_json_delta) / content_block_stop, then message_delta (stop_reason, usage) and message_stop. Deltas
// are agentkit's: text opens (or continues) a text block, a tool call's first delta (id and name) opens a
// tool_use block, its argument pieces continue it.
class stream_encoder {
public:
    stream_encoder(std::string id, std::string model) : id_(std::move(id)), model_(std::move(model)) {}
    // The events one delta gives (message_start first of all).
    AGENTKIT_DECL std::string delta(const chat_delta& d);
    // Closes the open block and ends the message.
    AGENTKIT_DECL std::string finish(std::string_view finish_reason, const usage& u);
    // An in-band error event, for a stream that cannot go on.
    AGENTKIT_DECL static std::string error_event(std::string_view message, std::string_view type);

private:
    std::string start_if_needed();
    std::string close_block();

    std::string id_, model_;
    bool started_ = false;
    enum class block { none, text, tool } open_ = block::none;
    std::size_t next_index_ = 0;  // the next content block's index
    std::size_t open_tool_ = 0;   // the tool-call index of the open tool_use block
};

}  // namespace agentkit::model::anthropic

#if !defined(AGENTKIT_SEPARATE_COMPILATION)
#include <agentkit/model/impl/anthropic_wire.ipp>
#endif
