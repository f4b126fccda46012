#pragma once
// The key of one cached model response: the model's name, a NUL, then the prompt (every byte the model
// sees). A name holds no NUL, so no two (model, prompt) pairs share a key, and all of one model's entries
// share a prefix (response_cache::invalidate_model drops them together).
#include <string>
#include <string_view>

namespace agentkit::cache {

inline std::string response_key(std::string_view model, std::string_view prompt) {
    std::string k;
    k.reserve(model.size() + 1 + prompt.size());
    k.append(model);
    k.push_back('\0');
    k.append(prompt);
    return k;
}

}  // namespace agentkit::cache
