#pragma once
// Cache-access trace parsing, shared by the `agentkit cache-sim` CLI, the tests and the benchmarks.
//
//   keys     text, one integer key per line (decimal, may be negative; surrounding whitespace ignored)
//   lirs     the LIRS simulator's traces: like keys, plus `*` breakpoint lines, which are skipped
//   arc      the ARC paper's traces: `start count x y` per line = count accesses start, start+1, ...
//   cache2k  binary, one big-endian 32-bit key per 4 bytes (cache2k / Caffeine's Cache2kTraceReader)
//   u64      binary, one little-endian 64-bit key per 8 bytes (what `cache-sim --write` produces)
//
// trace_parser is push-based (feed any chunking, then finish), so it is fuzzed directly; read_trace()
// adds files: `-` is stdin, a regular file or a pipe is read as is, and .gz / .zst / .xz files are piped
// through a child gzip / zstd / xz -dc (the file on its stdin, its stdout read here).
// Bad input raises agentkit::error(parse_error) naming the line; nothing is silently skipped or truncated.
// A trace is bounded (trace_limits): ARC lines expand to many keys and a small compressed file to a huge
// stream, so both the keys produced and the (decompressed) bytes read are capped; past a cap the reader
// throws capacity_exceeded naming the knob, and a decompressor still running is killed.
#include <agentkit/core/error.hpp>
#include <agentkit/core/printable.hpp>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include <fcntl.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace agentkit::cache {

enum class trace_format { keys, lirs, arc, cache2k, u64 };

inline trace_format parse_trace_format(std::string_view name) {
    if (name == "keys") return trace_format::keys;
    if (name == "lirs") return trace_format::lirs;
    if (name == "arc") return trace_format::arc;
    if (name == "cache2k") return trace_format::cache2k;
    if (name == "u64") return trace_format::u64;
    throw error(
        errc::invalid_argument,
        std::string("unknown trace format '").append(printable(name)).append("' (keys, lirs, arc, cache2k, u64)"),
        "--format");
}

// How much one trace may hold. The defaults are far above the largest public traces (ARC's P12: 31M
// requests; the LIRS, ARC and cache2k sets decompress to under 1 GiB), yet keep a hostile 28 KB ARC file
// or a 180 KB .zst from expanding to many GiB of keys.
struct trace_limits {
    // Requests (keys) one trace may produce: 2^28 = 268M, 2 GiB as a vector of keys.
    std::uint64_t max_requests = std::uint64_t{1} << 28;
    // Bytes of trace text or records one trace may take, after decompression: 8 GiB.
    std::uint64_t max_input_bytes = std::uint64_t{1} << 33;
};

class trace_parser {
public:
    static constexpr std::size_t max_line = 4096;
    static constexpr std::uint64_t max_arc_count = std::uint64_t{1} << 20;  // the ARC traces use at most 512

    explicit trace_parser(trace_format f, trace_limits limits = {}) : format_(f), limits_(limits) {}

    // Parses bytes and calls sink(std::uint64_t key) for every access they complete.
    template <class Sink>
    void feed(std::string_view bytes, Sink&& sink) {
        if (bytes.size() > limits_.max_input_bytes - bytes_) {
            throw error(
                errc::capacity_exceeded,
                std::string("trace is larger than ").append(std::to_string(limits_.max_input_bytes)).append(" bytes"),
                "cache.trace_limits.max_input_bytes");
        }
        bytes_ += bytes.size();
        if (format_ == trace_format::cache2k || format_ == trace_format::u64) return feed_binary(bytes, sink);
        while (!bytes.empty()) {
            const auto nl = bytes.find('\n');
            const auto piece = bytes.substr(0, nl);
            if (partial_.size() + piece.size() > max_line)
                fail(std::string("line longer than ").append(std::to_string(max_line)).append(" bytes"));
            if (nl == std::string_view::npos) {
                partial_.append(piece);
                return;
            }
            if (partial_.empty()) {
                line(piece, sink);
            } else {
                partial_.append(piece);
                line(partial_, sink);
                partial_.clear();
            }
            bytes.remove_prefix(nl + 1);
        }
    }
    // The end of the input: a last line without newline counts; half a binary record is an error.
    template <class Sink>
    void finish(Sink&& sink) {
        if (format_ == trace_format::cache2k || format_ == trace_format::u64) {
            if (!partial_.empty())
                fail(std::string("trace ends inside a record (")
                         .append(std::to_string(partial_.size()))
                         .append(" trailing bytes)"));
            return;
        }
        if (!partial_.empty()) {
            std::string last;
            last.swap(partial_);
            line(last, sink);
        }
    }
    std::uint64_t lines() const noexcept { return line_no_; }
    std::uint64_t requests() const noexcept { return requests_; }
    std::uint64_t bytes() const noexcept { return bytes_; }

private:
    [[noreturn]] void fail(const std::string& what) const {
        const bool binary = format_ == trace_format::cache2k || format_ == trace_format::u64;
        throw error(errc::parse_error,
                    binary ? what : std::string("line ").append(std::to_string(line_no_ + 1)).append(": ").append(what),
                    "trace");
    }
    // Reserves `n` more requests against max_requests before they are produced.
    void count_requests(std::uint64_t n) {
        if (n > limits_.max_requests - requests_)
            throw error(
                errc::capacity_exceeded,
                std::string("trace has more than ").append(std::to_string(limits_.max_requests)).append(" requests"),
                "cache.trace_limits.max_requests");
        requests_ += n;
    }
    static std::string_view trim(std::string_view s) {
        while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r')) s.remove_prefix(1);
        while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
        return s;
    }
    // One decimal integer (optionally negative; negative keys are taken modulo 2^64).
    bool integer(std::string_view tok, std::uint64_t& out) const {
        if (tok.empty()) return false;
        const bool neg = tok.front() == '-';
        if (neg) tok.remove_prefix(1);
        if (tok.empty()) return false;
        const auto r = std::from_chars(tok.data(), tok.data() + tok.size(), out);
        if (r.ec != std::errc{} || r.ptr != tok.data() + tok.size()) return false;
        if (neg) out = ~out + 1;
        return true;
    }
    template <class Sink>
    void line(std::string_view raw, Sink& sink) {
        const auto s = trim(raw);
        if (format_ == trace_format::arc) {
            arc_line(s, sink);
        } else if (!s.empty() && !(format_ == trace_format::lirs && s == "*")) {
            std::uint64_t key = 0;
            if (!integer(s, key))
                fail(std::string("expected one integer key, got '").append(printable(s.substr(0, 64))).append("'"));
            count_requests(1);
            sink(key);
        }
        ++line_no_;
    }
    template <class Sink>
    void arc_line(std::string_view s, Sink& sink) {
        if (s.empty()) return;
        std::uint64_t f[4] = {0, 0, 0, 0};
        int n = 0;
        while (!s.empty()) {
            const auto end = s.find_first_of(" \t");
            const auto tok = s.substr(0, end);
            if (n == 4) fail("more than 4 fields (expected: start count x y)");
            if (tok.front() == '-' || !integer(tok, f[n]))
                fail(std::string("field ").append(std::to_string(n + 1)).append(" is not a non-negative integer"));
            ++n;
            if (end == std::string_view::npos) break;
            s = trim(s.substr(end));
        }
        if (n < 2) fail("expected 'start count x y'");
        if (f[1] > max_arc_count)
            fail(std::string("count ")
                     .append(std::to_string(f[1]))
                     .append(" is larger than ")
                     .append(std::to_string(max_arc_count)));
        if (f[0] > UINT64_MAX - f[1]) fail("start + count overflows 64 bits");
        count_requests(f[1]);
        for (std::uint64_t k = 0; k < f[1]; ++k) sink(f[0] + k);
    }
    template <class Sink>
    void feed_binary(std::string_view bytes, Sink& sink) {
        const std::size_t rec = format_ == trace_format::cache2k ? 4 : 8;
        auto emit = [&](const unsigned char* p) {
            std::uint64_t k = 0;
            if (rec == 4) {
                k = (std::uint64_t{p[0]} << 24) | (std::uint64_t{p[1]} << 16) | (std::uint64_t{p[2]} << 8) | p[3];
            } else {
                for (int i = 7; i >= 0; --i) k = (k << 8) | p[i];
            }
            count_requests(1);
            sink(k);
        };
        if (!partial_.empty()) {
            const std::size_t need = rec - partial_.size();
            const std::size_t take = std::min(need, bytes.size());
            partial_.append(bytes.substr(0, take));
            bytes.remove_prefix(take);
            if (partial_.size() < rec) return;
            emit(reinterpret_cast<const unsigned char*>(partial_.data()));
            partial_.clear();
        }
        const std::size_t whole = bytes.size() / rec * rec;
        for (std::size_t i = 0; i < whole; i += rec) emit(reinterpret_cast<const unsigned char*>(bytes.data() + i));
        partial_.assign(bytes.substr(whole));
    }

    trace_format format_;
    trace_limits limits_;
    std::string partial_;
    std::uint64_t line_no_ = 0;
    std::uint64_t requests_ = 0;
    std::uint64_t bytes_ = 0;
};

// The decompressor for a path by its extension, or nullptr for a plain file.
inline const char* trace_decompressor(std::string_view path) {
    auto ends = [&](std::string_view suffix) {
        return path.size() >= suffix.size() && path.substr(path.size() - suffix.size()) == suffix;
    };
    if (ends(".gz")) return "gzip";
    if (ends(".zst") || ends(".zstd")) return "zstd";
    if (ends(".xz")) return "xz";
    return nullptr;
}

// Streams a trace (a file, a pipe, or stdin for "-") through the parser; compressed files go through a
// child gzip/zstd/xz -dc (spawned directly, no shell; the file is its stdin). sink(std::uint64_t key) gets
// every access in order. A missing file is not_found; a directory or a device (/dev/zero) is
// invalid_argument; over a limit is capacity_exceeded naming the knob. Paths in errors are escaped.
template <class Sink>
void read_trace(const std::string& path, trace_format format, Sink&& sink, trace_limits limits = {}) {
    trace_parser parser(format, limits);
    const std::string shown = printable(path);
    int fd = 0;  // stdin for "-" (not closed here)
    pid_t child = -1;
    if (path != "-") {
        do {
            fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
        } while (fd < 0 && errno == EINTR);
        if (fd < 0) {
            const int e = errno;
            if (e == ENOENT || e == ENOTDIR) throw error(errc::not_found, "no such trace file: " + shown, "trace");
            throw error(errc::io_error, "cannot open " + shown + ": " + std::strerror(e), "trace");
        }
        struct stat st {};
        if (::fstat(fd, &st) != 0 || !(S_ISREG(st.st_mode) || S_ISFIFO(st.st_mode))) {
            ::close(fd);
            throw error(errc::invalid_argument, shown + " is not a regular file or a pipe", "trace");
        }
        if (const char* tool = trace_decompressor(path)) {
            int pipefd[2];
            if (::pipe2(pipefd, O_CLOEXEC) != 0) {
                const int e = errno;
                ::close(fd);
                throw error(errc::io_error, std::string("pipe: ") + std::strerror(e), "trace");
            }
            posix_spawn_file_actions_t actions;
            posix_spawn_file_actions_init(&actions);
            posix_spawn_file_actions_adddup2(&actions, fd, 0);
            posix_spawn_file_actions_adddup2(&actions, pipefd[1], 1);
            std::string t(tool), dc("-dc");
            char* argv[] = {t.data(), dc.data(), nullptr};
            const int rc = ::posix_spawnp(&child, tool, &actions, nullptr, argv, environ);
            posix_spawn_file_actions_destroy(&actions);
            ::close(pipefd[1]);
            ::close(fd);
            fd = pipefd[0];
            if (rc != 0) {
                ::close(fd);
                throw error(errc::io_error,
                            std::string("cannot run ") + tool + " to decompress " + shown + ": " + std::strerror(rc),
                            "trace");
            }
        }
    }
    auto cleanup = [&](bool check) {
        if (path != "-") ::close(fd);
        if (child > 0) {
            int status = 0;
            while (::waitpid(child, &status, 0) < 0 && errno == EINTR) {}
            child = -1;
            if (check && !(WIFEXITED(status) && WEXITSTATUS(status) == 0))
                throw error(errc::io_error,
                            "decompressing " + shown + " failed (" + trace_decompressor(path) + " exit status " +
                                std::to_string(WIFEXITED(status) ? WEXITSTATUS(status) : -1) + ")",
                            "trace");
        }
    };
    try {
        std::vector<char> buf(1 << 20);
        for (;;) {
            const ssize_t n = ::read(fd, buf.data(), buf.size());
            if (n < 0) {
                if (errno == EINTR) continue;
                throw error(errc::io_error, "reading " + shown + ": " + std::strerror(errno), "trace");
            }
            if (n == 0) break;
            parser.feed(std::string_view(buf.data(), static_cast<std::size_t>(n)), sink);
        }
        parser.finish(sink);
    } catch (...) {
        if (child > 0) ::kill(child, SIGTERM);
        cleanup(false);
        throw;
    }
    cleanup(true);
}

inline std::vector<std::uint64_t> load_trace(const std::string& path, trace_format format, trace_limits limits = {}) {
    std::vector<std::uint64_t> keys;
    read_trace(
        path, format, [&](std::uint64_t k) { keys.push_back(k); }, limits);
    return keys;
}

}  // namespace agentkit::cache
