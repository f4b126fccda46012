#pragma once
// Knobs shared by every chunking strategy, named after the seeds (maxChunkSize, chunkOverlap, minChunkSize)
// with their defaults, plus the seeds' two presets. Sizes are in the sizing unit of the chunker.
#include <agentkit/core/config_macros.hpp>
#include <agentkit/core/error.hpp>

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace agentkit::text {

// Where a separator goes when the text is cut at it (LangChain's keepSeparator / keep_separator):
//   start: it begins the next piece (LangChain JS default for RecursiveCharacterTextSplitter),
//   end:   it ends the previous piece (good for sentence separators such as ". "),
//   none:  it is dropped at chunk boundaries (it stays inside a chunk: chunks are views, never rewritten).
enum class keep_separator : std::uint8_t { none, start, end };

// LangChain's default list: paragraph, line, word, character ("" = split between code points).
inline constexpr std::string_view langchain_separators[] = {"\n\n", "\n", " ", ""};
// LangChain's markdown list (MarkdownTextSplitter): headings, fence ends, rules, then the default list.
inline constexpr std::string_view langchain_markdown_separators[] = {
    "\n## ",       "\n### ",      "\n#### ", "\n##### ", "\n###### ", "```\n\n", "\n\n***\n\n",
    "\n\n---\n\n", "\n\n___\n\n", "\n\n",    "\n",       " ",         ""};
// Paragraph, line, sentence, clause, word, character. Use with keep_separator::end.
inline constexpr std::string_view sentence_separators[] = {"\n\n", "\n", ". ", "! ", "? ", "; ", ", ", " ", ""};

inline constexpr std::size_t max_separators = 15;

struct chunk_config {
    std::size_t max_chunk_size = 512;  // maxChunkSize: no chunk is larger (see chunk::oversized)
    std::size_t chunk_overlap = 50;    // chunkOverlap: at most this much is repeated between neighbours
    std::size_t min_chunk_size = 128;  // minChunkSize: smaller documents are one chunk; a smaller tail merges
    // Recursive/markdown strategies: tried in order. The span must outlive the chunk view.
    std::span<const std::string_view> separators = langchain_separators;
    keep_separator keep = keep_separator::start;
    // Trim whitespace at both ends of each chunk (the JavaScript String.prototype.trim set), as LangChain does.
    // Whitespace trimmed away between chunks belongs to no chunk.
    bool strip_whitespace = true;

    // The seeds' presets.
    static constexpr chunk_config defaults() noexcept { return {}; }
    static constexpr chunk_config fast_indexing() noexcept { return {.max_chunk_size = 1024, .chunk_overlap = 100}; }
    static constexpr chunk_config precise_search() noexcept { return {.max_chunk_size = 256, .chunk_overlap = 25}; }
    // LangChain RecursiveCharacterTextSplitter semantics exactly: no minimum, separators as given.
    static constexpr chunk_config langchain(std::size_t chunk_size, std::size_t overlap) noexcept {
        return {.max_chunk_size = chunk_size, .chunk_overlap = overlap, .min_chunk_size = 0};
    }

    // Throws agentkit::error naming the field when a knob is out of range.
    AGENTKIT_DECL void validate() const;
};

}  // namespace agentkit::text

#if !defined(AGENTKIT_SEPARATE_COMPILATION)
#include <agentkit/text/impl/chunk_config.ipp>
#endif
