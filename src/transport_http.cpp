// The separately compiled part of agentkit::http (CMake: AGENTKIT_SEPARATE_COMPILATION=ON): the definitions
// of transport::http and transport::http_server, and the OpenAI-compatible and Anthropic providers over it, compiled once here instead of
// in every translation unit that includes their headers.
#if !defined(AGENTKIT_SEPARATE_COMPILATION)
#error "src/transport_http.cpp is built only with AGENTKIT_SEPARATE_COMPILATION defined (header-only: include http.hpp)"
#endif
#include <agentkit/transport/impl/http.ipp>
#include <agentkit/transport/impl/http_server.ipp>

#include <agentkit/model/anthropic_provider.hpp>
#include <agentkit/model/openai_provider.hpp>

namespace agentkit::model {
// Declared extern in openai_provider.hpp and anthropic_provider.hpp.
template class detail::http_chat_provider<openai_provider<transport::http>, openai_provider_config, transport::http>;
template class openai_provider<transport::http>;
template class detail::http_chat_provider<anthropic_provider<transport::http>, anthropic_provider_config,
                                          transport::http>;
template class anthropic_provider<transport::http>;
}  // namespace agentkit::model
