#pragma once
// Build-mode switches shared by the parts of agentkit that can be compiled once instead of in every user
// translation unit (today the HTTP transport; see src/).
//
// Header-only is the default: each impl/*.ipp is included by its header and its definitions are inline.
// With AGENTKIT_SEPARATE_COMPILATION defined (CMake: -DAGENTKIT_SEPARATE_COMPILATION=ON, which makes it a
// public definition of the compiled targets), the headers only declare, and one source per part, e.g.
// src/transport_http.cpp, compiles the .ipp once; every translation unit must then agree on the macro.
#if defined(AGENTKIT_SEPARATE_COMPILATION)
#define AGENTKIT_DECL
#else
#define AGENTKIT_DECL inline
#endif
