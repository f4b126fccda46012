#pragma once
// The OpenAI chat-completions and embeddings wire format: requests written with RapidJSON's Writer straight
// into one buffer, responses and stream chunks read with RapidJSON. Every malformed input is an
// agentkit::error(parse_error) naming the field ("choices[0].message.tool_calls[1].function"), never a crash.
// The definitions are in impl/openai_wire.ipp (RapidJSON stays out of a user's translation unit when they
// are compiled separately: core/config_macros.hpp).
#include <agentkit/core/config_macros.hpp>
#include <agentkit/core/error.hpp>
#include <agentkit/model/chat.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace agentkit::model::openai {

// The request body of POST /v1/chat/completions; `default_model` stands in for an empty r.model.
AGENTKIT_DECL std::string encode_chat_request(const chat_request& r, std::string_view default_model, bool stream);
// The request body of POST /v1/embeddings.
AGENTKIT_DECL std::string encode_embedding_request(const std::vector<std::string>& inputs, std::string_view model);

// A complete (non-streamed) chat completion.
AGENTKIT_DECL chat_response decode_chat_response(std::string_view body);

// One parsed "data:" payload of a chat-completions stream.
struct stream_chunk {
    bool done = false;  // the "[DONE]" sentinel
    chat_delta delta;
    std::string finish_reason;
    std::optional<usage> tokens;
    std::string model;
};

AGENTKIT_DECL stream_chunk decode_stream_chunk(std::string_view data);

// The embeddings of a /v1/embeddings answer, by input index; each of the `expected` inputs exactly once.
AGENTKIT_DECL std::vector<std::vector<float>> decode_embeddings(std::string_view body, std::size_t expected);

// The message of an OpenAI-style error body ({"error":{"message":...,"code":...}}), or the body's start.
AGENTKIT_DECL std::string error_message(std::string_view body);

// ---- the server's side: answering OpenAI clients (the gateway) ------------------------------------------
// A client's POST /v1/chat/completions body. Content given as parts ([{"type":"text","text":...}]) is joined;
// other part types (images, audio) are an invalid_argument naming the field, as is anything malformed.
struct incoming_chat {
    chat_request request;
    bool stream = false;
    bool include_usage = false;  // stream_options.include_usage: a last chunk with usage and no choices
};

using model::request_limits;

AGENTKIT_DECL incoming_chat decode_chat_request(std::string_view body, const request_limits& limits = {});

// A whole chat.completion object for a non-streamed answer.
AGENTKIT_DECL std::string encode_chat_response(const chat_response& r, std::string_view id, std::int64_t created);

// The JSON payloads of a streamed answer (the SSE framing, "data: ...\n\n", is the caller's):
//   - a delta (the first one of a stream also carries "role":"assistant"); a tool call's first delta carries
//     its index, id, type and name, later ones more of its arguments, as OpenAI streams them;
//   - the finishing chunk (empty delta, finish_reason);
//   - with include_usage, the usage chunk: "choices":[] and "usage".
struct stream_ids {
    std::string_view id;
    std::int64_t created = 0;
    std::string_view model;
};
AGENTKIT_DECL std::string encode_stream_delta(const chat_delta& d, const stream_ids& ids, bool first);
AGENTKIT_DECL std::string encode_stream_finish(std::string_view finish_reason, const stream_ids& ids);
AGENTKIT_DECL std::string encode_stream_usage(const usage& u, const stream_ids& ids);

}  // namespace agentkit::model::openai

#if !defined(AGENTKIT_SEPARATE_COMPILATION)
#include <agentkit/model/impl/openai_wire.ipp>
#endif
