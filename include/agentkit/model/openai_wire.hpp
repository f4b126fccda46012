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

}  // namespace agentkit::model::openai

#if !defined(AGENTKIT_SEPARATE_COMPILATION)
#include <agentkit/model/impl/openai_wire.ipp>
#endif
