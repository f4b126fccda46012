// The separately compiled part of agentkit::sqlite (CMake: AGENTKIT_SEPARATE_COMPILATION=ON): storage::sqlite,
// i.e. basic_sqlite_backend<system_clock>, instantiated once here; sqlite_backend.hpp declares it extern.
#if !defined(AGENTKIT_SEPARATE_COMPILATION)
#error "src/sqlite.cpp is built only with AGENTKIT_SEPARATE_COMPILATION defined (header-only: just include the headers)"
#endif
#include <agentkit/storage/sqlite_backend.hpp>

namespace agentkit::storage {
template class basic_sqlite_backend<system_clock>;
}  // namespace agentkit::storage
