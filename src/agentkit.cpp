// The separately compiled part of agentkit::agentkit (CMake: AGENTKIT_SEPARATE_COMPILATION=ON): the
// definitions of the core's non-template functions, compiled once here instead of in every translation unit
// that includes their headers. Users who do not build with CMake compile this file (and src/transport_http.cpp
// for agentkit::http) with AGENTKIT_SEPARATE_COMPILATION defined everywhere.
#if !defined(AGENTKIT_SEPARATE_COMPILATION)
#error \
    "src/agentkit.cpp is built only with AGENTKIT_SEPARATE_COMPILATION defined (header-only: just include the headers)"
#endif
#include <agentkit/agent/impl/turn_driver.ipp>
#include <agentkit/model/impl/anthropic_wire.ipp>
#include <agentkit/model/impl/openai_wire.ipp>
#include <agentkit/model/impl/router.ipp>
#include <agentkit/model/impl/scripted_provider.ipp>
#include <agentkit/observe/impl/metric_registry.ipp>
#include <agentkit/observe/impl/prometheus_text.ipp>
#include <agentkit/resilience/impl/async_sleep.ipp>
#include <agentkit/tools/impl/argument_check.ipp>
#include <agentkit/tools/impl/arguments.ipp>
#include <agentkit/tools/impl/executor.ipp>
#include <agentkit/text/impl/chunk_config.ipp>

#include <agentkit/text/chunk_view.hpp>

namespace agentkit::text {
// Declared extern in chunk_view.hpp: the chunkers by characters.
template class chunk_view<recursive, by_chars>;
template class chunk_view<fixed_window, by_chars>;
template class chunk_view<markdown, by_chars>;
template class recursive_producer<by_chars>;
template class fixed_window_producer<by_chars>;
template class markdown_producer<by_chars>;
}  // namespace agentkit::text
