#pragma once
// Umbrella header: everything in agentkit's core that needs no optional component (SQLite, HTTP, hnswlib).
// Prefer including the one header you use; this one is for quick starts.
#include <agentkit/core/clock.hpp>
#include <agentkit/core/conversation.hpp>
#include <agentkit/core/error.hpp>
#include <agentkit/core/message.hpp>
#include <agentkit/core/none.hpp>
#include <agentkit/core/policy_set.hpp>
#include <agentkit/core/role.hpp>
#include <agentkit/agent/agent.hpp>
#include <agentkit/agent/slots.hpp>
#include <agentkit/text/chars_per_token.hpp>
#include <agentkit/text/token_counter.hpp>
#include <agentkit/version.hpp>
