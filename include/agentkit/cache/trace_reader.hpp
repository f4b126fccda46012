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
// adds files: `-` is stdin, and .gz / .zst / .xz files are piped through gzip / zstd / xz -dc.
// Bad input raises agentkit::error(parse_error) naming the line; nothing is silently skipped or truncated.
#include <agentkit/core/error.hpp>

#include <cerrno>
#include <csignal>
#include <charconv>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include <fcntl.h>
#include <spawn.h>
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
    throw error(errc::invalid_argument, "unknown trace format '" + std::string(name) + "' (keys, lirs, arc, cache2k, u64)",
                "--format");
}

class trace_parser {
public:
    static constexpr std::size_t max_line = 4096;
    static constexpr std::uint64_t max_arc_count = std::uint64_t{1} << 20;  // the ARC traces use at most 512

    explicit trace_parser(trace_format f) : format_(f) {}

    // Parses bytes and calls sink(std::uint64_t key) for every access they complete.
    template <class Sink>
    void feed(std::string_view bytes, Sink&& sink) {
        if (format_ == trace_format::cache2k || format_ == trace_format::u64) return feed_binary(bytes, sink);
        while (!bytes.empty()) {
            const auto nl = bytes.find('\n');
            const auto piece = bytes.substr(0, nl);
            if (partial_.size() + piece.size() > max_line)
                fail("line longer than " + std::to_string(max_line) + " bytes");
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
                fail("trace ends inside a record (" + std::to_string(partial_.size()) + " trailing bytes)");
            return;
        }
        if (!partial_.empty()) {
            std::string last;
            last.swap(partial_);
            line(last, sink);
        }
    }
    std::uint64_t lines() const noexcept { return line_no_; }

private:
    [[noreturn]] void fail(const std::string& what) const {
        const bool binary = format_ == trace_format::cache2k || format_ == trace_format::u64;
        throw error(errc::parse_error, binary ? what : "line " + std::to_string(line_no_ + 1) + ": " + what, "trace");
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
            if (!integer(s, key)) fail("expected one integer key, got '" + std::string(s.substr(0, 64)) + "'");
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
            if (tok.front() == '-' || !integer(tok, f[n])) fail("field " + std::to_string(n + 1) + " is not a non-negative integer");
            ++n;
            if (end == std::string_view::npos) break;
            s = trim(s.substr(end));
        }
        if (n < 2) fail("expected 'start count x y'");
        if (f[1] > max_arc_count) fail("count " + std::to_string(f[1]) + " is larger than " + std::to_string(max_arc_count));
        if (f[0] > UINT64_MAX - f[1]) fail("start + count overflows 64 bits");
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
    std::string partial_;
    std::uint64_t line_no_ = 0;
};

// The decompressor for a path by its extension, or nullptr for a plain file.
inline const char* trace_decompressor(std::string_view path) {
    auto ends = [&](std::string_view suffix) { return path.size() >= suffix.size() && path.substr(path.size() - suffix.size()) == suffix; };
    if (ends(".gz")) return "gzip";
    if (ends(".zst") || ends(".zstd")) return "zstd";
    if (ends(".xz")) return "xz";
    return nullptr;
}

// Streams a trace file (or stdin for "-") through the parser; compressed files go through a child
// gzip/zstd/xz -dc (spawned directly, no shell). sink(std::uint64_t key) gets every access in order.
template <class Sink>
void read_trace(const std::string& path, trace_format format, Sink&& sink) {
    trace_parser parser(format);
    int fd = 0;
    pid_t child = -1;
    if (path != "-") {
        std::error_code ec;
        if (!std::filesystem::is_regular_file(path, ec)) throw error(errc::not_found, "no such trace file: " + path, "trace");
        if (const char* tool = trace_decompressor(path)) {
            int pipefd[2];
            if (::pipe(pipefd) != 0) throw error(errc::io_error, std::string("pipe: ") + std::strerror(errno), "trace");
            posix_spawn_file_actions_t actions;
            posix_spawn_file_actions_init(&actions);
            posix_spawn_file_actions_adddup2(&actions, pipefd[1], 1);
            posix_spawn_file_actions_addclose(&actions, pipefd[0]);
            posix_spawn_file_actions_addclose(&actions, pipefd[1]);
            std::string t(tool), dc("-dc"), dd("--"), p(path);
            char* argv[] = {t.data(), dc.data(), dd.data(), p.data(), nullptr};
            const int rc = ::posix_spawnp(&child, tool, &actions, nullptr, argv, environ);
            posix_spawn_file_actions_destroy(&actions);
            ::close(pipefd[1]);
            if (rc != 0) {
                ::close(pipefd[0]);
                throw error(errc::io_error, std::string("cannot run ") + tool + " to decompress " + path + ": " + std::strerror(rc), "trace");
            }
            fd = pipefd[0];
        } else {
            fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
            if (fd < 0) throw error(errc::io_error, "cannot open " + path + ": " + std::strerror(errno), "trace");
        }
    }
    auto cleanup = [&](bool check) {
        if (fd != 0) ::close(fd);
        if (child > 0) {
            int status = 0;
            while (::waitpid(child, &status, 0) < 0 && errno == EINTR) {}
            child = -1;
            if (check && !(WIFEXITED(status) && WEXITSTATUS(status) == 0))
                throw error(errc::io_error, std::string("decompressing ") + path + " failed (" + trace_decompressor(path) + " exit status " +
                                                std::to_string(WIFEXITED(status) ? WEXITSTATUS(status) : -1) + ")", "trace");
        }
    };
    try {
        std::vector<char> buf(1 << 20);
        for (;;) {
            const ssize_t n = ::read(fd, buf.data(), buf.size());
            if (n < 0) {
                if (errno == EINTR) continue;
                throw error(errc::io_error, "reading " + path + ": " + std::strerror(errno), "trace");
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

inline std::vector<std::uint64_t> load_trace(const std::string& path, trace_format format) {
    std::vector<std::uint64_t> keys;
    read_trace(path, format, [&](std::uint64_t k) { keys.push_back(k); });
    return keys;
}

}  // namespace agentkit::cache
