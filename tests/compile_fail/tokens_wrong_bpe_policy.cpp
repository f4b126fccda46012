// expect: bpe_counter<P>: P is not a BPE encoding policy
#include <agentkit/text/bpe_encoding.hpp>

using ok = agentkit::text::bpe_counter<agentkit::text::o200k>;

#ifdef AGENTKIT_COMPILE_FAIL
struct not_an_encoding {};
agentkit::text::bpe_counter<not_an_encoding> bad;
#endif
int main() {}
