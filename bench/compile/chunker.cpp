// Compile-time benchmark TU: the chunker alone (text/chunk_view with the three strategies and two sizing
// units), as a user who only splits documents writes it. bench/compile/run.sh compiles it.
#include <agentkit/text/chars_per_token.hpp>
#include <agentkit/text/chunk_view.hpp>

#include <cstddef>
#include <cstdio>
#include <string>

namespace {
template <class Strategy, class Sizer = agentkit::text::by_chars>
std::size_t total_size(const std::string& doc, agentkit::text::chunk_config cfg, Sizer sizer = {}) {
    std::size_t sum = 0;
    for (const auto& c : doc | agentkit::views::chunk<Strategy>(cfg, sizer)) sum += c.size;
    return sum;
}
}  // namespace

int main(int argc, char**) {
    std::string doc = "# Title\n\nSome text to split. ";
    for (int i = 0; i < 200 * argc; ++i) doc += "A sentence with a few words, and a comma.\n\n";
    const auto cfg = agentkit::text::chunk_config::precise_search();
    std::size_t sum = total_size<agentkit::text::recursive>(doc, cfg);
    sum += total_size<agentkit::text::fixed_window>(doc, cfg);
    sum += total_size<agentkit::text::markdown>(doc, cfg);
    sum += total_size<agentkit::text::recursive>(
        doc, cfg, agentkit::text::by_tokens<agentkit::text::chars_per_token<4>>{agentkit::text::chars_per_token<4>{}});
    std::printf("%zu\n", sum);
    return sum > 0 ? 0 : 1;
}
