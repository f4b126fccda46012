#pragma once
// The definitions of chunk_config.hpp: included by it (header-only) or compiled once (src/agentkit.cpp).
#include <agentkit/core/error.hpp>
#include <agentkit/text/chunk_config.hpp>

#include <string>

namespace agentkit::text {

AGENTKIT_DECL void chunk_config::validate() const {
    if (max_chunk_size == 0) throw_invalid_field("max_chunk_size", "must be at least 1");
    if (chunk_overlap >= max_chunk_size)
        throw_invalid_field("chunk_overlap",
                            std::string("must be smaller than max_chunk_size (")
                                .append(std::to_string(chunk_overlap))
                                .append(" >= ")
                                .append(std::to_string(max_chunk_size))
                                .append(")"));
    if (min_chunk_size > max_chunk_size)
        throw_invalid_field("min_chunk_size",
                            std::string("must not exceed max_chunk_size (")
                                .append(std::to_string(min_chunk_size))
                                .append(" > ")
                                .append(std::to_string(max_chunk_size))
                                .append(")"));
    if (separators.size() > max_separators)
        throw_invalid_field("separators",
                            std::string("at most ").append(std::to_string(max_separators)).append(" separators"));
    for (std::size_t i = 0; i + 1 < separators.size(); ++i)
        if (separators[i].empty()) throw_invalid_field("separators", "\"\" (split anywhere) may only come last");
}

}  // namespace agentkit::text
