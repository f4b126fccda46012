#pragma once
// Value codecs for keyed maps (tiers, fallbacks, per-tool timeouts, prices): how one map value reads from
// the file and writes back. Each has read(value, path, options, warnings) -> T and write(writer&, const T&).
#include <agentkit/config/reader.hpp>
#include <agentkit/config/writer.hpp>

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

namespace agentkit::config {

struct string_codec {
    bool allow_empty = false;
    std::string read(const json::value& v, const std::string& path, const load_options&,
                     std::vector<std::string>*) const {
        return reader::read_string(v, path, allow_empty);
    }
    template <class W>
    void write(W& w, const std::string& s) const {
        w.value(s);
    }
};

struct string_list_codec {
    std::vector<std::string> read(const json::value& v, const std::string& path, const load_options&,
                                  std::vector<std::string>*) const {
        return reader::read_strings(v, path);
    }
    template <class W>
    void write(W& w, const std::vector<std::string>& s) const {
        w.value(s);
    }
};

// A duration in milliseconds: text with a unit or an integer count of milliseconds; written back as that integer.
struct duration_codec {
    std::chrono::milliseconds read(const json::value& v, const std::string& path, const load_options&,
                                   std::vector<std::string>*) const {
        return reader::read_duration<std::chrono::milliseconds>(v, path, std::chrono::milliseconds(1));
    }
    template <class W>
    void write(W& w, std::chrono::milliseconds t) const {
        w.value(static_cast<std::int64_t>(t.count()));
    }
};

// A struct value read and written by its own visit(V&, T&) overload (found by ADL or in this namespace).
template <class T>
struct object_codec {
    T read(const json::value& v, const std::string& path, const load_options& options,
           std::vector<std::string>* warnings) const {
        T out{};
        reader r(v, path, options, warnings);
        visit(r, out);
        r.finish();
        return out;
    }
    template <class W>
    void write(W& w, const T& item) const {
        T copy = item;
        w.out().StartObject();
        visit(w, copy);
        w.out().EndObject();
    }
};

}  // namespace agentkit::config
