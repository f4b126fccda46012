#pragma once
// What the model is told about one tool it may call: its name, description and the JSON schema of its
// arguments. A model's request offers these (model::chat_request::tools); a toolbox lists them (specs()).
#include <string>

namespace agentkit {

// A tool the model may call: name, description and the JSON schema of its arguments (an object's text).
struct tool_spec {
    std::string name;
    std::string description;
    std::string parameters_schema = R"({"type":"object","properties":{}})";
};

}  // namespace agentkit
