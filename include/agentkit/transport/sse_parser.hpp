#pragma once
// An incremental Server-Sent Events parser (WHATWG HTML "event stream interpretation"). Feed it the body
// bytes in whatever pieces the network delivers - a line, an event or even a CRLF may be split anywhere -
// and it calls back once per complete event. Memory is bounded: everything the parser holds (a partial
// line, and the data, type and id of the event being built) stays within max_event_bytes, and a line or an
// event that would pass it is an error (errc::capacity_exceeded, field "sse.max_event_bytes"), never
// unbounded growth. An endless line without a line end stops there too. The limit applies to each line as
// it completes as well, so whether it fires does not depend on how the bytes were split into pieces.
#include <agentkit/core/error.hpp>

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>

namespace agentkit::transport {

struct sse_event {
    std::string_view type;  // "message" when the stream named none
    std::string_view data;  // data lines joined by '\n'
    std::string_view id;    // the last event id seen (sticky across events, as the spec says)
};

class sse_parser {
public:
    struct config {
        // Bytes one event (its data, type and id, and any partial line) may hold: 8 MiB, far above any chat
        // delta, bounded all the same.
        std::size_t max_event_bytes = 8u << 20;
    };

    sse_parser() = default;
    explicit sse_parser(config cfg) : cfg_(cfg) {}

    // Consumes `bytes`; calls on_event(const sse_event&) for each event completed by them. The views in the
    // event are valid only during the call.
    template <class OnEvent>
    void feed(std::string_view bytes, OnEvent&& on_event) {
        std::size_t i = 0;
        if (skip_lf_ && !bytes.empty()) {  // the LF of a CRLF split across two pieces
            if (bytes[0] == '\n') i = 1;
            skip_lf_ = false;
        }
        while (i < bytes.size()) {
            const std::size_t end = line_end(bytes, i);
            if (end == bytes.size()) {  // no terminator yet: keep the partial line
                append_partial(bytes.substr(i));
                return;
            }
            if (line_.empty()) {
                process_line(bytes.substr(i, end - i), on_event);
            } else {
                append_partial(bytes.substr(i, end - i));
                process_line(line_, on_event);
                line_.clear();
            }
            std::size_t next = end + 1;
            if (bytes[end] == '\r') {
                if (next < bytes.size()) {
                    if (bytes[next] == '\n') ++next;
                } else {
                    skip_lf_ = true;
                }
            }
            i = next;
        }
    }

    // True when the stream so far ends inside an event (a partial line or data not yet dispatched): at end
    // of body this means the stream was cut short.
    bool mid_event() const noexcept { return !line_.empty() || has_data_ || !type_.empty(); }

    // Per the spec an unterminated event at end of stream is dropped; reset() readies the parser for reuse.
    void reset() noexcept {
        line_.clear();
        data_.clear();
        type_.clear();
        has_data_ = false;
        skip_lf_ = false;
        bom_checked_ = false;
    }

    const std::string& last_event_id() const noexcept { return id_; }
    std::optional<std::uint64_t> retry_ms() const noexcept { return retry_ms_; }

private:
    // The first CR or LF at or after `from`, or bytes.size(). Two memchr passes (vectorised by the C library)
    // instead of a byte loop: lines are a few hundred bytes and almost never contain a CR.
    static std::size_t line_end(std::string_view bytes, std::size_t from) noexcept {
        const char* begin = bytes.data() + from;
        const std::size_t n = bytes.size() - from;
        const void* lf = std::memchr(begin, '\n', n);
        const std::size_t lf_at = lf ? static_cast<std::size_t>(static_cast<const char*>(lf) - begin) : n;
        const void* cr = lf_at ? std::memchr(begin, '\r', lf_at) : nullptr;
        const std::size_t at = cr ? static_cast<std::size_t>(static_cast<const char*>(cr) - begin) : lf_at;
        return from + at;
    }

    // What the event being built holds, not counting a partial line.
    std::size_t held() const noexcept { return data_.size() + type_.size() + id_.size(); }

    void append_partial(std::string_view s) {
        if (line_.size() + s.size() > cfg_.max_event_bytes - held()) too_big();
        line_.append(s);
    }
    [[noreturn]] void too_big() const {
        throw error(errc::capacity_exceeded,
                    std::string("an event exceeds ").append(std::to_string(cfg_.max_event_bytes)).append(" bytes"),
                    "sse.max_event_bytes");
    }

    template <class OnEvent>
    void process_line(std::string_view line, OnEvent& on_event) {
        // A line with what is already held fits: then so does whatever the line stores (a field's value is
        // shorter than its line, with room for the '\n' that joins data lines).
        if (line.size() > cfg_.max_event_bytes - held()) too_big();
        if (!bom_checked_) {
            bom_checked_ = true;
            if (line.starts_with("\xEF\xBB\xBF")) line.remove_prefix(3);
        }
        if (line.empty()) {
            dispatch(on_event);
            return;
        }
        if (line.front() == ':') return;  // comment (keep-alive pings)
        std::string_view field = line, value;
        if (auto colon = line.find(':'); colon != std::string_view::npos) {
            field = line.substr(0, colon);
            value = line.substr(colon + 1);
            if (!value.empty() && value.front() == ' ') value.remove_prefix(1);
        }
        if (field == "data") {
            if (has_data_) data_.push_back('\n');
            data_.append(value);
            has_data_ = true;
        } else if (field == "event") {
            type_.assign(value);
        } else if (field == "id") {
            if (value.find('\0') == std::string_view::npos) id_.assign(value);
        } else if (field == "retry") {
            std::uint64_t n = 0;
            bool digits = !value.empty() && value.size() <= 18;
            for (char c : value) {
                if (c < '0' || c > '9') {
                    digits = false;
                    break;
                }
                n = n * 10 + static_cast<std::uint64_t>(c - '0');
            }
            if (digits) retry_ms_ = n;
        }  // unknown fields are ignored, as the spec says
    }

    template <class OnEvent>
    void dispatch(OnEvent& on_event) {
        if (has_data_) {
            sse_event e{type_.empty() ? std::string_view("message") : std::string_view(type_), data_, id_};
            on_event(static_cast<const sse_event&>(e));
        }
        data_.clear();
        type_.clear();
        has_data_ = false;
    }

    config cfg_{};
    std::string line_;  // a line split across pieces
    std::string data_;
    std::string type_;
    std::string id_;
    std::optional<std::uint64_t> retry_ms_;
    bool has_data_ = false;
    bool skip_lf_ = false;
    bool bom_checked_ = false;
};

}  // namespace agentkit::transport
