// The separately compiled part of agentkit::http (CMake: AGENTKIT_SEPARATE_COMPILATION=ON): the definitions
// of transport::http, compiled once here instead of in every translation unit that includes http.hpp.
#if !defined(AGENTKIT_SEPARATE_COMPILATION)
#error "src/transport_http.cpp is built only with AGENTKIT_SEPARATE_COMPILATION defined (header-only: include http.hpp)"
#endif
#include <agentkit/transport/impl/http.ipp>
