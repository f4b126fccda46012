#pragma once
// read_file / read_stream: the one way agentkit reads a whole input into memory. POSIX read() into a
// buffer sized from fstat() (one allocation for a regular file), with a byte limit checked before anything
// is allocated: an input over the limit is an error naming the knob that sets it (capacity_exceeded),
// never bad_alloc. Pipes, terminals and devices (/dev/zero, stdin) are read in pieces up to the same limit.
// input_bytes: the same input scanned once without a copy (a regular file mapped read-only), same limits
// and errors.
#include <agentkit/core/error.hpp>
#include <agentkit/core/printable.hpp>

#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <utility>

#include <fcntl.h>
#include <sys/mman.h>
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
            throw error(errc::io_error,
                        std::string("cannot read ").append(what).append(": ").append(std::strerror(errno)),
                        std::string(what));
        }
        if (n == 0) break;
        used += static_cast<std::size_t>(n);
        if (used > max_bytes) detail::throw_over_limit(what, max_bytes, knob);
    }
    out.resize(used);
    return out;
}

namespace detail {
// Opens a file for reading: not_found / io_error naming the escaped path, invalid_argument for a directory.
struct open_file {
    int fd = -1;
    std::string shown;
    bool regular = false;
    std::uint64_t size = 0;

    explicit open_file(const std::string& path) : shown(printable(path)) {
        do {
            fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
        } while (fd < 0 && errno == EINTR);
        if (fd < 0) {
            const int e = errno;
            throw error(e == ENOENT || e == ENOTDIR ? errc::not_found : errc::io_error,
                        std::string("cannot open: ") + std::strerror(e), shown);
        }
        struct stat st {};
        if (::fstat(fd, &st) == 0) {
            if (S_ISDIR(st.st_mode)) {
                ::close(fd);
                throw error(errc::invalid_argument, "is a directory, not a file", shown);
            }
            regular = S_ISREG(st.st_mode);
            size = static_cast<std::uint64_t>(st.st_size);
        }
    }
    open_file(const open_file&) = delete;
    open_file& operator=(const open_file&) = delete;
    ~open_file() { ::close(fd); }
};
}  // namespace detail

// Reads a whole file. Missing file: not_found; a directory: invalid_argument; over max_bytes:
// capacity_exceeded naming `knob`. The error's field is the (escaped) path unless the limit was hit.
inline std::string read_file(const std::string& path, std::size_t max_bytes, std::string_view knob) {
    const detail::open_file f(path);
    return read_stream(f.fd, max_bytes, knob, "'" + f.shown + "'");
}

// A whole input to scan once, without copying it: a regular file is mapped read-only, so its pages come
// straight from the page cache (no buffer to fault in and zero, no copy: 50 MB in about a tenth of the
// time of read_file, docs/benchmarks.md); anything else (stdin, a pipe, a device) is read with
// read_stream. Same limits, same typed errors. A mapped file that another process truncates while it is
// being read raises SIGBUS on the bytes that vanished, as with every mapping: for inputs the user owns
// (the CLI), not for long-lived servers reading files others write (the file cache keeps read_file).
class input_bytes {
public:
    // A file (not_found / invalid_argument / io_error naming the path; over max_bytes: capacity_exceeded
    // naming `knob`).
    static input_bytes file(const std::string& path, std::size_t max_bytes, std::string_view knob) {
        const detail::open_file f(path);
        input_bytes in;
        if (!f.regular) {
            in.owned_ = read_stream(f.fd, max_bytes, knob, "'" + f.shown + "'");
            return in;
        }
        if (f.size > max_bytes) detail::throw_over_limit("'" + f.shown + "'", max_bytes, knob);
        if (f.size == 0) return in;  // mmap refuses a zero length
        const auto size = static_cast<std::size_t>(f.size);
        void* p = ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE | MAP_POPULATE, f.fd, 0);
        if (p == MAP_FAILED)  // e.g. a file system that cannot map: read it instead
            in.owned_ = read_stream(f.fd, max_bytes, knob, "'" + f.shown + "'");
        else
            in.mapped_ = static_cast<const char*>(p), in.mapped_size_ = size;
        return in;
    }
    // Everything readable from a descriptor (stdin, a pipe), read with read_stream.
    static input_bytes stream(int fd, std::size_t max_bytes, std::string_view knob, std::string_view what) {
        input_bytes in;
        in.owned_ = read_stream(fd, max_bytes, knob, what);
        return in;
    }

    input_bytes(input_bytes&& o) noexcept
        : mapped_(std::exchange(o.mapped_, nullptr)),
          mapped_size_(std::exchange(o.mapped_size_, 0)),
          owned_(std::move(o.owned_)) {}
    input_bytes& operator=(input_bytes&& o) noexcept {
        if (this != &o) {
            unmap();
            mapped_ = std::exchange(o.mapped_, nullptr);
            mapped_size_ = std::exchange(o.mapped_size_, 0);
            owned_ = std::move(o.owned_);
        }
        return *this;
    }
    ~input_bytes() { unmap(); }

    std::string_view view() const noexcept {
        return mapped_ != nullptr ? std::string_view(mapped_, mapped_size_) : std::string_view(owned_);
    }
    bool mapped() const noexcept { return mapped_ != nullptr; }

private:
    input_bytes() = default;
    void unmap() noexcept {
        if (mapped_ != nullptr) ::munmap(const_cast<char*>(mapped_), mapped_size_);
        mapped_ = nullptr;
    }

    const char* mapped_ = nullptr;
    std::size_t mapped_size_ = 0;
    std::string owned_;
};

}  // namespace agentkit
