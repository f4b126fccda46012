#pragma once
// Seed keys of the text layer (Flynn's memory.embeddings.chunking block):
//   memory.embeddings.chunking.maxChunkSize / chunkOverlap / minChunkSize / stripWhitespace -> text::chunk_config
// (The separators stay in code: they are a span the caller owns.)
#include <agentkit/config/reader.hpp>
#include <agentkit/text/chunk_config.hpp>

#include <cstddef>

namespace agentkit::config {

template <class V>
void visit(V& v, text::chunk_config& c) {
    v.integer("maxChunkSize", c.max_chunk_size, std::size_t{1}, std::size_t{1} << 40);
    v.integer("chunkOverlap", c.chunk_overlap, std::size_t{0}, std::size_t{1} << 40);
    v.integer("minChunkSize", c.min_chunk_size, std::size_t{0}, std::size_t{1} << 40);
    v.boolean("stripWhitespace", c.strip_whitespace);
}

}  // namespace agentkit::config
