#pragma once
// AGENTKIT_COROUTINES_BEGIN / AGENTKIT_COROUTINES_END bracket every header that defines Boost.Asio coroutines.
// Why: g++ 12 at -O2 and -O3 inlines Asio's coroutine-frame allocation (operator new over aligned_alloc, from a
// per-thread recycling cache) and its deallocation into the coroutine, and then reports
// -Wmismatched-new-delete on the coroutine's closing brace: a false positive (the frame is freed by the
// matching deallocation; fixed in g++ 13). It would stop a user's -Werror build at our headers, so it is
// silenced for our coroutines only; other compilers need nothing.
#if defined(__GNUC__) && !defined(__clang__)
#define AGENTKIT_COROUTINES_BEGIN \
    _Pragma("GCC diagnostic push") _Pragma("GCC diagnostic ignored \"-Wmismatched-new-delete\"")
#define AGENTKIT_COROUTINES_END _Pragma("GCC diagnostic pop")
#else
#define AGENTKIT_COROUTINES_BEGIN
#define AGENTKIT_COROUTINES_END
#endif
