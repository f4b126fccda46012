// expect: Sizer must be a sizing unit
#include <agentkit/text/chunk_view.hpp>

using ok = agentkit::text::chunk_view<agentkit::text::recursive, agentkit::text::by_chars>;
static_assert(sizeof(ok) > 0);

#ifdef AGENTKIT_COMPILE_FAIL
struct not_a_sizer {};
agentkit::text::chunk_view<agentkit::text::recursive, not_a_sizer> bad;
#endif
int main() {}
