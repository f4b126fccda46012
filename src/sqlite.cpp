// The separately compiled part of agentkit::sqlite (CMake: AGENTKIT_SEPARATE_COMPILATION=ON): storage::sqlite,
// i.e. basic_sqlite_backend<system_clock>, its connection and its parts, instantiated once here; their
// headers declare them extern.
#if !defined(AGENTKIT_SEPARATE_COMPILATION)
#error "src/sqlite.cpp is built only with AGENTKIT_SEPARATE_COMPILATION defined (header-only: just include the headers)"
#endif
#include <agentkit/storage/sqlite_backend.hpp>

namespace agentkit::storage {
template class basic_sqlite_connection<system_clock>;
template class basic_sqlite_sessions<system_clock>;
template class basic_sqlite_kv<system_clock>;
template class basic_sqlite_graph<system_clock>;
template class basic_sqlite_maintenance<system_clock>;
template class basic_sqlite_backend<system_clock>;
}  // namespace agentkit::storage
