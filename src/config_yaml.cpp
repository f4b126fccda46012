// The separately compiled part of agentkit::yaml (CMake: AGENTKIT_SEPARATE_COMPILATION=ON): the YAML reader of
// deployment files, compiled once here instead of in every translation unit that includes config/yaml.hpp.
#if !defined(AGENTKIT_SEPARATE_COMPILATION)
#error "src/config_yaml.cpp is built only with AGENTKIT_SEPARATE_COMPILATION defined (header-only: include yaml.hpp)"
#endif
#include <agentkit/config/impl/yaml.ipp>
