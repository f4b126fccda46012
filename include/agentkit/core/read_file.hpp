#pragma once
// read_file / read_stream: the one way agentkit reads a whole input into memory. POSIX read() into a
// buffer sized from fstat() (one allocation for a regular file), with a byte limit checked before anything
// is allocated: an input over the limit is an error naming the knob that sets it (capacity_exceeded),
// never bad_alloc. Pipes, terminals and devices (/dev/zero, stdin) are read in pieces up to the same limit.
#include <agentkit/core/error.hpp>
#include <agentkit/core/printable.hpp>

#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace agentkit {

namespace detail {

[[noreturn]] inline void throw_over_limit(std::string_view what, std::size_t max_bytes, std::string_view knob) {
    throw error(errc::capacity_exceeded,
                std::string(what) + " is larger than " + std::to_string(max_bytes) + " bytes (the limit of " +
                    std::string(knob) + ")",
                std::string(knob));
}
}  // namespace detail

// Reads everything from an open descriptor (not closed here). `what` names the input in errors.
inline std::string read_stream(int fd, std::size_t max_bytes, std::string_view knob, std::string_view what) {
    // One byte past the limit is enough to prove an input too large.
    const std::size_t cap = max_bytes == static_cast<std::size_t>(-1) ? max_bytes : max_bytes + 1;
    std::string out;
    struct stat st {};
    if (::fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) {
        if (static_cast<std::uint64_t>(st.st_size) > max_bytes) detail::throw_over_limit(what, max_bytes, knob);
        out.resize(static_cast<std::size_t>(st.st_size) + 1);  // +1: the read that sees the end needs room
    }
    std::size_t used = 0;
    for (;;) {
        if (used == out.size()) {  // a pipe or device, or a file that grew: double, never past cap
            std::size_t next = out.size() < 64 * 1024 ? 64 * 1024 : out.size() * 2;
            out.resize(next < cap ? next : cap);
        }
        const ssize_t n = ::read(fd, out.data() + used, out.size() - used);
        if (n < 0) {
            if (errno == EINTR) continue;
            throw error(errc::io_error, std::string("cannot read ").append(what).append(": ").append(std::strerror(errno)), std::string(what));
        }
        if (n == 0) break;
        used += static_cast<std::size_t>(n);
        if (used > max_bytes) detail::throw_over_limit(what, max_bytes, knob);
    }
    out.resize(used);
    return out;
}

// Reads a whole file. Missing file: not_found; a directory: invalid_argument; over max_bytes:
// capacity_exceeded naming `knob`. The error's field is the (escaped) path unless the limit was hit.
inline std::string read_file(const std::string& path, std::size_t max_bytes, std::string_view knob) {
    const std::string shown = printable(path);
    int fd;
    do {
        fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    } while (fd < 0 && errno == EINTR);
    if (fd < 0) {
        const int e = errno;
        throw error(e == ENOENT || e == ENOTDIR ? errc::not_found : errc::io_error,
                    std::string("cannot open: ") + std::strerror(e), shown);
    }
    struct closer {
        int fd;
        ~closer() { ::close(fd); }
    } guard{fd};
    struct stat st {};
    if (::fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) throw error(errc::invalid_argument, "is a directory, not a file", shown);
    return read_stream(fd, max_bytes, knob, "'" + shown + "'");
}

}  // namespace agentkit
